import { chargeCountersOf } from '../../worker/processors/evaluate-ticket.js';
// One vendor-neutral way to run a ticket through the whole pipeline on Zendesk, Freshdesk or
// Help Scout: an adapter turns a neutral ticket into that vendor's fake data and webhook, and
// reads back what deskplan wrote to the fake, translated to neutral terms (deskplan tags, the
// priority category written, the due instants, the note text). Where a vendor holds a thing in
// another form (Help Scout's priority tag and date-only fields, Freshdesk's priority codes and
// its own SLA dates), the read-back checks that form before translating it.
import { expect } from 'vitest';
import { ticketEventSchema, type Priority, type Vendor } from '../../connectors/core/ticket.js';
import { renderFreshdeskWebhook } from '../fakes/render-freshdesk-webhook.js';
import { resolveTicket } from '../../worker/rules/index.js';
import { compileConfig } from './rules-fixtures.js';
import { DUE_FIELDS, startPipeline, TENANT } from './pipeline-harness.js';

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
export type DueMetric = 'firstResponse' | 'resolution';

/** A ticket as a scenario states it, whatever the helpdesk. */
export interface NeutralTicket {
  id: number;
  subject: string;
  /** The priority the ticket arrives with (default: the vendor's default, normal). */
  priority?: Priority;
  /** The requester's organisation (Zendesk) / company (Freshdesk) / organization (Help Scout). */
  account?: { id: number; attributes?: Record<string, number> };
  requesterEmail?: string;
  /** Created at (ISO, whole seconds); default now. */
  createdAt?: string;
}

/** What deskplan wrote back, in vendor-neutral terms. */
export interface Written {
  /** deskplan's own tags on the ticket (Help Scout's priority tag excluded), sorted. */
  tags: string[];
  /** The priority deskplan changed the ticket to, or null when it left it alone. */
  priority: Priority | null;
  /** The due instants deskplan set (ISO, ms precision). */
  dues: Partial<Record<DueMetric, string>>;
  /** The internal notes deskplan added, as plain text. */
  notes: string[];
  /**
   * The ticket still holds due dates deskplan did not set: Freshdesk's own SLA dates, which
   * deskplan leaves when it cannot write its own (never true on Zendesk or Help Scout).
   */
  vendorDuesKept: boolean;
}

export const HELPSCOUT_DATE_ZONE = 'Asia/Tokyo'; // helpscoutConnection() in pipeline-core.ts
const iso = (raw: string) => new Date(raw).toISOString();
const own = (tags: readonly string[]) => tags.filter((t) => t.startsWith('deskplan_')).sort();
const FD_PRIORITY: Record<number, Priority> = { 1: 'low', 2: 'normal', 3: 'high', 4: 'urgent' };
const FD_CODE: Record<Priority, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
const HS_PRIORITY_TAG = /^deskplan_priority_(low|normal|high|urgent)$/;

export const stampNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A tenant of one vendor on the in-process pipeline, with its fake. */
export interface VendorRun {
  vendor: Vendor;
  p: Pipeline;
  /** Adds the ticket to the fake, posts the webhook the vendor sends on creation, waits for it. */
  file(ticket: NeutralTicket): Promise<{ deliveryId: string; state: string }>;
  /** Posts the creation webhook of an already filed ticket again (a vendor retry). */
  redeliver(id: number): Promise<{ deliveryId: string; state: string }>;
  /** What deskplan wrote to the ticket, read from the fake. */
  readBack(id: number): Written;
  close(): Promise<void>;
}

export interface StartOptions {
  /** A docs/examples config (its rules; the connection is the vendor's fake). */
  example?: string;
  /** Tenant file fields replacing the example's (not the connection). */
  tenant?: Record<string, unknown>;
  /** false: no event workers (the test runs its own, e.g. with callbacks). */
  workers?: boolean;
}

export const VENDORS: Vendor[] = ['zendesk', 'freshdesk', 'helpscout'];

export function startVendor(vendor: Vendor, options: StartOptions = {}): Promise<VendorRun> {
  if (vendor === 'freshdesk') return startFreshdesk(options);
  if (vendor === 'helpscout') return startHelpscout(options);
  return startZendesk(options);
}

async function settle(p: Pipeline, response: { status: number; deliveryId: string }) {
  expect(response.status).toBe(202);
  const { state } = await p.settled(response.deliveryId);
  return { deliveryId: response.deliveryId, state };
}

