import { afterEach, describe, expect, it } from 'vitest';
import { DUE_FIELDS, startPipeline, waitFor } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
afterEach(() => p.close());

/** A pipeline whose tenant is on Help Scout, with a customer of organisation 1001 (Acme). */
async function start(tenant?: Record<string, unknown>) {
  p = await startPipeline({ vendor: 'helpscout', tenant });
  const hs = p.helpscout!;
  hs.addOrganization({ id: 1001, name: 'Acme', domains: ['acme.example'] });
  hs.addCustomer({ id: 1, email: 'kim@acme.example', organizationId: 1001 });
  for (const id of Object.values(DUE_FIELDS)) hs.dateFields.add(id);
  return hs;
}

const newConversation = (id: number, tags = ['vip']) =>
  p.helpscout!.addConversation({ id, subject: 'Product X: login fails', tags });

/** What Help Scout posts for a conversation as it is now. */
const body = (id: number) =>
  JSON.stringify(p.helpscout!.render(p.helpscout!.conversations.get(id)!));

const calls = () => p.helpscout!.requests.map((r) => `${r.method} ${r.path}`);

describe('pipeline: a Help Scout tenant (signed convo.* webhook in, write-back out)', () => {
  it('writes the plan tags, the due dates and one note with the exact instants', async () => {
    const hs = await start();
    const c = newConversation(201);
    const response = await p.postHelpscout(body(201), 'convo.created');
    expect(response.status).toBe(202);
    expect(response.deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
    expect((await p.settled(response.deliveryId)).state).toBe('completed');

    expect(c.tags).toEqual(
      expect.arrayContaining([
        'vip',
        'deskplan_plan_product_x_standard',
        'deskplan_product_product_x',
        'deskplan_within_quota',
      ]),
    );
    const dates = Object.fromEntries(c.customFields.map((f) => [f.id, f.value]));
    expect(dates[DUE_FIELDS.firstResponse]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(dates[DUE_FIELDS.resolution]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const notes = hs.notes(201);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/First response due: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(notes[0]).toMatch(/Resolution due: \d{4}-\d{2}-\d{2}T/);
    expect(notes[0]).toContain('1 of 25 tickets used this week');
    // The date written is the Tokyo date of the instant in the note.
    const instant = /Resolution due: ([\d\-T:.]+Z)/.exec(notes[0]!)![1]!;
    const tokyo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(
      new Date(instant),
    );
    expect(dates[DUE_FIELDS.resolution]).toBe(tokyo);
    // One token for the whole job.
    expect(hs.tokensIssued).toBe(1);

    // The webhook our own write triggers (convo.tags) writes nothing more.
    const writes = hs.writes.length;
    const echo = await p.postHelpscout(body(201), 'convo.tags');
    expect((await p.settled(echo.deliveryId)).state).toBe('completed');
    expect(hs.writes).toHaveLength(writes);
  });

  it('a replayed body charges nothing, whatever its event header', async () => {
    const hs = await start();
    newConversation(202);
    const captured = body(202);
    const first = await p.postHelpscout(captured, 'convo.created');
    await p.settled(first.deliveryId);
    const writes = hs.writes.length;
    const replay = await p.postHelpscout(captured, 'convo.agent.reply.created');
    expect(replay.status).toBe(202);
    expect(replay.deliveryId).toBe(first.deliveryId);
    const counts = await p.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
    expect(hs.writes).toHaveLength(writes);
  });

  it('refreshes an expired token and retries the call once', async () => {
    const hs = await start();
    newConversation(203);
    await p.settled((await p.postHelpscout(body(203), 'convo.created')).deliveryId);
    expect(hs.tokensIssued).toBe(1);
    hs.expireTokens();
    hs.addThread(203, 'customer', { id: 1, type: 'customer', email: 'kim@acme.example' });
    const next = await p.postHelpscout(body(203), 'convo.customer.reply.created');
    expect((await p.settled(next.deliveryId)).state).toBe('completed');
    expect(hs.tokensIssued).toBe(2);
    const refused = hs.requests.filter((r) => r.status === 401);
    expect(refused).toHaveLength(1);
    const retried = hs.requests[hs.requests.indexOf(refused[0]!) + 2]!; // after the token call
    expect(`${retried.method} ${retried.path}`).toBe(`${refused[0]!.method} ${refused[0]!.path}`);
    expect(retried.status).toBe(200);
  });

  it('a 429 delays the tenant without dropping the write', async () => {
    const hs = await start();
    const c = newConversation(204);
    hs.failNext(429, 1, 1, 'PUT');
    const response = await p.postHelpscout(body(204), 'convo.created');
    const { state } = await p.settled(response.deliveryId);
    expect(state).toBe('completed');
    expect(hs.requests.some((r) => r.status === 429)).toBe(true);
    expect(c.tags).toContain('deskplan_within_quota');
    expect(hs.notes(204)).toHaveLength(1);
  });

  it('keeps a tag an agent added between our read and our write', async () => {
    const hs = await start();
    const c = newConversation(205);
    // Right after the worker's read, an agent tags the conversation in the UI.
    hs.after('GET', /^\/v2\/conversations\/205$/, () => c.tags.push('escalated'));
    await p.settled((await p.postHelpscout(body(205), 'convo.created')).deliveryId);
    expect(c.tags).toEqual(expect.arrayContaining(['vip', 'escalated', 'deskplan_within_quota']));
  });

  it('detects a concurrent replace-all that dropped our tags, and writes again', async () => {
    const hs = await start();
    const c = newConversation(206);
    // Right after our tag write, an agent's screen (loaded before it) saves its own tag list.
    hs.after('PUT', /\/tags$/, () => (c.tags = ['vip', 'billing']));
    await p.settled((await p.postHelpscout(body(206), 'convo.created')).deliveryId);
    expect(c.tags).toEqual(
      expect.arrayContaining([
        'vip',
        'billing',
        'deskplan_within_quota',
        'deskplan_product_product_x',
      ]),
    );
    expect(hs.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/tags'))).toHaveLength(
      2,
    );
    expect(hs.notes(206)).toHaveLength(1);
  });

  it('writes the priority as a deskplan tag (over quota: deprioritised)', async () => {
    const hs = await start({
      plans: [
        {
          id: 'product-x-standard',
          name: 'Product X Standard',
          limits: [{ max: 1, per: 'week' }],
          sla: 'product-x',
          overage: { action: 'deprioritize', priority: 'low' },
        },
      ],
    });
    newConversation(207);
    await p.settled((await p.postHelpscout(body(207), 'convo.created')).deliveryId);
    const c = newConversation(208);
    await p.settled((await p.postHelpscout(body(208), 'convo.created')).deliveryId);
    await waitFor('the priority tag', () => c.tags.includes('deskplan_priority_low'));
    expect(calls()).toContain('PUT /v2/conversations/208/tags');
    expect(hs.conversations.get(207)!.tags.some((t) => t.startsWith('deskplan_priority_'))).toBe(
      false,
    );
  });
});
