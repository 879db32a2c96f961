import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZENDESK_AGENT_REPLY_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { ReplyCutoff } from '../../worker/stores/reply-cutoff.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import { startAdminApiOn } from '../helpers/admin-api-harness.js';
import { backfillThroughApi } from '../helpers/backfill-harness.js';
import { startPipeline, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let api: Awaited<ReturnType<typeof startAdminApiOn>>;

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const minutesAgo = (m: number) => stamp(Date.now() - m * 60_000);

beforeEach(async () => {
  // S4's customer on a plan billed by agent replies: 10 a month, nothing by tickets.
  p = await startPipeline({
    example: 's4-exhausted-quota',
    tenant: {
      plans: [
        {
          id: 'standard-50',
          name: 'Replies',
          limits: [{ unit: 'responses', max: 10, per: 'month' }],
          sla: 'standard',
        },
      ],
    },
  });
  api = await startAdminApiOn(p.redis, p.tenants);
  p.zendesk.addOrganization({ id: 4001 });
  p.zendesk.exportPageSize = 2;
});
afterEach(async () => {
  await api.close();
  await p.close();
});

/** The responses counters' counts (the plan has no other limit). */
const replyCounts = async () => {
  const keys = await p.ledger.counterKeys(TENANT);
  return Promise.all(keys.map(async (k) => (await p.ledger.usage(TENANT, k)).count));
};

/** The agent-reply trigger's delivery for the ticket as it is now, through the receiver. */
const deliverReply = async (ticketId: number) => {
  const response = await p.post(
    renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, p.zendesk.tickets.get(ticketId)!),
  );
  expect(response.status).toBe(202);
  await p.settled(response.deliveryId);
};

/** A ticket filed 45 days ago (in an earlier month) and one filed 20 minutes ago. */
function seedTickets() {
  const old = p.zendesk.addTicket({
    id: 501,
    subject: 'Reports are slow',
    organization_id: 4001,
    created_at: stamp(Date.now() - 45 * 86_400_000),
    updated_at: stamp(Date.now() - 45 * 86_400_000),
  });
  const recent = p.zendesk.addTicket({
    id: 502,
    subject: 'Export fails',
    organization_id: 4001,
    created_at: minutesAgo(20),
    updated_at: minutesAgo(20),
  });
  return { old, recent };
}

describe('backfill of agent replies (Zendesk)', () => {
  it('counts the public agent replies of the current period, on old tickets too, and a late webhook adds nothing', async () => {
    seedTickets();
    p.zendesk.addReply('501', { at: stamp(Date.now() - 40 * 86_400_000), author: 'agent' });
    p.zendesk.addReply('501', { at: minutesAgo(12), author: 'customer' });
    p.zendesk.addReply('501', { at: minutesAgo(10), author: 'agent' });
    p.zendesk.addReply('501', { at: minutesAgo(9), author: 'agent', isPublic: false });
    p.zendesk.addReply('502', { at: minutesAgo(5), author: 'agent' });

    const done = await backfillThroughApi(api, TENANT);
    // Both tickets listed (the old one was updated this month); 3 public agent replies read,
    // of which the one made 40 days ago falls in last month's period.
    expect(done).toMatchObject({
      status: 'done',
      replies: true,
      seen: 2,
      repliesRead: 3,
      repliesCounted: 2,
      repliesLeft: [],
    });
    expect(await replyCounts()).toEqual([2]);
    const comments = p.zendesk.requests.filter((r) => r.path.endsWith('/comments.json'));
    expect(comments.map((r) => r.path).sort()).toEqual([
      '/api/v2/tickets/501/comments.json',
      '/api/v2/tickets/502/comments.json',
    ]);
    expect(p.zendesk.writes).toHaveLength(0);

    // The reply made 5 minutes ago now reaches deskplan by its trigger (a late or retried
    // delivery, named by its body, not by the comment id): it was the backfill's to count.
    await deliverReply(502);
    expect(await replyCounts()).toEqual([2]);

    // A reply made after the backfill started counts live, once; a second backfill adds nothing.
    p.zendesk.addReply('502', { at: stamp(Date.now() + 1000), author: 'agent' });
    await deliverReply(502);
    expect(await replyCounts()).toEqual([3]);
    expect(await backfillThroughApi(api, TENANT)).toMatchObject({
      status: 'done',
      repliesCounted: 2,
    });
    expect(await replyCounts()).toEqual([3]);
  });

  it('after live traffic began, counts only the replies made before the first event', async () => {
    const { recent } = seedTickets();
    const firstEventAt = Date.parse(recent.updated_at);
    await p.settled((await p.post(p.trigger(recent))).deliveryId); // created: nothing counted
    // deskplan went live 20 minutes ago; a reply made 15 minutes ago was counted by its webhook.
    // (The ticket's first event set the cut-off at its own time.)
    const cutoff = await new ReplyCutoff(p.redis.client, p.redis.prefix).get(TENANT);
    expect(cutoff).toBe(firstEventAt);
    p.zendesk.addReply('502', { at: minutesAgo(15), author: 'agent' });
    await deliverReply(502);
    expect(await replyCounts()).toEqual([1]);
    // Replies on the old ticket from before deskplan went live were never delivered.
    p.zendesk.addReply('501', { at: minutesAgo(30), author: 'agent' });
    p.zendesk.addReply('501', { at: minutesAgo(25), author: 'agent' });

    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', repliesRead: 3, repliesCounted: 2 });
    expect(done.repliesBefore).toBe(new Date(cutoff!).toISOString());
    // The two early replies, plus the live one: not counted again under its comment id.
    expect(await replyCounts()).toEqual([3]);
  });

  it('leaves a counter alone that holds replies counted live before the cut-off existed', async () => {
    seedTickets();
    p.zendesk.addReply('502', { at: minutesAgo(10), author: 'agent' });
    await deliverReply(502);
    expect(await replyCounts()).toEqual([1]);
    // As an earlier deskplan, which kept no cut-off, would have left it: counted, no cut-off.
    await p.redis.client.del(`${p.redis.prefix}:{${TENANT}}:replies:cutoff`);

    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', repliesRead: 1, repliesCounted: 0 });
    expect(done.repliesLeft).toHaveLength(1);
    expect(await replyCounts()).toEqual([1]);
  });
});
