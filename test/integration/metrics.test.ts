import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbackDeliveries, metricsRegistry } from '../../worker/runtime/metrics.js';
import { startOperations } from '../helpers/operations-harness.js';
import { TENANT } from '../helpers/pipeline-harness.js';

type Ops = Awaited<ReturnType<typeof startOperations>>;
let ops: Ops;
afterEach(() => ops.close());

/** The value of one series in a Prometheus text answer, or undefined when absent. */
function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2]!.split(',');
    if (wanted.length === have.length && wanted.every((w) => have.includes(w))) {
      return Number(match[3]);
    }
  }
  return undefined;
}

const stamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('/metrics (real Redis, BullMQ, fake Zendesk)', () => {
  beforeEach(async () => {
    ops = await startOperations();
    ops.zendesk.addOrganization({ id: 1001, name: 'Acme' });
    metricsRegistry.resetMetrics();
  });

  it('counts webhooks by outcome, jobs by state, vendor calls by status (429s apart), charges and breaches', async () => {
    // Created ten days ago: counted in an earlier week, both SLA targets long breached.
    const old = Date.now() - 10 * 24 * 3600 * 1000;
    const ticket = ops.zendesk.addTicket({
      id: 401,
      subject: 'Product X: login fails',
      priority: 'high',
      organization_id: 1001,
      created_at: stamp(old),
      updated_at: stamp(old),
    });
    ops.zendesk.failNext(429, 1, 0, 'GET'); // the first read is rate limited, then answered
    const body = ops.trigger(ticket);
    const first = await ops.post(body);
    expect(first.status).toBe(202);
    expect((await ops.settled(first.deliveryId)).state).toBe('completed');
    expect((await ops.post(body)).status).toBe(202); // the same delivery again: a duplicate
    // Our own update's webhook: a new delivery that finds the ticket counted already.
    const echo = await ops.post(ops.trigger(ticket));
    expect((await ops.settled(echo.deliveryId)).state).toBe('completed');
    expect((await ops.post(body, { secret: 'wrong' })).status).toBe(401);
    expect((await ops.post(body, { tenant: 'nobody' })).status).toBe(404);
    expect((await ops.post(body, { contentType: 'text/plain' })).status).toBe(415);
    callbackDeliveries.inc({ outcome: 'delivered' });

    expect((await ops.call('get', '/metrics', null)).status).toBe(401);
    const res = await ops.call('get', '/metrics');
    expect(res.status).toBe(200);
    const text = res.text;
    const webhook = (outcome: string, vendor = 'zendesk') =>
      valueOf(text, 'deskplan_webhooks_total', { vendor, outcome });
    expect(webhook('accepted')).toBe(2);
    expect(webhook('duplicate')).toBe(1);
    expect(webhook('unauthorized')).toBe(1);
    expect(webhook('unknown_tenant')).toBe(1);
    expect(webhook('unsupported_media_type')).toBe(1);

    const jobs = (queue: string, state: string) => valueOf(text, 'deskplan_jobs', { queue, state });
    expect(jobs('events', 'completed')).toBe(2);
    expect(jobs('events', 'failed')).toBe(0);
    expect(jobs('events', 'waiting')).toBe(0);
    expect(jobs('timers', 'delayed')).toBe(0); // breached: no timers left to run

    const calls = (status: string, result: string) =>
      valueOf(text, 'deskplan_vendor_calls_total', { vendor: 'zendesk', status, result });
    expect(calls('429', 'rate_limited')).toBe(1);
    const reads = ops.zendesk.requests.filter((r) => r.status === 200).length;
    expect(calls('200', 'ok')).toBe(reads);
    expect(reads).toBeGreaterThanOrEqual(2); // a read and the write at least
    expect(
      valueOf(text, 'deskplan_vendor_call_duration_seconds_count', { vendor: 'zendesk' }),
    ).toBe(reads + 1);

    // Two limits (week and month): the ticket counted once in each, then found counted.
    const charges = (result: string) =>
      valueOf(text, 'deskplan_quota_charges_total', { tenant: TENANT, result });
    expect(charges('counted')).toBe(2);
    expect(charges('already_counted')).toBe(2);
    const breaches = (metric: string) =>
      valueOf(text, 'deskplan_sla_breaches_total', { tenant: TENANT, metric });
    expect(breaches('firstResponse')).toBe(1); // seen by both jobs, counted once
    expect(breaches('resolution')).toBe(1);
    expect(valueOf(text, 'deskplan_callback_deliveries_total', { outcome: 'delivered' })).toBe(1);
  });

  it('answers without a token when DESKPLAN_METRICS_PUBLIC is set, and keeps the dashboard closed', async () => {
    await ops.close();
    ops = await startOperations({ metricsPublic: true });
    const res = await ops.call('get', '/metrics', null);
    expect(res.status).toBe(200);
    expect(res.text).toContain('# TYPE deskplan_webhooks_total counter');
    expect((await ops.call('get', '/admin/queues', null)).status).toBe(401);
  });
});

describe('/admin/queues: the BullMQ dashboard', () => {
  beforeEach(async () => {
    ops = await startOperations();
  });

  it('answers 401 without the token, 403 for a tenant token, and serves the agency', async () => {
    const none = await ops.call('get', '/admin/queues', null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: { status: 401, message: 'a valid token is required (Authorization: Bearer …)' },
    });
    expect((await ops.call('get', '/admin/queues/api/queues', 'wrong')).status).toBe(401);
    const tenant = (await ops.tokens.issue('acme ops', TENANT)).token;
    expect((await ops.call('get', '/admin/queues', tenant)).status).toBe(403);
    // A token in the query string is not accepted.
    const query = await ops.call(
      'get',
      '/admin/queues?token=agency-token-for-ops-tests-0123456789',
      null,
    );
    expect(query.status).toBe(401);

    const page = await ops.call('get', '/admin/queues');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html/i);
    const api = await ops.call('get', '/admin/queues/api/queues');
    expect(api.status).toBe(200);
    const names = (api.body!.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['events', 'timers']);
  });
});
