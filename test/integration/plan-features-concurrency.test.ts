// Rollover, top-ups, waive/unwaive and weights through the real pipeline and quota ledger, with
// two event workers on one Redis and every delivery duplicated: the same body twice at once
// (one delivery), a vendor retry of it with its own invocation id, and a second update of the
// ticket a second later (another delivery about the same ticket, racing the first one). After
// every job settled, usage must be exact and each ticket must show what a user expects.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTicket } from '../fakes/fake-zendesk.js';
import { startEventWorker } from '../helpers/event-worker.js';
import { startPipeline, TENANT, zendeskStamp } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
type Stack = Awaited<ReturnType<typeof startTwoWorkers>>;

const ORG = 1001;
const CONTRACT = 'acme-x';
const DAY_MS = 24 * 3600_000;

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

/** 'YYYY-MM-DD' of an instant, in UTC (the tenants below run on UTC). */
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthStart = (ms: number, offset = 0) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
};
const later = (stamp: string, seconds: number) =>
  zendeskStamp(new Date(Date.parse(stamp) + seconds * 1000));

/** A whole tenant, inline: UTC, English notes, one plan and one contract for org 1001. */
function tenantConfig(plan: Record<string, unknown>, contract: Record<string, unknown> = {}) {
  return {
    timeZone: 'UTC',
    locale: 'en',
    calendars: [],
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '4h', resolution: '2d' } } }],
    products: [],
    routing: { rules: [] },
    plans: [{ id: 'plan', name: 'Acme', sla: 'std', ...plan }],
    contracts: [
      {
        id: CONTRACT,
        account: { orgIds: [String(ORG)] },
        plan: 'plan',
        start: isoDay(monthStart(Date.now())),
        ...contract,
      },
    ],
  };
}

/**
 * The in-process pipeline (receiver, queue, its worker) plus a second worker with its own Redis
 * connections, ledger, ticket-state store and tenant catalog: two workers on one queue.
 */
async function startTwoWorkers(tenant: Record<string, unknown>) {
  const p = await startPipeline({ tenant });
  p.zendesk.addOrganization({ id: ORG });
  const second = startEventWorker(p);
  const completedBy = [0, 0];
  p.workers!.events.on('completed', () => completedBy[0]!++);
  second.workers.events.on('completed', () => completedBy[1]!++);
  return {
    p,
    completedBy,
    async close() {
      await second.close();
      await p.close();
    },
  };
}

/**
 * Delivers the current state of each ticket with duplicates, all tickets at once: the body twice
 * concurrently with one invocation id, once more with a fresh one (a vendor retry), and — after a
 * second update of the ticket in Zendesk (updated_at one second later) — that update's body
 * twice. Waits for every job, and returns the bodies and the distinct delivery ids.
 */
async function deliverAll(p: Pipeline, tickets: FakeTicket[]) {
  const bodies = tickets.flatMap((ticket) => {
    const first = p.trigger(ticket);
    ticket.updated_at = later(ticket.updated_at, 1); // e.g. a follow-up from the customer
    const second = p.trigger(ticket);
    return [first, second].map((body) => ({ ticket, body }));
  });
  const responses = await Promise.all(
    bodies.flatMap(({ ticket, body }, i) => [
      p.post(body, { invocationId: `inv-${ticket.id}-${i}` }),
      p.post(body, { invocationId: `inv-${ticket.id}-${i}` }),
      p.post(body),
    ]),
  );
  expect(responses.every((r) => r.status === 202)).toBe(true);
  const ids = [...new Set(responses.map((r) => r.deliveryId))];
  expect(ids).toHaveLength(bodies.length); // one delivery per distinct body
  await settleAll(p, ids);
  return { bodies: bodies.map((b) => b.body), ids };
}

/** Posts each body (concurrently, twice each) and waits for their jobs. */
async function deliverBodies(p: Pipeline, bodies: string[]) {
  const responses = await Promise.all(bodies.flatMap((body) => [p.post(body), p.post(body)]));
  expect(responses.every((r) => r.status === 202)).toBe(true);
  const ids = [...new Set(responses.map((r) => r.deliveryId))];
  expect(ids).toHaveLength(new Set(bodies).size);
  await settleAll(p, ids);
  return ids;
}

async function settleAll(p: Pipeline, ids: string[]) {
  const states = await Promise.all(ids.map(async (id) => (await p.settled(id)).state));
  expect(states.every((s) => s === 'completed')).toBe(true);
}

