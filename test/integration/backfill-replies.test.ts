import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApiCommand } from '../../admin/cli/api-commands.js';
import { ZENDESK_AGENT_REPLY_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { renderFreshdeskWebhook } from '../fakes/render-freshdesk-webhook.js';
import type { VendorClient } from '../../connectors/core/connector.js';
import { ReplyCutoff } from '../../worker/stores/reply-cutoff.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import { AGENCY_TOKEN, startAdminApiOn } from '../helpers/admin-api-harness.js';
import { backfillThroughApi } from '../helpers/backfill-harness.js';
import { startPipeline, tenantFile, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let api: Awaited<ReturnType<typeof startAdminApiOn>>;

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const minutesAgo = (m: number) => stamp(Date.now() - m * 60_000);

afterEach(async () => {
  await api.close();
  await p.close();
});

/** A pipeline (its fake helpdesk included) and the admin API on its Redis. */
async function start(options: Parameters<typeof startPipeline>[0]) {
  p = await startPipeline(options);
  api = await startAdminApiOn(p.redis, p.tenants);
}

/** S4's customer (organisation 4001) on one plan with one monthly limit of 10. */
const s4With = (name: string, limit: { unit: string; count?: string }) => ({
  plans: [
    { id: 'standard-50', name, limits: [{ max: 10, per: 'month', ...limit }], sla: 'standard' },
  ],
});

async function startS4(name: string, limit: { unit: string; count?: string }) {
  await start({ example: 's4-exhausted-quota', tenant: s4With(name, limit) });
  p.zendesk.addOrganization({ id: 4001 });
}

const longAgo = (days: number) => stamp(Date.now() - days * 86_400_000);

/** S1's Product X customer, billed by agent replies instead: 50 a month. */
const repliesPlan = {
  plans: [
    {
      id: 'product-x-standard',
      name: 'Product X replies',
      limits: [{ unit: 'responses', max: 50, per: 'month' }],
      sla: 'product-x',
    },
  ],
};

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
  beforeEach(async () => {
    // S4's customer on a plan billed by agent replies: 10 a month, nothing by tickets.
    await startS4('Replies', { unit: 'responses' });
    p.zendesk.exportPageSize = 2;
  });

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

  /** The admin API again, its backfill reading Zendesk through `wrap` around the real client. */
  const restartApiWith = async (wrap: (client: VendorClient) => Partial<VendorClient>) => {
    await api.close();
    api = await startAdminApiOn(p.redis, p.tenants, {
      clientFor: (tenant) => {
        const client = tenant.connector.createClient(tenant.connection);
        return { ...client, ...wrap(client) };
      },
    });
  };

  it('goes on past a ticket deleted between the listing and the read of its replies', async () => {
    seedTickets();
    p.zendesk.addReply('501', { at: minutesAgo(10), author: 'agent' });
    p.zendesk.addReply('502', { at: minutesAgo(5), author: 'agent' });
    await restartApiWith((client) => ({
      async listTickets(query) {
        const page = await client.listTickets!(query);
        p.zendesk.tickets.delete(501);
        return page;
      },
    }));
    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', seen: 2, repliesRead: 1, repliesCounted: 1 });
    expect(await replyCounts()).toEqual([1]);
  });

  it('stops without a word when another process took its lock over, leaving the progress to it', async () => {
    seedTickets();
    p.zendesk.addReply('501', { at: minutesAgo(10), author: 'agent' }); // listed: two pages
    p.zendesk.exportPageSize = 1;
    const lockKey = `${p.redis.prefix}:{${TENANT}}:backfill:lock`;
    await restartApiWith((client) => ({
      async listReplies(ticketId) {
        // As if this run had stalled past its lock and another process had started.
        await p.redis.client.set(lockKey, 'another-process', 'PX', 60_000);
        return client.listReplies!(ticketId);
      },
    }));
    const started = await api.call('POST', `/tenants/${TENANT}/backfill`);
    expect(started.status).toBe(202);
    const stopped = await api.deps.backfills!.settled(TENANT);
    expect(stopped).toMatchObject({ status: 'running', pages: 1 });
    const exports = p.zendesk.requests.filter((r) => r.path.includes('/incremental/'));
    expect(exports).toHaveLength(1);
    expect(await p.redis.client.get(lockKey)).toBe('another-process');
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

    const env = { DESKPLAN_URL: api.url, DESKPLAN_TOKEN: AGENCY_TOKEN };
    const io = { progress: () => {}, tty: false, pollMs: 20 };
    const res = await runApiCommand('backfill', [TENANT], env, io);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/agent replies: 1 read, 0 counted/);
    expect(res.out).toMatch(
      /replies not backfilled \(counted live before the cut-off existed\): \S+/,
    );
    const done = (await api.call('GET', `/tenants/${TENANT}/backfill`)).body;
    expect(done).toMatchObject({ status: 'done', repliesRead: 1, repliesCounted: 0 });
    expect(done.repliesLeft).toHaveLength(1);
    expect(await replyCounts()).toEqual([1]);
  });
});

