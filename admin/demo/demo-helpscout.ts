// The demo's Help Scout tenant (docs/examples/tenants/demo-helpscout.yaml) against a local fake
// Help Scout: conversations created, their signed convo.* webhooks replayed, and what deskplan
// wrote, in Help Scout's terms (tags, Date custom fields, the note).
import { signHelpscoutWebhook } from '../../connectors/helpscout/index.js';
import type { FakeConversation, FakeHelpscout } from '../../test/fakes/fake-helpscout.js';
import { VENDOR_DEMO_ORGANIZATIONS, VENDOR_DEMO_TICKETS } from './demo-script.js';
import {
  postWebhook,
  shownNote,
  SHOWN_ZONE,
  type Settle,
  vendorTally,
  type VendorTally,
} from './demo-shared.js';

export const HELPSCOUT_TENANT = 'demo-helpscout';
export const HELPSCOUT_SECRET = 'demo-helpscout-webhook-secret';
/** The Date custom fields of demo-helpscout.yaml (dueFields). */
export const HELPSCOUT_DUE_FIELDS = { 9101: 'first response due', 9102: 'resolution due' };

export async function runHelpscoutDemo(
  helpscout: FakeHelpscout,
  receiverUrl: string,
  settle: Settle,
): Promise<VendorTally> {
  let webhooks = 0;
  async function deliver(event: string, conversation: FakeConversation) {
    const body = JSON.stringify(helpscout.render(conversation));
    webhooks++;
    const deliveryId = await postWebhook(
      `${receiverUrl}/webhooks/helpscout/${HELPSCOUT_TENANT}`,
      {
        'x-helpscout-event': event,
        'x-helpscout-signature': signHelpscoutWebhook(body, HELPSCOUT_SECRET),
      },
      body,
    );
    return settle('helpscout', HELPSCOUT_TENANT, deliveryId);
  }

  for (const id of Object.keys(HELPSCOUT_DUE_FIELDS)) helpscout.dateFields.add(Number(id));
  for (const org of VENDOR_DEMO_ORGANIZATIONS) {
    helpscout.addOrganization({ id: org.id, name: org.name, domains: [org.domain] });
  }
  const conversations: {
    scenario: string;
    conversation: FakeConversation;
    tagsBefore: string[];
  }[] = [];
  for (const [i, t] of VENDOR_DEMO_TICKETS.entries()) {
    const org = VENDOR_DEMO_ORGANIZATIONS.find((o) => o.id === t.org)!;
    const customerId = 300 + i;
    helpscout.addCustomer({
      id: customerId,
      email: `customer${i}@${org.domain}`,
      organizationId: org.id,
    });
    // No priority field in Help Scout: an agent marks one with deskplan's priority tag.
    const tags = [...(t.tags ?? []), ...(t.priority ? [`deskplan_priority_${t.priority}`] : [])];
    const conversation = helpscout.addConversation({
      id: 3000 + i,
      subject: t.subject,
      primaryCustomerId: customerId,
      tags,
    });
    await deliver('convo.created', conversation);
    conversations.push({ scenario: t.scenario, conversation, tagsBefore: tags });
  }
  // deskplan's own tag write fires convo.tags: it must write nothing more.
  const writesBefore = helpscout.writes.length;
  await deliver('convo.tags', conversations[0]!.conversation);
  const echoWrites = helpscout.writes.length - writesBefore;

  console.log(
    `\nHelp Scout tenant ${HELPSCOUT_TENANT}: what deskplan wrote to each conversation of the fake Help Scout` +
      `\n(no priority field: a deskplan_priority_* tag; no due dates: Date custom fields hold the` +
      `\ndate in ${SHOWN_ZONE}, the note the exact instants):\n`,
  );
  for (const { scenario, conversation: c, tagsBefore } of conversations) {
    console.log(`#${c.id} [${scenario}] ${c.subject}`);
    console.log(`    tags: ${c.tags.join(', ')}`);
    if (tagsBefore.length) console.log(`    (tags before: ${tagsBefore.join(', ')})`);
    const fields = Object.entries(HELPSCOUT_DUE_FIELDS).map(([id, name]) => {
      const value = c.customFields.find((f) => f.id === Number(id))?.value;
      return `${name} (field ${id}) ${value ?? '—'}`;
    });
    console.log(`    date fields: ${fields.join('; ')}`);
    for (const note of helpscout.notes(c.id)) console.log(shownNote('note', note));
  }
  console.log(
    `\nThe convo.tags webhook for deskplan's own write made ${echoWrites} extra write(s).`,
  );
  return vendorTally('Help Scout', webhooks, helpscout);
}