async function startZendesk(options: StartOptions): Promise<VendorRun> {
  const p = await startPipeline({
    example: options.example,
    tenant: options.tenant,
    workers: options.workers,
  });
  const initial = new Map<number, Priority | null>();
  const deliver = async (id: number) =>
    settle(p, await p.post(p.trigger(p.zendesk.tickets.get(id)!)));
  return {
    vendor: 'zendesk',
    p,
    async file(t) {
      const created = t.createdAt ?? stampNow();
      if (t.account) {
        p.zendesk.addOrganization({
          id: t.account.id,
          organization_fields: t.account.attributes ?? {},
        });
      }
      const requesterId = 70_000 + t.id;
      p.zendesk.users.set(requesterId, {
        id: requesterId,
        email: t.requesterEmail ?? 'someone@acme.example',
        name: 'Requester',
      });
      p.zendesk.addTicket({
        id: t.id,
        subject: t.subject,
        priority: t.priority ?? 'normal',
        organization_id: t.account?.id ?? null,
        requester_id: requesterId,
        created_at: created,
        updated_at: created,
      });
      initial.set(t.id, t.priority ?? 'normal');
      return deliver(t.id);
    },
    redeliver: deliver,
    readBack(id) {
      const t = p.zendesk.tickets.get(id)!;
      const dues: Written['dues'] = {};
      for (const metric of ['firstResponse', 'resolution'] as const) {
        const value = t.custom_fields.find((f) => f.id === DUE_FIELDS[metric])?.value;
        if (value) dues[metric] = iso(value);
      }
      return {
        tags: own(t.tags),
        priority: t.priority === initial.get(id) ? null : t.priority,
        dues,
        notes: p.zendesk.notes(id),
        vendorDuesKept: false,
      };
    },
    close: () => p.close(),
  };
}

async function startFreshdesk(options: StartOptions): Promise<VendorRun> {
  const p = await startPipeline({
    vendor: 'freshdesk',
    example: options.example,
    workers: options.workers,
    // Company custom fields copied into the account (S2's license tiers).
    tenant: { ...options.tenant, connection: { accountAttributes: ['licenses'] } },
  });
  const fd = p.freshdesk!;
  const initial = new Map<number, { priority: number; fr_due_by: string; due_by: string }>();
  const emails = new Map<number, string>();
  const deliver = async (id: number) => {
    const body = renderFreshdeskWebhook('created', fd.tickets.get(id)!, {
      requesterEmail: emails.get(id),
    });
    return settle(p, await p.postFreshdesk(body));
  };
  return {
    vendor: 'freshdesk',
    p,
    async file(t) {
      const created = t.createdAt ?? stampNow();
      if (t.account) {
        fd.addCompany({ id: t.account.id, custom_fields: t.account.attributes ?? {} });
      }
      const email = t.requesterEmail ?? 'someone@acme.example';
      const requesterId = 70_000 + t.id;
      fd.contacts.set(requesterId, { id: requesterId, email, name: 'Requester' });
      emails.set(t.id, email);
      const ticket = fd.addTicket({
        id: t.id,
        subject: t.subject,
        priority: FD_CODE[t.priority ?? 'normal'],
        company_id: t.account?.id ?? null,
        requester_id: requesterId,
        created_at: created,
        updated_at: created,
      });
      // Freshdesk's own SLA policy has set fr_due_by and due_by on creation (the fake's +24 h / +72 h).
      initial.set(t.id, {
        priority: ticket.priority,
        fr_due_by: ticket.fr_due_by,
        due_by: ticket.due_by,
      });
      return deliver(t.id);
    },
    redeliver: deliver,
    readBack(id) {
      const t = fd.tickets.get(id)!;
      const before = initial.get(id)!;
      expect(Object.keys(FD_PRIORITY)).toContain(String(t.priority)); // a code 1–4, never a label
      const dues: Written['dues'] = {};
      if (t.fr_due_by !== before.fr_due_by) dues.firstResponse = iso(t.fr_due_by);
      if (t.due_by !== before.due_by) dues.resolution = iso(t.due_by);
      return {
        tags: own(t.tags),
        priority: t.priority === before.priority ? null : FD_PRIORITY[t.priority]!,
        dues,
        notes: fd.notes(id),
        vendorDuesKept: t.fr_due_by === before.fr_due_by || t.due_by === before.due_by,
      };
    },
    close: () => p.close(),
  };
}

