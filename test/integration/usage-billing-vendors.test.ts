// The usage report, the admin API's usage and billing routes, and the quota callbacks for a tenant
// of each helpdesk: tickets go in through the vendor's webhook (test/helpers/vendor-adapters.ts),
// the figures come out of the ledger the same way whatever the vendor.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackOutbox } from '../../worker/callbacks/callback-outbox.js';
import { createCallbackQueue } from '../../worker/callbacks/callback-queue.js';
import { createCallbackWorker } from '../../worker/callbacks/create-callback-worker.js';
import { DeliveryHistory } from '../../worker/callbacks/delivery-history.js';
import { createRedisConnection } from '../../worker/redis/connect-redis.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { counterReport } from '../../worker/usage/counter-report.js';
import { startAdminApiOn } from '../helpers/admin-api-harness.js';
import { startCallbackReceiver } from '../helpers/callback-receiver.js';
import { startEventWorker } from '../helpers/event-worker.js';
import { TENANT, waitFor } from '../helpers/pipeline-harness.js';
import { startVendor, VENDORS, type Pipeline, type VendorRun } from '../helpers/vendor-adapters.js';

const CONTRACT = 'acme-care';
const CALLBACK_SECRET = 'cbsec-8f2d71a0c4e94b1f9a3e';

/** Two tickets a month, alerts at 50% and 100%, one callback subscriber; the vendor's connection. */
const rules = (receiverUrl: string) => {
  const now = new Date();
  return {
    timeZone: 'UTC',
    locale: 'en',
    calendars: [],
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '4h', resolution: '2d' } } }],
    products: [],
    routing: { rules: [] },
    plans: [
      {
        id: 'care',
        name: 'Care',
        sla: 'std',
        limits: [{ max: 2, per: 'month' }],
        alerts: [50, 100],
      },
    ],
    contracts: [
      {
        id: CONTRACT,
        name: 'Acme Care',
        account: { orgIds: ['1001'] },
        plan: 'care',
        start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
          .toISOString()
          .slice(0, 10),
      },
    ],
    callbacks: [{ id: 'ops', url: receiverUrl, secret: CALLBACK_SECRET }],
  };
};

/** Event workers that raise callbacks, and a callbacks worker, on the pipeline's Redis. */
function startWorkersWithCallbacks(p: Pipeline) {
  const logger = pino({ level: 'silent' });
  const queueConnection = createRedisConnection(p.redis.url, 'queue');
  const callbackQueue = createCallbackQueue(queueConnection, p.redis.prefix, {
    backoff: { type: 'exponential', delay: 40 },
  });
  const history = new DeliveryHistory(p.redis.client, p.redis.prefix);
  const eventWorker = startEventWorker(p, {
    logger,
    callbacks: (client) =>
      new CallbackOutbox({
        redis: client,
        prefix: p.redis.prefix,
        queue: callbackQueue,
        history,
        logger,
      }),
  });
  const cbConnection = createRedisConnection(p.redis.url, 'worker');
  const callbackWorker = createCallbackWorker({
    connection: cbConnection,
    prefix: p.redis.prefix,
    catalog: new TenantCatalog(p.tenants, 0),
    history,
    logger,
  });
  return {
    history,
    async close() {
      await callbackWorker.close();
      await eventWorker.close();
      await callbackQueue.close();
      queueConnection.disconnect();
      cbConnection.disconnect();
    },
  };
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers.length = 0;
});

