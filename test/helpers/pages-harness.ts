// deskplan's web app with the admin API and the pages on a real Redis, on a free port, with
// tenants saved in the tenant store and usage charged through the quota ledger as the worker does.
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { ApiTokens } from '../../admin/api/api-tokens.js';
import { createAdminApi, type AdminDeps } from '../../admin/api/create-admin-api.js';
import { createPagesRouter } from '../../admin/pages/create-pages-router.js';
import { PageSessions } from '../../admin/pages/page-sessions.js';
import { ShareLinks } from '../../admin/pages/share-links.js';
import { createWebApp } from '../../web-hooks/create-web-app.js';
import type { VendorClient } from '../../connectors/core/connector.js';
import { Backfills } from '../../worker/backfill/backfills.js';
import { resolveTicket } from '../../worker/rules/index.js';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { secretKeyFrom } from '../../worker/tenants/seal-secrets.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { useTestRedis, type TestRedis } from './redis.js';
import { org, ticketEvent } from './rules-fixtures.js';

export const AGENCY_TOKEN = 'agency-token-for-page-tests-0123456789';

/** A Zendesk connection that validates (nothing is ever called). */
export const ZENDESK = {
  vendor: 'zendesk',
  baseUrl: 'http://127.0.0.1:9',
  auth: { email: 'agent@example.com', apiToken: 'zendesk-api-token' },
  webhookSecrets: ['webhook-secret'],
};

export interface PagesHarness {
  redis: TestRedis;
  deps: AdminDeps & { sessions: PageSessions; shareLinks: ShareLinks; backfills: Backfills };
  url: string;
  /**
   * What every tenant's helpdesk answers a backfill (set by a test; none: it cannot list
   * tickets). The API and the pages share one Backfills, on the harness's clock.
   */
  helpdesk: Pick<VendorClient, 'listTickets' | 'listReplies'>;
  /** Counts one new ticket of an org as the worker does (resolve, then one ledger call). */
  charge(
    tenantId: string,
    ticket: { id: string; orgId: string; at: string; urgent?: boolean },
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startPages(nowMs: number): Promise<PagesHarness> {
  const redis = await useTestRedis();
  const tenantStore = new TenantStore(redis.client, redis.prefix, undefined, {
    secretKey: secretKeyFrom(randomBytes(32), 'test key'),
    env: {},
  });
  const logger = pino({ level: 'silent' });
  const catalog = new TenantCatalog(tenantStore, 0);
  const ledger = new QuotaLedger(redis.client, redis.prefix);
  const helpdesk: PagesHarness['helpdesk'] = {};
  const client = (): VendorClient => ({
    dueMetrics: [],
    fetchTicket: () => Promise.reject(new Error('not in page tests')),
    applyPatch: () => Promise.reject(new Error('not in page tests')),
    ...(helpdesk.listTickets ? { listTickets: (q) => helpdesk.listTickets!(q) } : {}),
    ...(helpdesk.listReplies ? { listReplies: (id) => helpdesk.listReplies!(id) } : {}),
  });
  const deps = {
    tokens: new ApiTokens(redis.client, redis.prefix, AGENCY_TOKEN),
    tenantStore,
    catalog,
    ledger,
    logger,
    sessions: new PageSessions(redis.client, redis.prefix, 3600_000),
    shareLinks: new ShareLinks(redis.client, redis.prefix),
    slaIndex: new SlaIndex(redis.client, redis.prefix),
    backfills: new Backfills(redis.client, redis.prefix, {
      ledger,
      tenants: catalog,
      clientFor: client,
      now: () => nowMs,
      sleep: async () => {},
    }),
  };
  const app = createWebApp({
    tenants: catalog,
    logger,
    enqueue: async () => {},
    readiness: {},
    admin: createAdminApi(deps),
    pages: createPagesRouter({ ...deps, now: () => nowMs }),
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let events = 0;
  return {
    redis,
    deps,
    url,
    helpdesk,
    async charge(tenantId, t) {
      const tenant = (await catalog.get(tenantId))!.compiled;
      const event = ticketEvent({
        id: t.id,
        subject: 'Help',
        account: org(t.orgId),
        createdAt: t.at,
        priority: t.urgent ? 'urgent' : 'normal',
      });
      const resolution = resolveTicket(tenant, event);
      const atMs = Date.parse(t.at);
      await deps.ledger.charge(
        tenantId,
        resolution.counters.map((c) => ({
          key: c.key,
          member: c.member,
          weight: c.weighing.weight,
          periodEndMs: c.period.end === Infinity ? null : c.period.end,
        })),
        `page-test-${++events}`,
        atMs,
        { id: t.id, waived: resolution.waived, asOfMs: atMs, by: 'agent' },
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await redis.close();
    },
  };
}
