// The whole service in-process, without vitest: the integration tests reach it through
// pipeline-harness.ts (which adds the per-file test Redis), the benchmarks directly.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { HttpClientOptions } from '../../connectors/core/http-client.js';
import type { Vendor } from '../../connectors/core/ticket.js';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { parse } from 'yaml';
import { signHelpscoutWebhook } from '../../connectors/helpscout/index.js';
import { signZendeskWebhook, ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { createWebApp } from '../../web-hooks/create-web-app.js';
import { createWorkers } from '../../worker/create-workers.js';
import { createEventQueue, eventJobId } from '../../worker/queues/event-queue.js';
import { createRedisConnection } from '../../worker/redis/connect-redis.js';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { RateGate } from '../../worker/stores/rate-gate.js';
import { ReplyCutoff } from '../../worker/stores/reply-cutoff.js';
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import { OnceMarks } from '../../worker/stores/once-marks.js';
import { TenantPause } from '../../worker/stores/tenant-pause.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { FakeFreshdesk } from '../fakes/fake-freshdesk.js';
import { FakeHelpscout } from '../fakes/fake-helpscout.js';
import { FakeZendesk, type FakeTicket } from '../fakes/fake-zendesk.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import type { TestRedis } from './prefixed-redis.js';

export const TENANT = 'acme-desk';
export const SECRET = 'whsec-current';
export const OLD_SECRET = 'whsec-previous';
/** Freshdesk's webhook secret (sent as it is in a header, so at least 16 characters). */
export const FRESHDESK_SECRET = 'fd-webhook-secret-0123456789';
export const DUE_FIELDS = { firstResponse: 9001, resolution: 9002 };

/** A Zendesk connection to the fake (API token auth, the current webhook secret), plus `more`. */
export function zendeskConnection(baseUrl: string, more: Record<string, unknown> = {}) {
  return {
    vendor: 'zendesk',
    baseUrl,
    auth: { email: 'agent@acme.example', apiToken: 'token-123' },
    webhookSecrets: [SECRET],
    ...more,
  };
}

/** A tenant file: an example's rules plus a Zendesk connection to the fake. */
export function tenantFile(
  example: string,
  baseUrl: string,
  overrides: Record<string, unknown> = {},
) {
  const rules = parse(
    readFileSync(new URL(`../../docs/examples/${example}.yaml`, import.meta.url), 'utf8'),
  );
  // End dates are dropped so these tests do not expire with the example contracts.
  const contracts = (rules.contracts ?? []).map(
    ({ end: _end, ...contract }: Record<string, unknown>) => contract,
  );
  return {
    ...rules,
    contracts,
    id: TENANT,
    connection: zendeskConnection(baseUrl, {
      webhookSecrets: [SECRET, OLD_SECRET],
      dueFields: DUE_FIELDS,
      accountAttributes: ['licenses'],
    }),
    ...overrides,
  };
}

/** A Help Scout connection to the fake (its OAuth app, Date fields for the dues). */
export function helpscoutConnection(baseUrl: string) {
  return {
    vendor: 'helpscout',
    baseUrl,
    auth: { appId: 'app-id', appSecret: 'app-secret' },
    webhookSecrets: [SECRET, OLD_SECRET],
    dueFields: DUE_FIELDS,
    timeZone: 'Asia/Tokyo',
  };
}

/** A Freshdesk connection to the fake (API key auth; webhooks carry the secret in a header). */
export function freshdeskConnection(baseUrl: string, apiKey: string) {
  return { vendor: 'freshdesk', baseUrl, apiKey, webhookSecrets: [FRESHDESK_SECRET] };
}

/** A Zendesk signature timestamp: ISO 8601 in UTC to the second (`2026-05-01T09:30:00Z`). */
export function zendeskStamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The headers of a webhook delivery signed as Zendesk signs it: JSON content type, invocation
 * id (a fresh one unless given), `x-zendesk-webhook-id` when `webhookId` is given, and the
 * signature of `body` with `secret` at `timestamp` (now unless given).
 */
export function signedWebhookHeaders(
  body: string,
  options: { secret: string; timestamp?: string; invocationId?: string; webhookId?: string },
): Record<string, string> {
  const timestamp = options.timestamp ?? zendeskStamp();
  return {
    'content-type': 'application/json',
    ...(options.webhookId === undefined ? {} : { 'x-zendesk-webhook-id': options.webhookId }),
    'x-zendesk-webhook-invocation-id': options.invocationId ?? randomUUID(),
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': signZendeskWebhook(body, options.secret, timestamp),
  };
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface PipelineOptions {
  example?: string;
  workers?: boolean;
  tenant?: Record<string, unknown>;
  /** The workers' vendor HTTP options (e.g. a short timeout). */
  http?: HttpClientOptions;
  /**
   * The tenant's helpdesk when it is not the fake Zendesk: its fake is started here and the
   * connection points at it (for Freshdesk, `tenant.connection` fields are laid over it), and
   * `settled` looks for that vendor's jobs.
   */
  vendor?: Vendor;
}

/**
 * The whole service in-process: receiver, queue, workers, a fake Zendesk, on the given Redis
 * (its keys under `redis.prefix`); close() stops it all and closes `redis`.
 */
export async function startPipelineOn(redis: TestRedis, options: PipelineOptions = {}) {
  const zendesk = new FakeZendesk();
  await zendesk.listen();
  const vendor = options.vendor ?? 'zendesk';
  const helpscout = vendor === 'helpscout' ? new FakeHelpscout() : null;
  await helpscout?.listen();
  const freshdesk = vendor === 'freshdesk' ? new FakeFreshdesk() : null;
  await freshdesk?.listen();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const tenants = new TenantStore(redis.client, redis.prefix);
  const file = tenantFile(options.example ?? 's1-product-plan', zendesk.baseUrl, options.tenant);
  if (helpscout) file.connection = helpscoutConnection(helpscout.baseUrl);
  if (freshdesk) {
    file.connection = {
      ...freshdeskConnection(freshdesk.baseUrl, freshdesk.apiKey),
      ...(options.tenant?.connection as Record<string, unknown> | undefined),
    };
  }
  await tenants.save(TENANT, file);
  const catalog = new TenantCatalog(tenants, 0);
  const queueConnection = createRedisConnection(redis.url, 'queue');
  const workerConnection = createRedisConnection(redis.url, 'worker');
  const queue = createEventQueue(queueConnection, redis.prefix, {
    backoff: { type: 'exponential', delay: 200, jitter: 0.5 },
  });
  const ledger = new QuotaLedger(redis.client, redis.prefix);
  const pause = new TenantPause(redis.client, redis.prefix);
  const app = createWebApp({
    tenants: catalog,
    logger,
    enqueue: async (data, jobId) => {
      const existed = await redis.client.exists(queue.toKey(jobId));
      await queue.add('ticket-event', data, { jobId });
      return existed === 1 ? 'duplicate' : undefined;
    },
    readiness: { redis: async () => (await redis.client.ping()) === 'PONG' },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workers =
    options.workers === false
      ? null
      : createWorkers({
          connection: workerConnection,
          prefix: redis.prefix,
          catalog,
          ledger,
          ticketStates: new TicketStateStore(redis.client, redis.prefix),
          gate: new RateGate(redis.client, redis.prefix),
          replyCutoff: new ReplyCutoff(redis.client, redis.prefix),
          logger,
          concurrency: 5,
          http: options.http,
          slaIndex: new SlaIndex(redis.client, redis.prefix),
          pause,
          marks: new OnceMarks(redis.client, redis.prefix),
        });

  let invocation = 1000;
  /** POSTs a body signed as Zendesk signs it; returns the response. */
  async function post(
    body: string,
    init: {
      secret?: string;
      timestamp?: string;
      invocationId?: string;
      contentType?: string;
      tenant?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = {
      ...signedWebhookHeaders(body, {
        secret: init.secret ?? SECRET,
        timestamp: init.timestamp,
        invocationId: init.invocationId ?? String(++invocation),
        webhookId: '01HWEBHOOK',
      }),
      ...(init.contentType === undefined ? {} : { 'content-type': init.contentType }),
      ...init.headers,
    };
    const response = await fetch(`${url}/webhooks/zendesk/${init.tenant ?? TENANT}`, {
      method: 'POST',
      headers,
      body,
    });
    const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    return {
      status: response.status,
      body: json,
      invocationId: headers['x-zendesk-webhook-invocation-id']!,
      /** The delivery id the receiver derived from the signed body (its job is named by it). */
      deliveryId: typeof json?.deliveryId === 'string' ? json.deliveryId : '',
    };
  }

  /** POSTs a body signed as Help Scout signs it, with its X-HelpScout-Event. */
  async function postHelpscout(body: string, event: string, init: { secret?: string } = {}) {
    const response = await fetch(`${url}/webhooks/helpscout/${TENANT}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-helpscout-event': event,
        'x-helpscout-signature': signHelpscoutWebhook(body, init.secret ?? SECRET),
      },
      body,
    });
    const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    return {
      status: response.status,
      body: json,
      deliveryId: typeof json?.deliveryId === 'string' ? json.deliveryId : '',
    };
  }

  /** POSTs a body as a Freshdesk automation rule sends it: the secret in X-Deskplan-Secret. */
  async function postFreshdesk(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}/webhooks/freshdesk/${TENANT}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-deskplan-secret': FRESHDESK_SECRET,
        ...headers,
      },
      body,
    });
    const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    return {
      status: response.status,
      deliveryId: typeof json?.deliveryId === 'string' ? json.deliveryId : '',
    };
  }

  /** The trigger delivery Zendesk would send for the ticket as it is now. */
  function trigger(ticket: FakeTicket) {
    const organization = ticket.organization_id
      ? zendesk.organizations.get(ticket.organization_id)
      : undefined;
    const requesterEmail = zendesk.users.get(ticket.requester_id)?.email ?? 'someone@acme.example';
    return renderTrigger(ZENDESK_TRIGGER_BODY, ticket, { organization, requesterEmail });
  }

  /** Waits until the job of a delivery is completed (or failed), and returns it. */
  async function settled(deliveryId: string) {
    const id = eventJobId(vendor, TENANT, deliveryId);
    return waitFor(`job ${id}`, async () => {
      const job = await queue.getJob(id);
      const state = job ? await job.getState() : null;
      if (state !== 'completed' && state !== 'failed') return null;
      // Read again: the copy above may predate the move that set its result or failedReason.
      return { job: (await queue.getJob(id)) ?? job!, state };
    });
  }

  return {
    redis,
    zendesk,
    helpscout,
    freshdesk,
    queue,
    timers: workers?.timerQueue ?? null,
    ledger,
    pause,
    tenants,
    url,
    workers,
    post,
    postHelpscout,
    postFreshdesk,
    trigger,
    settled,
    async close() {
      await workers?.close();
      await new Promise<void>((r) => server.close(() => r()));
      await queue.close();
      queueConnection.disconnect();
      workerConnection.disconnect();
      await zendesk.close();
      await helpscout?.close();
      await freshdesk?.close();
      await redis.close();
    },
  };
}
