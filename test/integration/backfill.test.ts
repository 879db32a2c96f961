import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApiCommand, type CommandIo } from '../../admin/cli/api-commands.js';
import { AGENCY_TOKEN, startAdminApiOn } from '../helpers/admin-api-harness.js';
import { TENANT, startPipeline } from '../helpers/pipeline-harness.js';
import {
  backfillThroughApi,
  counterCounts,
  expectEveryCounterAt,
} from '../helpers/backfill-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let api: Awaited<ReturnType<typeof startAdminApiOn>>;
beforeEach(async () => {
  p = await startPipeline();
  api = await startAdminApiOn(p.redis, p.tenants);
  p.zendesk.addOrganization({ id: 1001, name: 'Acme' });
  p.zendesk.exportPageSize = 2;
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const now = Date.now();
  // Three tickets of the current period (the month began at most 31 days ago, so one filed a
  // minute ago is in it) and one filed 45 days ago, updated since (the export lists it too).
  for (const id of [101, 102, 103]) {
    p.zendesk.addTicket({
      id,
      subject: 'Product X: login fails',
      organization_id: 1001,
      created_at: stamp(now - 60_000),
      updated_at: stamp(now - 60_000 + id),
    });
  }
  p.zendesk.addTicket({
    id: 90,
    subject: 'Product X: old question',
    organization_id: 1001,
    created_at: stamp(now - 45 * 86_400_000),
    updated_at: stamp(now - 30_000),
  });
});
afterEach(async () => {
  await api.close();
  await p.close();
});

const backfill = () => backfillThroughApi(api, TENANT);

describe('backfill: the tickets already filed in the current periods count once', () => {
  it('counts the current periods only, and a webhook for a backfilled ticket adds nothing', async () => {
    const done = await backfill();
    expect(done).toMatchObject({ status: 'done', pages: 2, seen: 3, counted: 3, skipped: 0 });
    const ticketCounts = await expectEveryCounterAt(p.ledger, TENANT, 3);
    const exports = p.zendesk.requests.filter((r) => r.path.includes('/incremental/'));
    expect(exports[0]!.query).toMatchObject({ include: 'organizations,users' });
    expect(exports[0]!.query.start_time).toBeDefined();
    expect(exports[1]!.query.cursor).toBeDefined();
    expect(p.zendesk.writes).toHaveLength(0); // charge only: nothing written back

    const response = await p.post(p.trigger(p.zendesk.tickets.get(101)!));
    expect(response.status).toBe(202);
    await p.settled(response.deliveryId);
    expect(await counterCounts(p.ledger, TENANT)).toEqual(ticketCounts);
  });

  it('stops on a failed page, resumes from it, and a second run counts nothing twice', async () => {
    p.zendesk.failExportPages.set(2, 500);
    const failed = await backfill();
    expect(failed).toMatchObject({ status: 'failed', pages: 1, seen: 2 });
    const resumed = await backfill();
    expect(resumed).toMatchObject({ id: failed.id, status: 'done', pages: 2, seen: 3, counted: 3 });
    const again = await backfill();
    expect(again.id).not.toBe(failed.id);
    expect(again).toMatchObject({ status: 'done', seen: 3 });
    await expectEveryCounterAt(p.ledger, TENANT, 3);
  });

  it('shows a run whose process ended as stopped, and resumes it when started again', async () => {
    p.zendesk.failExportPages.set(2, 500);
    const failed = await backfill();
    // As a process that died mid-run leaves it: saved as running, its lock gone with it.
    const key = `${p.redis.prefix}:{${TENANT}}:backfill`;
    const saved = JSON.parse((await p.redis.client.get(key))!) as Record<string, unknown>;
    await p.redis.client.set(key, JSON.stringify({ ...saved, status: 'running', error: null }));
    const shown = await api.call('GET', `/tenants/${TENANT}/backfill`);
    expect(shown.body).toMatchObject({ id: failed.id, status: 'stopped', pages: 1 });
    const resumed = await backfill();
    expect(resumed).toMatchObject({ id: failed.id, status: 'done', pages: 2, seen: 3 });
  });

  it('waits out a 429 (its Retry-After) and continues', async () => {
    const waits: number[] = [];
    await api.close();
    api = await startAdminApiOn(p.redis, p.tenants, {
      sleep: async (ms) => void waits.push(ms),
    });
    p.zendesk.failNext(429, 1, 1, 'GET');
    const done = await backfill();
    expect(done).toMatchObject({ status: 'done', rateLimited: 1, counted: 3 });
    expect(waits).toEqual([1000]);
    expect(p.zendesk.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('needs an agency token to start; 404 for an unknown tenant', async () => {
    expect((await api.call('POST', `/tenants/${TENANT}/backfill`, { token: null })).status).toBe(
      401,
    );
    expect((await api.call('POST', '/tenants/nobody/backfill')).status).toBe(404);
  });
});

describe('deskplan backfill', () => {
  const env = () => ({ DESKPLAN_URL: api.url, DESKPLAN_TOKEN: AGENCY_TOKEN });
  const capture = (tty: boolean) => {
    const out: string[] = [];
    const io: CommandIo = { progress: (t) => void out.push(t), tty, pollMs: 20 };
    return { out, io };
  };

  it('shows progress in plain lines off a terminal, then exits 0', async () => {
    const { out, io } = capture(false);
    const res = await runApiCommand('backfill', [TENANT], env(), io);
    expect(res).toMatchObject({ code: 0, err: '' });
    expect(res.out).toMatch(/done: 2 page\(s\), 3 ticket\(s\) seen, 3 counted, 0 skipped/);
    expect(out.join('')).toMatch(/started/);
    expect(out.join('')).toMatch(/\[#{20}\] done/);
    expect(out.every((line) => line.endsWith('\n'))).toBe(true);
  });

  it('draws a bar in place on a terminal; --no-wait only starts it', async () => {
    const { out, io } = capture(true);
    expect((await runApiCommand('backfill', [TENANT], env(), io)).code).toBe(0);
    expect(out.some((t) => t.startsWith('\r['))).toBe(true);
    const quick = await runApiCommand('backfill', [TENANT, '--no-wait'], env(), capture(false).io);
    expect(quick.code).toBe(0);
    expect(quick.out).toMatch(/^backfill \S+ of 'acme-desk' started/);
    await api.deps.backfills!.settled(TENANT);
    expect((await runApiCommand('backfill', ['--help'], env())).out).toContain(
      'usage: deskplan backfill TENANT [--no-wait]',
    );
  });
});
