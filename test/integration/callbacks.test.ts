// Outgoing callbacks end to end: the real pipeline (receiver, queue, two event workers) on real
// Redis and BullMQ, a callbacks worker, and a real local HTTP receiver that records each POST.
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiTokens } from '../../admin/api/api-tokens.js';
import { createAdminApi } from '../../admin/api/create-admin-api.js';
import { CallbackOutbox } from '../../worker/callbacks/callback-outbox.js';
import { createCallbackQueue } from '../../worker/callbacks/callback-queue.js';
import { createCallbackWorker } from '../../worker/callbacks/create-callback-worker.js';
import { DeliveryHistory } from '../../worker/callbacks/delivery-history.js';
import { createRedisConnection } from '../../worker/redis/connect-redis.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import type { FakeTicket } from '../fakes/fake-zendesk.js';
import { startCallbackReceiver } from '../helpers/callback-receiver.js';
import { startEventWorker } from '../helpers/event-worker.js';
import { startPipeline, TENANT, waitFor } from '../helpers/pipeline-harness.js';

const ORG = 1001;
const CONTRACT = 'acme-x';
const CALLBACK_SECRET = 'cbsec-8f2d71a0c4e94b1f9a3e';
const AGENCY = 'agency-token-for-callback-tests-0123';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

function tenantConfig(receiverUrl: string, extra: Record<string, unknown> = {}) {
  return {
    timeZone: 'UTC',
    locale: 'en',
    calendars: [],
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '4h', resolution: '2d' } } }],
    products: [],
    routing: { rules: [] },
    plans: [
      {
        id: 'plan',
        name: 'Acme',
        sla: 'std',
        limits: [{ max: 2, per: 'month' }],
        alerts: [50, 100],
      },
    ],
    contracts: [
      {
        id: CONTRACT,
        account: { orgIds: [String(ORG)] },
        plan: 'plan',
        start: isoDay(monthStart(Date.now())),
      },
    ],
    callbacks: [{ id: 'ops', url: receiverUrl, secret: CALLBACK_SECRET }],
    ...extra,
  };
}

/** Log lines of every component that handles callbacks, for the "no secret in logs" check. */
function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: pino({ level: 'trace' }, stream) };
}