/** Help Scout's note HTML (escaped, `<br>` line breaks) as text. */
const noteText = (html: string) =>
  html
    .replace(/<br>\n?/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const localDate = (instant: string, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(instant));

async function startHelpscout(options: StartOptions): Promise<VendorRun> {
  const p = await startPipeline({
    vendor: 'helpscout',
    example: options.example,
    tenant: options.tenant,
    workers: options.workers,
  });
  const hs = p.helpscout!;
  for (const id of Object.values(DUE_FIELDS)) hs.dateFields.add(id);
  const initialPriorityTag = new Map<number, string | null>();
  const deliver = async (id: number) =>
    settle(
      p,
      await p.postHelpscout(JSON.stringify(hs.render(hs.conversations.get(id)!)), 'convo.created'),
    );
  return {
    vendor: 'helpscout',
    p,
    async file(t) {
      const created = t.createdAt ?? stampNow();
      // Help Scout organisations have a name and domains, no custom fields: attributes are lost.
      if (t.account)
        hs.addOrganization({ id: t.account.id, name: `Org ${t.account.id}`, domains: [] });
      const customerId = 70_000 + t.id;
      hs.addCustomer({
        id: customerId,
        email: t.requesterEmail ?? 'someone@acme.example',
        organizationId: t.account?.id ?? null,
      });
      // No priority field: a priority other than the default arrives as deskplan's priority tag.
      const tag = t.priority && t.priority !== 'normal' ? `deskplan_priority_${t.priority}` : null;
      hs.addConversation({
        id: t.id,
        subject: t.subject,
        primaryCustomerId: customerId,
        createdAt: created,
        userUpdatedAt: created,
        tags: tag ? [tag] : [],
      });
      initialPriorityTag.set(t.id, tag);
      return deliver(t.id);
    },
    redeliver: deliver,
    readBack(id) {
      const c = hs.conversations.get(id)!;
      const priorityTags = c.tags.filter((t) => t.startsWith('deskplan_priority_'));
      expect(priorityTags.length, 'one priority tag at most').toBeLessThanOrEqual(1);
      const priorityTag = priorityTags[0] ?? null;
      const notes = hs.notes(id).map(noteText);
      // The exact instants are in the note; the Date fields hold their local date only.
      const dues: Written['dues'] = {};
      const labels = { firstResponse: 'First response due', resolution: 'Resolution due' };
      for (const metric of ['firstResponse', 'resolution'] as const) {
        const instants = notes.flatMap((n) => {
          const m = new RegExp(`^${labels[metric]}: (\\S+)$`, 'm').exec(n);
          return m ? [m[1]!] : [];
        });
        const field = c.customFields.find((f) => f.id === DUE_FIELDS[metric])?.value ?? null;
        const instant = instants.at(-1);
        if (instant) {
          dues[metric] = iso(instant);
          expect(field, `${metric}: the date field holds the date of the note's instant`).toBe(
            localDate(instant, HELPSCOUT_DATE_ZONE),
          );
        } else {
          expect(field, `${metric}: no instant in the note, no date`).toBeNull();
        }
      }
      const written = priorityTag === initialPriorityTag.get(id) ? null : priorityTag;
      return {
        tags: own(c.tags.filter((t) => !HS_PRIORITY_TAG.test(t))),
        priority: written ? (HS_PRIORITY_TAG.exec(written)![1] as Priority) : null,
        dues,
        notes,
        vendorDuesKept: false,
      };
    },
    close: () => p.close(),
  };
}

/**
 * The customer already filed `count` tickets this period: charges them to the ledger as the
 * worker would (same counters), so that a scenario can start at the 51st or the 101st ticket.
 */
export async function prefill(
  run: { vendor: Vendor; p: Pick<Pipeline, 'ledger'> },
  rules: unknown,
  ticket: Pick<NeutralTicket, 'account' | 'requesterEmail' | 'createdAt'>,
  count: number,
) {
  const tenant = compileConfig({ ...(rules as object), id: TENANT });
  const createdAt = ticket.createdAt ?? stampNow();
  const email = ticket.requesterEmail ?? 'someone@acme.example';
  for (let i = 0; i < count; i++) {
    const event = ticketEventSchema.parse({
      vendor: run.vendor,
      tenantId: TENANT,
      eventId: `pre-${i}`,
      kind: 'ticket.created',
      occurredAt: createdAt,
      ticket: {
        id: `pre-${i}`,
        subject: 'earlier ticket',
        status: { category: 'open', detail: null },
        priority: { category: 'normal', detail: null },
        tags: [],
        requester: { id: null, email, name: null },
        account: {
          id: ticket.account ? String(ticket.account.id) : null,
          name: null,
          emailDomain: email.split('@')[1],
          attributes: ticket.account?.attributes ?? {},
        },
        createdAt,
        updatedAt: createdAt,
        firstAgentReplyAt: null,
      },
    });
    // The counters exactly as the worker charges them (weights, period ends, look-ups).
    const counters = chargeCountersOf(resolveTicket(tenant, event).counters, {});
    await run.p.ledger.charge(TENANT, counters, event.eventId, Date.parse(createdAt));
  }
}
