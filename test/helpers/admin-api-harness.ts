// The admin API on a real Redis, served on a free port, with an agency token and helpers to call it.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import pino from 'pino';
import { ApiTokens } from '../../admin/api/api-tokens.js';
import { adminRoutes, createAdminApi, type AdminDeps } from '../../admin/api/create-admin-api.js';
import { ShareLinks } from '../../admin/pages/share-links.js';
import { Backfills, type BackfillDeps } from '../../worker/backfill/backfills.js';
import { Onboardings } from '../../worker/onboarding/onboardings.js';
import { SetupRecords } from '../../worker/stores/setup-records.js';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { secretKeyFrom } from '../../worker/tenants/seal-secrets.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { useTestRedis, type TestRedis } from './redis.js';

/** A parsed JSON answer, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers of every shape
export type ApiBody = any;

export const AGENCY_TOKEN = 'agency-token-for-tests-0123456789';

export interface AdminApiHarness {
  redis: TestRedis;
  deps: AdminDeps;
  url: string;
  /** A fetch of `/api${path}` with a token (default the agency's); JSON in and out. */
  call(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; type?: string },
  ): Promise<{ status: number; body: ApiBody; text: string; headers: Headers }>;
  routes: ReturnType<typeof adminRoutes>['routes'];
  close(): Promise<void>;
}

export async function startAdminApi(): Promise<AdminApiHarness> {
  const redis = await useTestRedis();
  const tenantStore = new TenantStore(redis.client, redis.prefix, undefined, {
    secretKey: secretKeyFrom(randomBytes(32), 'test key'),
    env: {},
  });
  const served = await startAdminApiOn(redis, tenantStore);
  return {
    ...served,
    redis,
    async close() {
      await served.close();
      await redis.close();
    },
  };
}

/**
 * The admin API over stores a test already has (e.g. a pipeline's Redis and tenant store), with
 * an agency token; `extend` may mount more beside /api. close() stops the server only; the Redis
 * stays the caller's.
 */
export async function startAdminApiOn(
  redis: TestRedis,
  tenantStore: TenantStore,
  backfill: Partial<BackfillDeps> = {},
  extend?: (app: Express) => void,
): Promise<Omit<AdminApiHarness, 'redis'>> {
  const deps: AdminDeps = {
    tokens: new ApiTokens(redis.client, redis.prefix, AGENCY_TOKEN),
    tenantStore,
    catalog: new TenantCatalog(tenantStore, 0),
    ledger: new QuotaLedger(redis.client, redis.prefix),
    logger: pino({ level: 'silent' }),
    slaIndex: new SlaIndex(redis.client, redis.prefix),
    ticketStates: new TicketStateStore(redis.client, redis.prefix),
    shareLinks: new ShareLinks(redis.client, redis.prefix),
  };
  deps.backfills = backfillsOf(redis, deps, backfill);
  deps.onboardings = onboardingsOf(redis, deps);
  return serveAdminApi(deps, extend);
}

/** Backfills on the harness's stores; a test may give the vendor client and a clock. */
function backfillsOf(
  redis: TestRedis,
  deps: Pick<AdminDeps, 'catalog' | 'ledger' | 'ticketStates'>,
  options: Partial<BackfillDeps> = {},
) {
  return new Backfills(redis.client, redis.prefix, {
    ledger: deps.ledger,
    ticketStates: deps.ticketStates,
    tenants: deps.catalog,
    sleep: async () => {},
    ...options,
  });
}

/** Onboarding on the harness's stores (the public URL is given per call). */
function onboardingsOf(redis: TestRedis, deps: Pick<AdminDeps, 'catalog' | 'tenantStore'>) {
  return new Onboardings({
    tenantStore: deps.tenantStore,
    tenants: deps.catalog,
    records: new SetupRecords(redis.client, redis.prefix),
  });
}

async function serveAdminApi(
  deps: AdminDeps,
  extend?: (app: Express) => void,
): Promise<Omit<AdminApiHarness, 'redis'>> {
  const app = express();
  app.use('/api', createAdminApi(deps));
  // As the service's web app answers it: doctor asks it through the public URL.
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  extend?.(app);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    deps,
    url,
    routes: adminRoutes(deps).routes,
    async call(method, path, options = {}) {
      const token = options.token === undefined ? AGENCY_TOKEN : options.token;
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] = options.type ?? 'application/json';
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const res = await fetch(`${url}/api${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