async function startStack(extra: Record<string, unknown> = {}) {
  const receiver = await startCallbackReceiver();
  const p = await startPipeline({ tenant: tenantConfig(receiver.url, extra), workers: false });
  p.zendesk.addOrganization({ id: ORG });
  const logs = captureLogs();
  const queueConnection = createRedisConnection(p.redis.url, 'queue');
  const callbackQueue = createCallbackQueue(queueConnection, p.redis.prefix, {
    backoff: { type: 'exponential', delay: 40 },
  });
  const history = new DeliveryHistory(p.redis.client, p.redis.prefix);
  const outcomes: string[] = [];
  // Two event workers, each with its own connections, stores, catalog and outbox.
  const eventWorkers = [0, 1].map(() =>
    startEventWorker(p, {
      callbacks: (client) =>
        new CallbackOutbox({
          redis: client,
          prefix: p.redis.prefix,
          queue: callbackQueue,
          history: new DeliveryHistory(client, p.redis.prefix),
          logger: logs.logger,
        }),
    }),
  );
  const cbConnection = createRedisConnection(p.redis.url, 'worker');
  const catalog = new TenantCatalog(p.tenants, 0);
  const callbackWorker = createCallbackWorker({
    connection: cbConnection,
    prefix: p.redis.prefix,
    catalog,
    history,
    logger: logs.logger,
    onDelivery: (outcome) => outcomes.push(outcome),
  });
  const outbox = new CallbackOutbox({
    redis: p.redis.client,
    prefix: p.redis.prefix,
    queue: callbackQueue,
    history,
    logger: logs.logger,
  });

  // The admin API with the callbacks wired in.
  const app = express();
  app.use(
    '/api',
    createAdminApi({
      tokens: new ApiTokens(p.redis.client, p.redis.prefix, AGENCY),
      tenantStore: p.tenants,
      catalog,
      ledger: p.ledger,
      logger: logs.logger,
      slaIndex: new SlaIndex(p.redis.client, p.redis.prefix),
      callbacks: { outbox, history },
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  async function call(method: string, path: string) {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${AGENCY}` },
    });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) };
  }

  return {
    p,
    receiver,
    history,
    outbox,
    catalog,
    callbackQueue,
    logs,
    outcomes,
    call,
    async close() {
      await callbackWorker.close();
      for (const worker of eventWorkers) await worker.close();
      await new Promise((r) => server.close(r));
      await callbackQueue.close();
      queueConnection.disconnect();
      cbConnection.disconnect();
      await p.close();
      await receiver.close();
    },
  };
}

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

/** Each ticket's body posted three times at once (two with one invocation id, one retry). */
async function deliverConcurrently(s: Stack, tickets: FakeTicket[]) {
  const responses = await Promise.all(
    tickets.flatMap((ticket) => {
      const body = s.p.trigger(ticket);
      return [
        s.p.post(body, { invocationId: `inv-${ticket.id}` }),
        s.p.post(body, { invocationId: `inv-${ticket.id}` }),
        s.p.post(body),
      ];
    }),
  );
  expect(responses.every((r) => r.status === 202)).toBe(true);
  const ids = [...new Set(responses.map((r) => r.deliveryId))];
  const states = await Promise.all(ids.map(async (id) => (await s.p.settled(id)).state));
  expect(states.every((st) => st === 'completed')).toBe(true);
}

/** Loads the verification snippet exactly as docs/callbacks.md shows it. */
async function documentedVerifier() {
  const doc = readFileSync(new URL('../../docs/callbacks.md', import.meta.url), 'utf8');
  const block = /<!-- verify-snippet:start -->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(block, 'the snippet in docs/callbacks.md').toBeTruthy();
  const file = join(mkdtempSync(join(tmpdir(), 'deskplan-verify-')), 'verify.mjs');
  writeFileSync(file, block!);
  const mod = (await import(pathToFileURL(file).href)) as {
    verifyDeskplanCallback: (
      body: string | Buffer,
      headers: IncomingHttpHeaders,
      secret: string,
      nowSeconds?: number,
    ) => boolean;
  };
  return mod.verifyDeskplanCallback;
}

describe('outgoing callbacks (real Redis, BullMQ and HTTP receiver)', () => {
  it('sends each quota event exactly once when tickets cross thresholds concurrently, duplicated, on two workers; signed as documented', async () => {
    stack = await startStack();
    const s = stack;
    const tickets = [101, 102, 103].map((id) =>
      s.p.zendesk.addTicket({ id, subject: `Question ${id}`, organization_id: ORG }),
    );
    await deliverConcurrently(s, tickets);
    // Late vendor retries of every body change nothing.
    await deliverConcurrently(s, tickets);
    await waitFor('two deliveries', () => s.receiver.requests.length >= 2);
    await new Promise((r) => setTimeout(r, 500)); // room for any duplicate to show up

    expect(s.receiver.ofType('quota.threshold_crossed')).toHaveLength(1);
    // 100% and the first overage (ticket 3) fold into one quota.exhausted.
    expect(s.receiver.ofType('quota.exhausted')).toHaveLength(1);
    expect(s.receiver.requests).toHaveLength(2);

    const threshold = s.receiver.ofType('quota.threshold_crossed')[0]!;
    const body = JSON.parse(threshold.body);
    expect(body).toMatchObject({
      type: 'quota.threshold_crossed',
      tenantId: TENANT,
      data: { contractId: CONTRACT, threshold: 50, used: 1, allowance: 2, unit: 'tickets' },
    });
    expect(threshold.headers['deskplan-delivery-id']).toBe(body.id);
    // Whichever of the two tickets' decisions is carried out first raises it (100% by the
    // second ticket, or the first overage by the third): one callback either way.
    const exhausted = JSON.parse(s.receiver.ofType('quota.exhausted')[0]!.body).data;
    if (exhausted.reason === 'threshold') {
      expect(exhausted).toMatchObject({ threshold: 100, used: 2, allowance: 2 });
    } else {
      expect(exhausted).toMatchObject({ reason: 'overage', used: 3, allowance: 2 });
    }

    const verify = await documentedVerifier();
    for (const r of s.receiver.requests) {
      expect(verify(r.body, r.headers, CALLBACK_SECRET)).toBe(true);
      expect(verify(Buffer.from(r.body), r.headers, CALLBACK_SECRET)).toBe(true);
      expect(verify(r.body, r.headers, 'another-secret-0123456789')).toBe(false);
      expect(verify(`${r.body} `, r.headers, CALLBACK_SECRET)).toBe(false);
      const stamp = Number(r.headers['deskplan-timestamp']);
      expect(verify(r.body, r.headers, CALLBACK_SECRET, stamp + 301)).toBe(false);
      expect(verify(r.body, r.headers, CALLBACK_SECRET, stamp + 299)).toBe(true);
    }
    const listed = await s.call('get', `/tenants/${TENANT}/callbacks/deliveries?state=delivered`);
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries.map((d: { event: string }) => d.event).sort()).toEqual([
      'quota.exhausted',
      'quota.threshold_crossed',
    ]);
  });

  it('retries a failing subscriber with backoff: 500, 500, then 200 is delivered with 3 attempts recorded', async () => {
    stack = await startStack();
    const s = stack;
    s.receiver.statuses.push(500, 500);
    s.p.zendesk.addTicket({ id: 201, subject: 'Help', organization_id: ORG });
    await deliverConcurrently(s, [s.p.zendesk.tickets.get(201)!]);
    const id = await waitFor('delivered', async () => {
      const all = await s.history.list(TENANT);
      return all.find((r) => r.state === 'delivered')?.deliveryId;
    });
    const detail = await s.call('get', `/tenants/${TENANT}/callbacks/deliveries/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ event: 'quota.threshold_crossed', state: 'delivered' });
    expect(detail.body.attempts.map((a: { status: number }) => a.status)).toEqual([500, 500, 200]);
    expect(detail.body.attempts[0].error).toBe('answered 500');
    expect(s.receiver.requests).toHaveLength(3);
    expect(new Set(s.receiver.requests.map((r) => r.headers['deskplan-delivery-id']))).toEqual(
      new Set([id]),
    );
    expect(new Set(s.receiver.requests.map((r) => r.body)).size).toBe(1);
    expect(s.outcomes).toEqual(['retry', 'retry', 'delivered']);
  });

  it('marks a delivery failed when its last attempt cannot even load the tenant, so the API can retry it', async () => {
    stack = await startStack();
    const s = stack;
    s.receiver.statuses.push(500);
    s.p.zendesk.addTicket({ id: 401, subject: 'Help', organization_id: ORG });
    await deliverConcurrently(s, [s.p.zendesk.tickets.get(401)!]);
    await waitFor('a first attempt', async () =>
      s.receiver.requests.length > 0 ? true : undefined,
    );
    // The tenant's config now needs a variable this process does not have: it cannot load.
    await s.p.tenants.save(TENANT, {
      ...((await s.p.tenants.current(TENANT))!.config as Record<string, unknown>),
      callbacks: [{ id: 'ops', url: s.receiver.url, secret: '${DESKPLAN_TEST_NEVER_SET}' }],
    });
    const failed = await waitFor(
      'the delivery to fail',
      async () => {
        const all = await s.history.list(TENANT);
        return all.find((r) => r.state === 'failed');
      },
      20_000,
    );
    expect(failed.attempts.at(-1)!.error).toMatch(/DESKPLAN_TEST_NEVER_SET/);
    expect(s.outcomes.at(-1)).toBe('failed');
    // Not stuck 'pending': a retry through the API is accepted.
    const retry = await s.call(
      'post',
      `/tenants/${TENANT}/callbacks/deliveries/${failed.deliveryId}/retry`,
    );
    expect(retry.status).toBe(202);
  });

  it('sends sla.breached once for a ticket past its first-response due, however often it is evaluated', async () => {
    stack = await startStack();
    const s = stack;
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const fiveHoursAgo = stamp(Date.now() - 5 * 3600_000);
    const t = s.p.zendesk.addTicket({
      id: 501,
      subject: 'Help',
      organization_id: ORG,
      created_at: fiveHoursAgo,
      updated_at: fiveHoursAgo,
    });
    await deliverConcurrently(s, [t]);
    t.updated_at = stamp(Date.now());
    await deliverConcurrently(s, [t]);
    await waitFor('the breach callback', async () =>
      s.receiver.ofType('sla.breached').length > 0 ? true : undefined,
    );
    const breached = s.receiver.ofType('sla.breached');
    expect(breached).toHaveLength(1);
    expect(JSON.parse(breached[0]!.body)).toMatchObject({
      type: 'sla.breached',
      tenantId: TENANT,
      data: expect.objectContaining({ ticketId: '501', metric: 'firstResponse' }),
    });
  });

  it('sends contract.expired once when tickets arrive after the contract ended', async () => {
    stack = await startStack({
      contracts: [
        {
          id: CONTRACT,
          name: 'Acme 2025',
          account: { orgIds: [String(ORG)] },
          plan: 'plan',
          start: '2025-01-01',
          end: '2025-12-31',
        },
      ],
    });
    const s = stack;
    const tickets = [601, 602].map((id) =>
      s.p.zendesk.addTicket({ id, subject: 'Help', organization_id: ORG }),
    );
    await deliverConcurrently(s, tickets);
    await waitFor('the expiry callback', async () =>
      s.receiver.ofType('contract.expired').length > 0 ? true : undefined,
    );
    const expired = s.receiver.ofType('contract.expired');
    expect(expired).toHaveLength(1);
    expect(JSON.parse(expired[0]!.body)).toMatchObject({
      type: 'contract.expired',
      data: expect.objectContaining({
        contractId: CONTRACT,
        contractName: 'Acme 2025',
        lastDay: '2025-12-31',
      }),
    });
  });

  it('stops at 410, and a retry through the API re-sends with the same delivery id', async () => {
    stack = await startStack();
    const s = stack;
    s.receiver.statuses.push(410);
    s.p.zendesk.addTicket({ id: 301, subject: 'Help', organization_id: ORG });
    await deliverConcurrently(s, [s.p.zendesk.tickets.get(301)!]);
    const id = await waitFor('stopped', async () => {
      const all = await s.history.list(TENANT);
      return all.find((r) => r.state === 'stopped')?.deliveryId;
    });
    await new Promise((r) => setTimeout(r, 300)); // no further attempt comes
    expect(s.receiver.requests).toHaveLength(1);
    const stopped = await s.call('get', `/tenants/${TENANT}/callbacks/deliveries?state=stopped`);
    expect(stopped.body.deliveries).toEqual([
      expect.objectContaining({ deliveryId: id, attempts: 1, retries: 0 }),
    ]);

    const retried = await s.call('post', `/tenants/${TENANT}/callbacks/deliveries/${id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ deliveryId: id, state: 'pending', retries: 1 });
    await waitFor(
      'delivered again',
      async () => (await s.history.get(TENANT, id))?.state === 'delivered',
    );
    expect(s.receiver.requests).toHaveLength(2);
    const [first, second] = s.receiver.requests;
    expect(second!.headers['deskplan-delivery-id']).toBe(id);
    expect(second!.body).toBe(first!.body);
    const record = await s.history.get(TENANT, id);
    expect(record!.attempts.map((a) => a.status)).toEqual([410, 200]);

    // Unknown deliveries and bad ids are clear JSON errors.
    const unknown = await s.call(
      'post',
      `/tenants/${TENANT}/callbacks/deliveries/00000000-0000-4000-8000-000000000000/retry`,
    );
    expect(unknown.status).toBe(404);
    const bad = await s.call('get', `/tenants/${TENANT}/callbacks/deliveries/nope`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([expect.stringMatching(/^path\.deliveryId: /)]);
  });

  it('sends a signed ping to each subscriber, and keeps secrets out of logs, answers, jobs and stored configs', async () => {
    const secret2 = `cbsec-${randomBytes(12).toString('hex')}`;
    process.env.DESKPLAN_TEST_CB_SECRET = secret2;
    stack = await startStack();
    const s = stack;
    // A second subscriber whose secret comes from the environment, for quota events only.
    await s.p.tenants.save(TENANT, {
      ...((await s.p.tenants.current(TENANT))!.config as Record<string, unknown>),
      callbacks: [
        { id: 'ops', url: s.receiver.url, secret: CALLBACK_SECRET },
        {
          id: 'billing',
          url: `${s.receiver.url}/billing`,
          events: ['quota.exhausted'],
          secret: '${DESKPLAN_TEST_CB_SECRET}',
        },
      ],
    });
    const ping = await s.call('post', `/tenants/${TENANT}/callbacks/test`);
    expect(ping.status).toBe(200);
    expect(
      ping.body.deliveries
        .map((d: { subscriberId: string; state: string }) => [d.subscriberId, d.state])
        .sort(),
    ).toEqual([
      ['billing', 'delivered'],
      ['ops', 'delivered'],
    ]);
    const verify = await documentedVerifier();
    const byUrl = (suffix: string) =>
      s.receiver.requests.find((r) => JSON.parse(r.body).data.subscriberId === suffix)!;
    expect(verify(byUrl('ops').body, byUrl('ops').headers, CALLBACK_SECRET)).toBe(true);
    expect(verify(byUrl('billing').body, byUrl('billing').headers, secret2)).toBe(true);
    expect(byUrl('ops').headers['deskplan-event']).toBe('ping');

    // A quota run: billing only gets quota.exhausted.
    const tickets = [401, 402].map((id) =>
      s.p.zendesk.addTicket({ id, subject: `Q ${id}`, organization_id: ORG }),
    );
    await deliverConcurrently(s, tickets);
    await waitFor(
      'all sent',
      async () =>
        (await s.history.list(TENANT)).every((r) => r.state === 'delivered') &&
        s.receiver.requests.length === 5,
    );
    const billing = s.receiver.requests.filter((r) => r.path === '/hooks/billing');
    expect(billing.map((r) => r.headers['deskplan-event'])).toEqual(['ping', 'quota.exhausted']);
    for (const r of billing) expect(verify(r.body, r.headers, secret2)).toBe(true);

    const answers = [
      ping.text,
      (await s.call('get', `/tenants/${TENANT}/callbacks/deliveries`)).text,
      ...(await Promise.all(
        (await s.history.list(TENANT)).map(
          async (r) =>
            (await s.call('get', `/tenants/${TENANT}/callbacks/deliveries/${r.deliveryId}`)).text,
        ),
      )),
    ];
    const jobs = await s.callbackQueue.getJobs([
      'completed',
      'failed',
      'waiting',
      'delayed',
      'active',
    ]);
    expect(jobs.length).toBeGreaterThan(0);
    const storedConfig = await s.p.redis.client.hgetall(
      `${s.p.redis.prefix}:{${TENANT}}:config:versions`,
    );
    const redisDump = JSON.stringify(storedConfig);
    expect(redisDump).toContain('$sealed');
    for (const secret of [CALLBACK_SECRET, secret2]) {
      for (const text of answers) expect(text).not.toContain(secret);
      expect(s.logs.lines.join('\n')).not.toContain(secret);
      expect(JSON.stringify(jobs.map((j) => j.data))).not.toContain(secret);
      expect(redisDump).not.toContain(secret);
    }
    expect(s.logs.lines.some((l) => l.includes('callback delivered'))).toBe(true);
    delete process.env.DESKPLAN_TEST_CB_SECRET;
  });
});