function addTickets(
  p: Pipeline,
  ids: number[],
  fields: (id: number) => Partial<FakeTicket> = () => ({}),
) {
  return ids.map((id) =>
    p.zendesk.addTicket({ id, subject: `Question ${id}`, organization_id: ORG, ...fields(id) }),
  );
}

/** All internal notes of all tickets, for tenant-wide "exactly once" checks. */
const allNotes = (p: Pipeline) =>
  [...p.zendesk.tickets.keys()].flatMap((id) => p.zendesk.notes(id));
const countMatching = (notes: string[], fragment: string) =>
  notes.filter((n) => n.includes(fragment)).length;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

describe('plan features under concurrent, duplicated deliveries to two workers', () => {
  it('weights: units are the exact sum of weights, each entry keeps its weight, and positions tile the usage', async () => {
    stack = await startTwoWorkers(
      tenantConfig({
        limits: [{ max: 12, per: 'month', weights: { priority: { urgent: 2, high: 1.5 } } }],
      }),
    );
    const { p, completedBy } = stack;
    const priorities = [
      'urgent',
      'normal',
      'high',
      'urgent',
      'low',
      'normal',
      'high',
      'urgent',
      'normal',
      'high',
    ] as const;
    const weightOf = { urgent: 2, high: 1.5, normal: 1, low: 1 } as const;
    const ids = priorities.map((_, i) => 101 + i);
    const tickets = addTickets(p, ids, (id) => ({ priority: priorities[id - 101]! }));

    const { bodies } = await deliverAll(p, tickets);
    expect(completedBy[0]).toBeGreaterThan(0);
    expect(completedBy[1]).toBeGreaterThan(0);
    // Late vendor retries of every body change nothing.
    await deliverBodies(p, bodies);

    const keys = await p.ledger.counterKeys(TENANT);
    const monthKey = `${CONTRACT}/tickets-month/month-${isoDay(monthStart(Date.now()))}`;
    expect(keys).toEqual([monthKey]);
    const usage = await p.ledger.usage(TENANT, monthKey);
    const total = round3(priorities.reduce((n, pr) => n + weightOf[pr], 0));
    expect(total).toBe(14.5);
    expect(usage.count).toBe(10);
    expect(usage.units).toBe(total);
    expect(await p.ledger.units(TENANT, [monthKey])).toEqual([total]);
    expect(usage.waived).toEqual([]);
    expect(usage.moved).toEqual([]);

    // Each ticket once, with the weight of its priority; positions distinct, and each one the
    // sum of the weights before it (no gap, no overlap, whatever the interleaving).
    expect(usage.entries.map((e) => e.member).sort()).toEqual(
      ids.map((id) => `ticket-${id}`).sort(),
    );
    let before = 0;
    for (const entry of usage.entries) {
      const id = Number(entry.member.slice('ticket-'.length));
      expect(entry.weight).toBe(weightOf[priorities[id - 101]!]);
      expect(entry.position).toBe(round3(before));
      before += entry.weight;
    }
    expect(new Set(usage.entries.map((e) => e.position)).size).toBe(10);

    // What each ticket shows: within quota when it started inside the 12 units (even if its
    // weight runs past them), over quota after; a weighted ticket's note says why it weighs so.
    for (const entry of usage.entries) {
      const ticket = p.zendesk.tickets.get(Number(entry.member.slice('ticket-'.length)))!;
      const over = entry.position >= 12;
      expect(ticket.tags).toContain(over ? 'deskplan_over_quota' : 'deskplan_within_quota');
      expect(ticket.tags).not.toContain(over ? 'deskplan_within_quota' : 'deskplan_over_quota');
      expect(ticket.tags.includes('deskplan_billable')).toBe(over);
      const notes = p.zendesk.notes(ticket.id);
      expect(notes.length).toBeGreaterThan(0);
      expect(notes[0]).toMatch(/^deskplan: Acme plan: [\d.]+ of 12 units used this month/);
      if (ticket.priority === 'urgent') {
        expect(notes.join('\n')).toContain('This ticket counts 2 units (urgent priority ×2).');
      } else if (ticket.priority === 'high') {
        expect(notes.join('\n')).toContain('This ticket counts 1.5 units (high priority ×1.5).');
      } else {
        expect(notes.join('\n')).not.toContain('This ticket counts');
      }
    }
    // One alert per threshold for the whole tenant, whichever ticket crossed it.
    const notes = allNotes(p);
    expect(countMatching(notes, 'Usage alert: 80% of the quota reached')).toBe(1);
    expect(countMatching(notes, 'Usage alert: 100% of the quota reached')).toBe(1);
    expect(countMatching(notes, 'Quota exceeded: ')).toBe(1);
  });

  it('waive and unwaive: a waived ticket leaves the usage until the tag goes, then counts once, at the end', async () => {
    stack = await startTwoWorkers(tenantConfig({ limits: [{ max: 4, per: 'month' }] }));
    const { p } = stack;
    const monthKey = `${CONTRACT}/tickets-month/month-${isoDay(monthStart(Date.now()))}`;
    const tickets = addTickets(p, [201, 202, 203, 204]);
    await deliverAll(p, tickets);
    let usage = await p.ledger.usage(TENANT, monthKey);
    expect([usage.count, usage.units]).toEqual([4, 4]);
    for (const t of tickets) expect(t.tags).toContain('deskplan_within_quota');

    // An agent waives ticket 202. Its webhook arrives twice at once, and a body of an earlier
    // update (without the tag, older updated_at) arrives late, after it.
    const t202 = tickets[1]!;
    const beforeWaive = { ...t202, tags: [...t202.tags] };
    t202.tags.push('deskplan_waive');
    t202.updated_at = later(t202.updated_at, 60);
    const waiveBody = p.trigger(t202);
    const staleBody = p.trigger({ ...beforeWaive, updated_at: later(t202.updated_at, -30) });
    await deliverBodies(p, [waiveBody]);
    await deliverBodies(p, [staleBody]);

    usage = await p.ledger.usage(TENANT, monthKey);
    expect([usage.count, usage.units]).toEqual([3, 3]);
    expect(usage.entries.map((e) => e.member)).not.toContain('ticket-202');
    expect(usage.waived).toEqual([
      expect.objectContaining({
        member: 'ticket-202',
        weight: 1,
        waives: [expect.objectContaining({ waivedBy: expect.any(String) })],
      }),
    ]);
    expect(usage.waived[0]!.waives[0]!.unwaivedAt).toBeUndefined();
    expect(t202.tags).toContain('deskplan_waive'); // the agent's tag is kept
    expect(t202.tags).not.toContain('deskplan_within_quota');
    expect(t202.tags).not.toContain('deskplan_over_quota');
    expect(countMatching(p.zendesk.notes(202), 'Waived by an agent (tag deskplan_waive)')).toBe(1);

    // The freed unit goes to the next ticket: ticket 205 is within quota, at position 3.
    const [t205] = addTickets(p, [205]);
    await deliverAll(p, [t205!]);
    usage = await p.ledger.usage(TENANT, monthKey);
    expect([usage.count, usage.units]).toEqual([4, 4]);
    expect(usage.entries.find((e) => e.member === 'ticket-205')?.position).toBe(3);
    expect(t205!.tags).toContain('deskplan_within_quota');

    // The agent takes the waive back (newer updated_at): delivered twice, raced by another update
    // of the ticket a second later, and by a late body from while it was waived.
    const whileWaived = { ...t202, tags: [...t202.tags] };
    t202.tags = t202.tags.filter((t) => t !== 'deskplan_waive');
    t202.updated_at = later(t202.updated_at, 60);
    const lateWaived = p.trigger({ ...whileWaived, updated_at: later(t202.updated_at, -10) });
    await deliverAll(p, [t202]);
    await deliverBodies(p, [lateWaived, waiveBody]);

    // Counted again once, at the end of the usage (after 205): 5 of 4, so past quota now.
    usage = await p.ledger.usage(TENANT, monthKey);
    expect([usage.count, usage.units]).toEqual([5, 5]);
    expect(usage.waived).toEqual([]);
    const entry = usage.entries.find((e) => e.member === 'ticket-202')!;
    expect(entry.position).toBe(4);
    expect(usage.entries.at(-1)!.member).toBe('ticket-202');
    expect(entry.waives).toEqual([
      expect.objectContaining({
        waivedAt: expect.any(Number),
        unwaivedAt: expect.any(Number),
      }),
    ]);
    expect(t202.tags).not.toContain('deskplan_waive');
    expect(t202.tags).toEqual(
      expect.arrayContaining(['deskplan_over_quota', 'deskplan_billable', 'deskplan_no_sla']),
    );
    expect(t202.tags).not.toContain('deskplan_within_quota');
    const notes202 = p.zendesk.notes(202);
    expect(countMatching(notes202, 'Waived by an agent')).toBe(1);
    expect(
      countMatching(
        notes202,
        'The waive was removed: this ticket counts again, at the end of the current usage.',
      ),
    ).toBe(1);
    expect(countMatching(notes202, 'Past quota: served as billable overage.')).toBe(1);
    expect(countMatching(allNotes(p), 'Quota exceeded: 5 of 4 tickets this month')).toBe(1);
    expect(countMatching(allNotes(p), 'Usage alert: 100% of the quota reached')).toBe(1);
    // The others keep the state they were counted with.
    for (const t of [tickets[0]!, tickets[2]!, tickets[3]!, t205!]) {
      expect(t.tags).toContain('deskplan_within_quota');
      expect(t.tags).not.toContain('deskplan_over_quota');
    }
  });

  it('rollover: backdated tickets charge last month, whose unused units (capped) extend this month', async () => {
    const now = Date.now();
    const lastMonth = monthStart(now, -1);
    // Six a month; up to half of it (3) carries into the next month. The contract starts last
    // month, so last month has nothing rolled in.
    stack = await startTwoWorkers(
      tenantConfig(
        { sla: null, limits: [{ max: 6, per: 'month', rollover: { cap: '50%' } }] },
        { start: isoDay(lastMonth) },
      ),
    );
    const { p } = stack;
    const previousKey = `${CONTRACT}/tickets-month/month-${isoDay(lastMonth)}`;
    const currentKey = `${CONTRACT}/tickets-month/month-${isoDay(monthStart(now))}`;

    // Last month: two tickets (created then, delivered now) use 2 of 6, leaving 4: 3 carry over.
    const backdated = addTickets(p, [301, 302], (id) => {
      const created = zendeskStamp(new Date(lastMonth + 2 * DAY_MS + (id - 300) * 3600_000));
      return { created_at: created, updated_at: created };
    });
    await deliverAll(p, backdated);
    expect(await p.ledger.counterKeys(TENANT)).toEqual([previousKey]);
    const previous = await p.ledger.usage(TENANT, previousKey);
    expect([previous.count, previous.units]).toEqual([2, 2]);
    for (const t of backdated) {
      expect(t.tags).toContain('deskplan_within_quota');
      expect(p.zendesk.notes(t.id)[0]).toContain('of 6 tickets used this month');
    }

    // This month: ten tickets at once against 6 + 3 rolled over.
    const ids = Array.from({ length: 10 }, (_, i) => 311 + i);
    const current = addTickets(p, ids);
    await deliverAll(p, current);
    expect(await p.ledger.counterKeys(TENANT)).toEqual([previousKey, currentKey]);
    expect(await p.ledger.units(TENANT, [previousKey, currentKey])).toEqual([2, 10]);
    const usage = await p.ledger.usage(TENANT, currentKey);
    expect(usage.count).toBe(10);
    expect(usage.entries.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    for (const entry of usage.entries) {
      const id = Number(entry.member.slice('ticket-'.length));
      const ticket = p.zendesk.tickets.get(id)!;
      // Positions 6-8 are past the month's own 6 but within the 3 rolled over: within quota.
      const over = entry.position >= 9;
      expect(ticket.tags).toContain(over ? 'deskplan_over_quota' : 'deskplan_within_quota');
      expect(ticket.tags).not.toContain(over ? 'deskplan_within_quota' : 'deskplan_over_quota');
      expect(ticket.tags.includes('deskplan_billable')).toBe(over);
      const note = p.zendesk.notes(id)[0]!;
      expect(note).toContain(' of 9 tickets used this month');
      expect(note).toContain('(allowance includes 3 rolled over)');
      if (over) expect(note).toContain('Past quota: served as billable overage.');
    }
    const notes = allNotes(p);
    expect(countMatching(notes, 'Usage alert: 80% of the quota reached (8 of 9 tickets')).toBe(1);
    expect(countMatching(notes, 'Usage alert: 100% of the quota reached (9 of 9 tickets')).toBe(1);
    expect(countMatching(notes, 'Quota exceeded: 10 of 9 tickets this month')).toBe(1);
  });

  it('top-ups: a block extends the month, and the top-up suggestion goes to one ticket tenant-wide', async () => {
    const now = Date.now();
    stack = await startTwoWorkers(
      tenantConfig(
        { limits: [{ max: 4, per: 'month' }], suggestTopUpAt: 70 },
        { topUps: [{ id: 'pack-1', units: 3, purchased: isoDay(monthStart(now)) }] },
      ),
    );
    const { p, completedBy } = stack;
    const monthKey = `${CONTRACT}/tickets-month/month-${isoDay(monthStart(now))}`;
    const ids = Array.from({ length: 9 }, (_, i) => 401 + i);
    const tickets = addTickets(p, ids);
    await deliverAll(p, tickets);
    expect(completedBy[0]).toBeGreaterThan(0);
    expect(completedBy[1]).toBeGreaterThan(0);

    const check = async () => {
      const usage = await p.ledger.usage(TENANT, monthKey);
      expect([usage.count, usage.units]).toEqual([9, 9]);
      expect(usage.entries.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      const suggested: number[] = [];
      for (const entry of usage.entries) {
        const id = Number(entry.member.slice('ticket-'.length));
        const ticket = p.zendesk.tickets.get(id)!;
        // 0-3 from the month's own 4, 4-6 from the block: within; 7 and 8 past both: over.
        const over = entry.position >= 7;
        expect(ticket.tags).toContain(over ? 'deskplan_over_quota' : 'deskplan_within_quota');
        expect(ticket.tags).not.toContain(over ? 'deskplan_within_quota' : 'deskplan_over_quota');
        expect(ticket.tags.includes('deskplan_no_sla')).toBe(over);
        expect(ticket.custom_fields.find((f) => f.id === 9002)?.value ?? null).toSatisfy(
          (v: string | null) => (over ? v === null : typeof v === 'string'),
        );
        if (ticket.tags.includes('deskplan_topup_suggested')) suggested.push(entry.position);
        const note = p.zendesk.notes(id)[0]!;
        expect(note).toContain(' of 7 tickets used this month');
        expect(note).toContain('(allowance includes 3 from top-ups)');
      }
      // 70% of 7 is 4.9: reached by the ticket at position 4, the first drawn from the block.
      expect(suggested).toEqual([4]);
      expect(
        countMatching(
          allNotes(p),
          'Top-up suggested: 70% of the allowance used (5 of 7 tickets this month); offer the account a top-up.',
        ),
      ).toBe(1);
      expect(countMatching(allNotes(p), 'Quota exceeded: 8 of 7 tickets this month')).toBe(1);
    };
    await check();

    // Later updates of every ticket (agents replying), duplicated again: nothing moves.
    for (const t of tickets) t.updated_at = later(t.updated_at, 60);
    await deliverAll(p, tickets);
    await check();
  });

  // When usage crosses suggestTopUpAt a second time in a period (a waive freed units below the
  // threshold), the second crossing ticket loses the alert claim to the first: it gets no tag
  // (deskplan tags only a ticket whose own state records the suggestion).
  it('top-ups: crossing the suggestion threshold again after a waive tags no second ticket', async () => {
    const now = Date.now();
    stack = await startTwoWorkers(
      tenantConfig(
        { limits: [{ max: 4, per: 'month' }], suggestTopUpAt: 70 },
        { topUps: [{ id: 'pack-1', units: 3, purchased: isoDay(monthStart(now)) }] },
      ),
    );
    const { p } = stack;
    const monthKey = `${CONTRACT}/tickets-month/month-${isoDay(monthStart(now))}`;
    const tickets = addTickets(p, [501, 502, 503, 504, 505]);
    await deliverAll(p, tickets);
    let usage = await p.ledger.usage(TENANT, monthKey);
    const memberAt = (position: number) =>
      p.zendesk.tickets.get(
        Number(usage.entries.find((e) => e.position === position)!.member.slice('ticket-'.length)),
      )!;
    const crossing = memberAt(4); // 70% of 7 is 4.9: reached by the ticket at position 4
    const tagged = () =>
      [...p.zendesk.tickets.values()]
        .filter((t) => t.tags.includes('deskplan_topup_suggested'))
        .map((t) => t.id);
    expect(tagged()).toEqual([crossing.id]);

    // An agent waives the first ticket: 4 units in use again, below the threshold.
    const first = memberAt(0);
    first.tags.push('deskplan_waive');
    first.updated_at = later(first.updated_at, 60);
    await deliverBodies(p, [p.trigger(first)]);
    expect(await p.ledger.units(TENANT, [monthKey])).toEqual([4]);

    // The next ticket takes position 4 and crosses 70% again: the suggestion was already made
    // for this month (one per counter and threshold), so no second ticket carries it.
    // (One delivery, posted twice: a later event of that ticket would take the tag off again.)
    const [next] = addTickets(p, [506]);
    await deliverBodies(p, [p.trigger(next!)]);
    usage = await p.ledger.usage(TENANT, monthKey);
    expect(usage.entries.find((e) => e.member === 'ticket-506')?.position).toBe(4);
    expect(countMatching(allNotes(p), 'Top-up suggested: ')).toBe(1);
    expect(next!.tags).toContain('deskplan_within_quota');
    expect(tagged()).toEqual([crossing.id]);
  });
});
