// The demo's Freshdesk tenant (docs/examples/tenants/demo-freshdesk.yaml) against a local fake
// Freshdesk: tickets created, the automation rule's webhook replayed with the shared secret, and
// what deskplan wrote, in Freshdesk's own fields.
import { SECRET_HEADER } from '../../connectors/freshdesk/index.js';
import { FakeFreshdesk, type FakeFreshdeskTicket } from '../../test/fakes/fake-freshdesk.js';
import { renderFreshdeskWebhook } from '../../test/fakes/render-freshdesk-webhook.js';
import { VENDOR_DEMO_ORGANIZATIONS, VENDOR_DEMO_TICKETS } from './demo-script.js';
import {
  postWebhook,
  shownNote,
  shownTime,
  SHOWN_ZONE,
  type Settle,
  vendorTally,
  type VendorTally,
} from './demo-shared.js';

export const FRESHDESK_TENANT = 'demo-freshdesk';
export const FRESHDESK_SECRET = 'demo-freshdesk-webhook-secret';
const PRIORITY_CODE = { low: 1, normal: 2, high: 3, urgent: 4 } as const;

const priority = (code: number) => `${code} (${FakeFreshdesk.priorityLabel(code)})`;

export async function runFreshdeskDemo(
  freshdesk: FakeFreshdesk,
  receiverUrl: string,
  settle: Settle,
): Promise<VendorTally> {
  let webhooks = 0;
  async function deliver(event: 'created' | 'updated', ticket: FakeFreshdeskTicket) {
    const body = renderFreshdeskWebhook(event, ticket, {
      requesterEmail: freshdesk.contacts.get(ticket.requester_id)?.email,
    });
    webhooks++;
    const deliveryId = await postWebhook(
      `${receiverUrl}/webhooks/freshdesk/${FRESHDESK_TENANT}`,
      { [SECRET_HEADER]: FRESHDESK_SECRET },
      body,
    );
    return settle('freshdesk', FRESHDESK_TENANT, deliveryId);
  }

  for (const org of VENDOR_DEMO_ORGANIZATIONS) {
    freshdesk.addCompany({ id: org.id, name: org.name, domains: [org.domain] });
  }
  const tickets: { scenario: string; ticket: FakeFreshdeskTicket; before: FakeFreshdeskTicket }[] =
    [];
  for (const [i, t] of VENDOR_DEMO_TICKETS.entries()) {
    const contactId = 200 + i;
    const org = VENDOR_DEMO_ORGANIZATIONS.find((o) => o.id === t.org)!;
    freshdesk.contacts.set(contactId, {
      id: contactId,
      email: `customer${i}@${org.domain}`,
      name: `Customer ${i}`,
    });
    const ticket = freshdesk.addTicket({
      id: 2000 + i,
      subject: t.subject,
      priority: PRIORITY_CODE[t.priority ?? 'normal'],
      company_id: t.org,
      requester_id: contactId,
      tags: t.tags ?? [],
    });
    const before = structuredClone(ticket);
    await deliver('created', ticket);
    tickets.push({ scenario: t.scenario, ticket, before });
  }
  // The "updated" automation rule fires on deskplan's own write: it must write nothing more.
  const writesBefore = freshdesk.writes.length;
  await deliver('updated', tickets[0]!.ticket);
  const echoWrites = freshdesk.writes.length - writesBefore;

  console.log(
    `\nFreshdesk tenant ${FRESHDESK_TENANT}: what deskplan wrote to each ticket of the fake Freshdesk` +
      `\n(priority 1-4; fr_due_by/due_by are instants in UTC, shown in ${SHOWN_ZONE} too):\n`,
  );
  for (const { scenario, ticket, before } of tickets) {
    console.log(`#${ticket.id} [${scenario}] ${ticket.subject}`);
    console.log(`    tags: ${ticket.tags.join(', ')}`);
    console.log(
      `    priority: ${priority(ticket.priority)}` +
        (ticket.priority === before.priority ? '' : `, was ${priority(before.priority)}`),
    );
    for (const field of ['fr_due_by', 'due_by'] as const) {
      const written = freshdesk.requests.some(
        (r) =>
          r.method === 'PUT' &&
          r.path === `/api/v2/tickets/${ticket.id}` &&
          field in (r.body as Record<string, unknown>),
      );
      console.log(
        `    ${field}: ${ticket[field]} (${shownTime(ticket[field])})` +
          (written ? '' : " — Freshdesk's own, left alone"),
      );
    }
    for (const note of freshdesk.notes(ticket.id)) console.log(shownNote('private note', note));
  }
  console.log(
    `\nThe update rule's webhook for deskplan's own write made ${echoWrites} extra write(s).`,
  );
  return vendorTally('Freshdesk', webhooks, freshdesk);
}
