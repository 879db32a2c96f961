import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeFreshdesk } from '../fakes/fake-freshdesk.js';
import { renderFreshdeskWebhook } from '../fakes/render-freshdesk-webhook.js';
import { startAdminApiOn } from '../helpers/admin-api-harness.js';
import { TENANT, startPipeline } from '../helpers/pipeline-harness.js';
import {
  backfillThroughApi,
  counterCounts,
  expectEveryCounterAt,
} from '../helpers/backfill-harness.js';

/** One more than a full page (Freshdesk lists 100 a page), so the listing takes two pages. */
const CURRENT = 101;

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let fd: FakeFreshdesk;
let api: Awaited<ReturnType<typeof startAdminApiOn>>;

beforeEach(async () => {
  p = await startPipeline({ vendor: 'freshdesk' });
  fd = p.freshdesk!;
  fd.addCompany({ id: 1001, name: 'Acme' });
  api = await startAdminApiOn(p.redis, p.tenants);
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const now = Date.now();
  // Tickets of the current period (the month began at most 31 days ago, so one filed a minute
  // ago is in it), and one filed 45 days ago but updated since: the listing holds it too.
  for (let id = 1; id <= CURRENT; id++) {
    fd.addTicket({
      id: 200 + id,
      subject: 'Product X: login fails',
      company_id: 1001,
      created_at: stamp(now - 60_000),
      updated_at: stamp(now - 60_000 + id * 1000),
    });
  }
  fd.addTicket({
    id: 90,
    subject: 'Product X: old question',
    company_id: 1001,
    created_at: stamp(now - 45 * 86_400_000),
    updated_at: stamp(now - 30_000),
  });
});
afterEach(async () => {
  await api.close();
  await p.close();
});

const backfill = () => backfillThroughApi(api, TENANT);

const listings = () =>
  fd.requests.filter((r) => r.method === 'GET' && r.path === '/api/v2/tickets');

describe('Freshdesk backfill: the tickets already filed in the current periods count once', () => {
  it('counts the current periods only, reads each company once a page, and a webhook for a backfilled ticket adds nothing', async () => {
    const done = await backfill();
    expect(done).toMatchObject({ status: 'done', pages: 2, seen: CURRENT, counted: CURRENT });
    const ticketCounts = await expectEveryCounterAt(p.ledger, TENANT, CURRENT);
    expect(listings().map((r) => r.query)).toEqual([
      expect.objectContaining({
        order_by: 'created_at',
        order_type: 'asc',
        per_page: '100',
        page: '1',
      }),
      expect.objectContaining({ page: '2' }),
    ]);
    expect(listings()[0]!.query.updated_since).toEqual(expect.any(String));
    expect(fd.requests.filter((r) => r.path === '/api/v2/companies/1001')).toHaveLength(2);
    expect(fd.writes).toHaveLength(0); // charge only: nothing written back

    const body = renderFreshdeskWebhook('created', fd.tickets.get(201)!);
    const response = await p.postFreshdesk(body);
    expect(response.status).toBe(202);
    await p.settled(response.deliveryId);
    expect(await counterCounts(p.ledger, TENANT)).toEqual(ticketCounts);
  });

  it('stops on a failed page, resumes from it, and a second run counts nothing twice', async () => {
    fd.failListPages.set(2, 500);
    const failed = await backfill();
    // Page 1 holds the old ticket (created first, updated since) and 99 of the current ones.
    expect(failed).toMatchObject({ status: 'failed', pages: 1, seen: 99 });
    const resumed = await backfill();
    expect(resumed).toMatchObject({ id: failed.id, status: 'done', pages: 2, seen: CURRENT });
    const again = await backfill();
    expect(again.id).not.toBe(failed.id);
    expect(again).toMatchObject({ status: 'done', seen: CURRENT });
    await expectEveryCounterAt(p.ledger, TENANT, CURRENT);
  });

  it('waits out a 429 (its Retry-After) and continues', async () => {
    const waits: number[] = [];
    await api.close();
    api = await startAdminApiOn(p.redis, p.tenants, { sleep: async (ms) => void waits.push(ms) });
    fd.failNext(429, 1, 2, 'GET');
    const done = await backfill();
    expect(done).toMatchObject({ status: 'done', rateLimited: 1, counted: CURRENT });
    expect(waits).toEqual([2000]);
    expect(fd.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });
});
