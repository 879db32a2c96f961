import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAdminApiOn } from '../helpers/admin-api-harness.js';
import { TENANT, startPipeline } from '../helpers/pipeline-harness.js';
import {
  backfillThroughApi,
  counterCounts,
  expectEveryCounterAt,
} from '../helpers/backfill-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let api: Awaited<ReturnType<typeof startAdminApiOn>>;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Conversations of the current period: more than one List Conversations page (25). */
const CURRENT = 27;

beforeEach(async () => {
  p = await startPipeline({ vendor: 'helpscout' });
  api = await startAdminApiOn(p.redis, p.tenants);
  const hs = p.helpscout!;
  hs.addOrganization({ id: 1001, name: 'Acme', domains: ['acme.example'] });
  hs.addCustomer({ id: 1, email: 'kim@acme.example', organizationId: 1001 });
  const now = Date.now();
  // Filed a minute ago or less: in the current periods (the month began at most 31 days ago).
  // One is closed already: status=all lists it too.
  for (let i = 0; i < CURRENT; i++) {
    hs.addConversation({
      id: 300 + i,
      subject: 'Product X: login fails',
      tags: ['vip'],
      status: i === 5 ? 'closed' : 'active',
      createdAt: stamp(now - 60_000 + i * 1000),
    });
  }
  // Filed 45 days ago, in no current period.
  hs.addConversation({
    id: 290,
    subject: 'Product X: old question',
    tags: ['vip'],
    createdAt: stamp(now - 45 * 86_400_000),
  });
});
afterEach(async () => {
  await api.close();
  await p.close();
});

const backfill = () => backfillThroughApi(api, TENANT);

const listCalls = () =>
  p.helpscout!.requests.filter((r) => r.method === 'GET' && r.path === '/v2/conversations');

describe('Help Scout backfill: the conversations already filed in the current periods count once', () => {
  it('counts the current periods only, page by page, and a webhook afterwards adds nothing', async () => {
    const done = await backfill();
    expect(done).toMatchObject({
      status: 'done',
      pages: 2,
      seen: CURRENT,
      counted: CURRENT,
      skipped: 0,
    });
    const ticketCounts = await expectEveryCounterAt(p.ledger, TENANT, CURRENT);

    const [first, second] = listCalls();
    expect(first!.query).toMatchObject({
      status: 'all',
      sortField: 'createdAt',
      sortOrder: 'asc',
      embed: 'threads',
      page: '1',
    });
    expect(first!.query.query).toMatch(
      /^\(createdAt:\[\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z TO \*\]\)$/,
    );
    expect(second!.query).toMatchObject({ page: '2', query: first!.query.query });
    // The one customer and its organisation are read once for all 27 conversations.
    const reads = p.helpscout!.requests.filter((r) =>
      /^\/v2\/(customers|organizations)\//.test(r.path),
    );
    expect(reads.map((r) => r.path)).toEqual(['/v2/customers/1', '/v2/organizations/1001']);
    expect(p.helpscout!.writes).toHaveLength(0); // charge only: nothing written back

    const body = JSON.stringify(p.helpscout!.render(p.helpscout!.conversations.get(301)!));
    const response = await p.postHelpscout(body, 'convo.created');
    expect(response.status).toBe(202);
    await p.settled(response.deliveryId);
    expect(await counterCounts(p.ledger, TENANT)).toEqual(ticketCounts);
  });

  it('stops on a failed page, resumes from it, and a second run counts nothing twice', async () => {
    p.helpscout!.failListPages.set(2, 500);
    const failed = await backfill();
    expect(failed).toMatchObject({ status: 'failed', pages: 1, seen: 25 });
    const resumed = await backfill();
    expect(resumed).toMatchObject({
      id: failed.id,
      status: 'done',
      pages: 2,
      seen: CURRENT,
      counted: CURRENT,
    });
    // The resumed run asked for page 2 only.
    expect(listCalls().map((r) => r.query.page)).toEqual(['1', '2', '2']);
    const again = await backfill();
    expect(again.id).not.toBe(failed.id);
    expect(again).toMatchObject({ status: 'done', seen: CURRENT });
    await expectEveryCounterAt(p.ledger, TENANT, CURRENT);
  });

  it('waits out a 429 (its X-RateLimit-Retry-After) and continues', async () => {
    const waits: number[] = [];
    await api.close();
    api = await startAdminApiOn(p.redis, p.tenants, {
      sleep: async (ms) => void waits.push(ms),
    });
    p.helpscout!.failNext(429, 1, 2, 'GET');
    const done = await backfill();
    expect(done).toMatchObject({ status: 'done', rateLimited: 1, counted: CURRENT });
    expect(waits).toEqual([2000]);
    expect(p.helpscout!.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });
});