describe('backfill of agent replies (Freshdesk)', () => {
  beforeEach(async () => {
    await start({ vendor: 'freshdesk', tenant: repliesPlan });
    const fd = p.freshdesk!;
    fd.addCompany({ id: 1001, name: 'Acme' });
    const old = stamp(Date.now() - 45 * 86_400_000);
    fd.addTicket({
      id: 90,
      subject: 'Product X: old',
      company_id: 1001,
      created_at: old,
      updated_at: old,
    });
    fd.addTicket({
      id: 91,
      subject: 'Product X: new',
      company_id: 1001,
      created_at: minutesAgo(20),
      updated_at: minutesAgo(20),
    });
  });

  const deliverFreshdeskReply = async (ticketId: number) => {
    const body = renderFreshdeskWebhook('agent_replied', p.freshdesk!.tickets.get(ticketId)!);
    const response = await p.postFreshdesk(body);
    expect(response.status).toBe(202);
    await p.settled(response.deliveryId);
  };

  it("counts the public agent replies (not notes, not the customer's) once, whatever the webhooks", async () => {
    const fd = p.freshdesk!;
    fd.addReply('90', { at: minutesAgo(12), author: 'customer' });
    fd.addReply('90', { at: minutesAgo(10), author: 'agent' });
    fd.addReply('91', { at: minutesAgo(5), author: 'agent' });
    fd.addReply('91', { at: minutesAgo(4), author: 'agent', isPublic: false });

    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', seen: 2, repliesRead: 2, repliesCounted: 2 });
    expect(await replyCounts()).toEqual([2]);
    const reads = fd.requests.filter((r) => r.path.endsWith('/conversations')).map((r) => r.path);
    expect(reads.sort()).toEqual([
      '/api/v2/tickets/90/conversations',
      '/api/v2/tickets/91/conversations',
    ]);

    // The rule's webhook for the reply made 5 minutes ago arrives late: the backfill had it.
    await deliverFreshdeskReply(91);
    expect(await replyCounts()).toEqual([2]);
    fd.addReply('91', { at: stamp(Date.now() + 1000), author: 'agent' });
    await deliverFreshdeskReply(91);
    expect(await replyCounts()).toEqual([3]);
  });
});

describe('backfill of agent replies (Help Scout)', () => {
  beforeEach(async () => {
    await start({ vendor: 'helpscout', tenant: repliesPlan });
    const hs = p.helpscout!;
    hs.addOrganization({ id: 1001, name: 'Acme', domains: ['acme.example'] });
    hs.addCustomer({ id: 1, email: 'kim@acme.example', organizationId: 1001 });
    hs.addConversation({
      id: 290,
      subject: 'Product X: old',
      createdAt: stamp(Date.now() - 45 * 86_400_000),
    });
    hs.addConversation({ id: 291, subject: 'Product X: new', createdAt: minutesAgo(20) });
  });

  const deliverHelpscoutReply = async (id: number) => {
    const hs = p.helpscout!;
    const body = JSON.stringify(hs.render(hs.conversations.get(id)!));
    const response = await p.postHelpscout(body, 'convo.agent.reply.created');
    expect(response.status).toBe(202);
    await p.settled(response.deliveryId);
  };

  it('counts the replies from the listed threads with no call of their own, once', async () => {
    const hs = p.helpscout!;
    hs.addReply('290', { at: stamp(Date.now() - 40 * 86_400_000), author: 'agent' });
    hs.addReply('290', { at: minutesAgo(12), author: 'customer' });
    hs.addReply('290', { at: minutesAgo(10), author: 'agent' });
    hs.addReply('291', { at: minutesAgo(5), author: 'agent' });
    hs.addReply('291', { at: minutesAgo(4), author: 'agent', isPublic: false });

    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', seen: 2, repliesRead: 3, repliesCounted: 2 });
    expect(await replyCounts()).toEqual([2]);
    expect(hs.requests.filter((r) => r.path.endsWith('/threads'))).toHaveLength(0);
    const [listing] = hs.requests.filter((r) => r.path === '/v2/conversations');
    expect(listing!.query.modifiedSince).toEqual(expect.any(String));

    await deliverHelpscoutReply(291);
    expect(await replyCounts()).toEqual([2]);
    hs.addReply('291', { at: stamp(Date.now() + 1000), author: 'agent' });
    await deliverHelpscoutReply(291);
    expect(await replyCounts()).toEqual([3]);
  });
});