describe.each(VENDORS)('usage, billing and callbacks for a %s tenant', (vendor) => {
  it('counts three tickets (one past quota) in the report, the usage and billing routes, and calls back once per threshold', async () => {
    const receiver = await startCallbackReceiver();
    closers.push(receiver.close);
    const run: VendorRun = await startVendor(vendor, {
      example: 's1-product-plan',
      tenant: rules(receiver.url),
      workers: false,
    });
    closers.push(() => run.close());
    const workers = startWorkersWithCallbacks(run.p);
    closers.push(() => workers.close());
    const api = await startAdminApiOn(run.p.redis, run.p.tenants);
    closers.push(() => api.close());

    // One at a time: 1 of 2 (50%), 2 of 2 (100%), 3 of 2 (past quota).
    for (const id of [301, 302, 303]) {
      const filed = await run.file({ id, subject: `Question ${id}`, account: { id: 1001 } });
      expect(filed.state).toBe('completed');
    }
    // The vendor delivers the second ticket's webhook again: counted once, called back once.
    expect((await run.redeliver(302)).state).toBe('completed');
    expect(run.readBack(301).tags).toContain('deskplan_within_quota');
    expect(run.readBack(303).tags).toContain('deskplan_over_quota');

    // The usage page's data: the counter report.
    const [key, ...others] = await run.p.ledger.counterKeys(TENANT);
    expect(others).toEqual([]);
    const loaded = (await new TenantCatalog(run.p.tenants, 0).get(TENANT))!;
    const report = (await counterReport(TENANT, loaded.compiled, run.p.ledger, key!))!;
    expect(report).toMatchObject({
      contract: { id: CONTRACT, name: 'Acme Care' },
      plan: { id: 'care' },
      limit: { unit: 'tickets', per: 'month', max: 2 },
      count: 3,
      used: 3,
      allowance: 2,
      remaining: 0,
      overage: 1,
    });
    expect(report.entries.map((e) => [e.member, e.overage])).toEqual([
      ['ticket-301', 0],
      ['ticket-302', 0],
      ['ticket-303', 1],
    ]);

    // The admin API: the tenant's usage, then the agency's billing report for that month.
    const usage = await api.call('get', `/tenants/${TENANT}/usage`);
    expect(usage.status).toBe(200);
    expect(usage.body.counters).toHaveLength(1);
    const [counter] = usage.body.counters;
    expect(counter).toMatchObject({
      counterKey: key,
      contract: { id: CONTRACT },
      included: 2,
      allowance: 2,
      used: 3,
      remaining: 0,
      overage: 1,
    });
    expect(counter.items.map((i: { id: string; overage: number }) => [i.id, i.overage])).toEqual([
      ['301', 0],
      ['302', 0],
      ['303', 1],
    ]);
    const month = (counter.period.firstDay as string).slice(0, 7);
    const billing = await api.call('get', `/reports/billing?month=${month}`);
    expect(billing.status).toBe(200);
    expect(billing.body.skipped).toEqual([]);
    expect(billing.body.rows).toHaveLength(1);
    expect(billing.body.rows[0]).toMatchObject({
      tenantId: TENANT,
      contract: { id: CONTRACT },
      plan: { id: 'care' },
      allowance: 2,
      used: 3,
      overage: 1,
      // docs/admin-api.md: final = the period's last day falls in the range (the month asked).
      final: true,
    });
    expect(billing.body.rows[0].overageItems.map((i: { id: string }) => i.id)).toEqual(['303']);

    // Callbacks: every one was raised while its ticket's job ran; wait until all are delivered.
    const records = await workers.history.list(TENANT);
    expect(records.map((r) => r.event).sort()).toEqual([
      'quota.exhausted',
      'quota.threshold_crossed',
    ]);
    await waitFor('callbacks delivered', async () =>
      (await workers.history.list(TENANT)).every((r) => r.state === 'delivered'),
    );
    expect(receiver.requests).toHaveLength(2);
    const [threshold] = receiver.ofType('quota.threshold_crossed');
    expect(JSON.parse(threshold!.body)).toMatchObject({
      type: 'quota.threshold_crossed',
      tenantId: TENANT,
      data: { contractId: CONTRACT, threshold: 50, used: 1, allowance: 2, unit: 'tickets' },
    });
    const [exhausted] = receiver.ofType('quota.exhausted');
    expect(JSON.parse(exhausted!.body).data).toMatchObject({
      contractId: CONTRACT,
      threshold: 100,
      used: 2,
      allowance: 2,
    });
  });
});