describe('backfill of tickets counted at their first agent reply (Zendesk, whose listing lacks it)', () => {
  beforeEach(async () => {
    await startS4('Answered tickets', { unit: 'tickets', count: 'on-first-agent-reply' });
  });

  it('counts a ticket first answered this period (opened before it too), and its webhooks agree', async () => {
    const ticket = (id: number, createdAt: string) =>
      p.zendesk.addTicket({
        id,
        subject: 'Reports are slow',
        organization_id: 4001,
        created_at: createdAt,
        updated_at: createdAt,
      });
    ticket(601, longAgo(45)); // opened last month, first answered 10 minutes ago: counts now
    p.zendesk.addReply('601', { at: minutesAgo(10), author: 'agent' });
    ticket(602, minutesAgo(20)); // not answered yet: counts at its first reply
    p.zendesk.addReply('602', { at: minutesAgo(15), author: 'agent', isPublic: false });
    ticket(603, longAgo(45)); // first answered last month: not this month's
    p.zendesk.addReply('603', { at: longAgo(40), author: 'agent' });
    p.zendesk.addReply('603', { at: minutesAgo(5), author: 'agent' });

    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', replies: true, seen: 3, counted: 1 });
    const [key] = await p.ledger.counterKeys(TENANT);
    const usage = await p.ledger.usage(TENANT, key!);
    expect(usage.entries.map((e) => e.member)).toEqual(['ticket-601']);

    // The next reply's webhook: the worker knows the ticket was first answered 10 minutes ago
    // (the backfill kept it), so it counts the same member in the same period: still once.
    const t601 = p.zendesk.tickets.get(601)!;
    t601.updated_at = stamp(Date.now());
    await p.settled(
      (await p.post(renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, t601))).deliveryId,
    );
    expect((await p.ledger.usage(TENANT, key!)).count).toBe(1);
    // And a reply to the ticket first answered last month is not this month's count either.
    const t603 = p.zendesk.tickets.get(603)!;
    t603.updated_at = stamp(Date.now());
    await p.settled(
      (await p.post(renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, t603))).deliveryId,
    );
    expect((await p.ledger.usage(TENANT, key!)).entries.map((e) => e.member)).toEqual([
      'ticket-601',
    ]);
  });
});

describe('backfill of tickets counted at solve', () => {
  beforeEach(async () => {
    await startS4('Solved tickets', { unit: 'tickets', count: 'on-solve' });
  });

  it('lists tickets opened before the period and counts the ones solved in it', async () => {
    const ticket = (id: number, status: 'open' | 'solved', updatedAt: string) =>
      p.zendesk.addTicket({
        id,
        subject: 'Reports are slow',
        organization_id: 4001,
        status,
        created_at: longAgo(45),
        updated_at: updatedAt,
      });
    ticket(701, 'solved', minutesAgo(10)); // opened last month, solved now: this month's
    ticket(702, 'open', minutesAgo(10)); // not solved yet
    ticket(703, 'solved', longAgo(40)); // solved last month, untouched since: not listed

    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', alsoUpdated: true, replies: false, seen: 2 });
    const [key] = await p.ledger.counterKeys(TENANT);
    expect((await p.ledger.usage(TENANT, key!)).entries.map((e) => e.member)).toEqual([
      'ticket-701',
    ]);
    expect(p.zendesk.requests.filter((r) => r.path.endsWith('/comments.json'))).toHaveLength(0);
  });
});

describe('backfill of agent replies after the plan changed to count them (Zendesk)', () => {
  beforeEach(async () => {
    // S4 as written: billed by tickets, nothing by replies.
    await start({ example: 's4-exhausted-quota' });
    p.zendesk.addOrganization({ id: 4001 });
  });

  /** The counts of the responses counters only. */
  const responseCounts = async () => {
    const keys = (await p.ledger.counterKeys(TENANT)).filter((k) => k.includes('responses'));
    return Promise.all(keys.map(async (k) => (await p.ledger.usage(TENANT, k)).count));
  };

  it('counts the replies made live before the change, once, and the later ones live', async () => {
    const { recent } = seedTickets();
    // deskplan is live (the ticket's creation came 20 minutes ago), billing tickets only.
    await p.settled((await p.post(p.trigger(recent))).deliveryId);
    p.zendesk.addReply('502', { at: minutesAgo(15), author: 'agent' });
    await deliverReply(502);
    expect(await responseCounts()).toEqual([]);

    // The agency moves the customer to a plan billed by agent replies, mid-month, and runs a
    // backfill so this month's replies so far count.
    await p.tenants.save(
      TENANT,
      tenantFile('s4-exhausted-quota', p.zendesk.baseUrl, s4With('Replies', { unit: 'responses' })),
    );
    const done = await backfillThroughApi(api, TENANT);
    expect(done).toMatchObject({ status: 'done', repliesRead: 1, repliesCounted: 1 });
    expect(await responseCounts()).toEqual([1]);

    // Its webhook again (a retry) adds nothing; a reply made now counts live, once.
    await deliverReply(502);
    expect(await responseCounts()).toEqual([1]);
    p.zendesk.addReply('502', { at: stamp(Date.now() + 1000), author: 'agent' });
    await deliverReply(502);
    expect(await responseCounts()).toEqual([2]);
    expect(await backfillThroughApi(api, TENANT)).toMatchObject({ status: 'done' });
    expect(await responseCounts()).toEqual([2]);
  });
});
