import express, { type Request, type Router } from 'express';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { sendError } from '../../web-hooks/send-error.js';
import type { CallbackOutbox } from '../../worker/callbacks/callback-outbox.js';
import type { DeliveryHistory } from '../../worker/callbacks/delivery-history.js';
import type { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import type { TenantStore } from '../../worker/stores/tenant-store.js';
import type { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import type { ApiTokens } from './api-tokens.js';
import { RouteRegistry } from './define-route.js';
import { principalResolver } from './resolve-principal.js';
import { openApiDocument } from './openapi.js';
import type { Principal } from './principal.js';
import type { Backfills } from '../../worker/backfill/backfills.js';
import { registerBackfillRoutes } from './routes/backfill-routes.js';
import type { Onboardings } from '../../worker/onboarding/onboardings.js';
import { registerSetupRoutes } from './routes/setup-routes.js';
import { registerCallbackRoutes } from './routes/callback-routes.js';
import { registerTenantRoutes } from './routes/tenant-routes.js';
import { registerOperationsRoutes, type OperationsDeps } from './routes/operations-routes.js';
import { registerShareRoutes } from './routes/share-routes.js';
import type { ShareLinks } from '../pages/share-links.js';
import { registerTokenRoutes } from './routes/token-routes.js';
// The data endpoints: tenant configs, usage, billing, SLA.
import type { SlaIndex } from '../../worker/stores/sla-index.js';
import { registerBillingRoutes } from './routes/billing-routes.js';
import { registerSlaRoutes } from './routes/sla-routes.js';
import { registerTenantConfigRoutes } from './routes/tenant-config-routes.js';
import { registerUsageRoutes } from './routes/usage-routes.js';
import type { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import { registerTicketSummaryRoutes } from './routes/ticket-summary-routes.js';
import type { ZendeskOAuthDeps } from '../oauth/zendesk-oauth-deps.js';
import { registerZendeskOAuthRoutes } from './routes/zendesk-oauth-routes.js';

/** What the admin API works with. */
export interface AdminDeps {
  tokens: ApiTokens;
  tenantStore: TenantStore;
  catalog: TenantCatalog;
  ledger: QuotaLedger;
  logger: Logger;
  /** Customer share links (admin/pages); without them the share routes answer 503. */
  shareLinks?: ShareLinks;
  /** deskplan's version, for the OpenAPI document. */
  version?: string;
  /** Open tickets' next SLA dues (kept by the worker), for GET /tenants/:tenantId/sla. */
  slaIndex: SlaIndex;
  /** What the worker keeps per ticket, for the ticket summary (absent: that route answers 503). */
  ticketStates?: TicketStateStore;
  /** The job queues and the pause store (operations routes answer 503 without them). */
  operations?: OperationsDeps;
  /** Outgoing callbacks: their history and re-sends (absent: those routes answer 503). */
  callbacks?: { outbox: CallbackOutbox; history: DeliveryHistory };
  /** Backfills of the current periods (absent: those routes answer 503). */
  backfills?: Backfills;
  /** Onboarding of helpdesks: connect, disconnect, doctor (absent: those routes answer 503). */
  onboardings?: Onboardings;
  /** Connecting Zendesk tenants with the global OAuth client (absent: that route answers 503). */
  zendeskOAuth?: ZendeskOAuthDeps;
}

/** Each feature adds its routes here: one function per file under routes/. */
export type RouteModule = (registry: RouteRegistry, deps: AdminDeps) => void;

export const ROUTE_MODULES: RouteModule[] = [
  registerTokenRoutes,
  registerTenantRoutes,
  // The data endpoints.
  (registry, deps) => registerTenantConfigRoutes(registry, deps),
  (registry, deps) => registerUsageRoutes(registry, deps),
  (registry, deps) => registerBillingRoutes(registry, deps),
  (registry, deps) => registerSlaRoutes(registry, deps),
  (registry, deps) => registerTicketSummaryRoutes(registry, deps),
  registerOperationsRoutes,
  registerCallbackRoutes,
  registerShareRoutes,
  registerBackfillRoutes,
  registerSetupRoutes,
  registerZendeskOAuthRoutes,
];

const principals = new WeakMap<Request, Principal>();

/** Every route of the API (also what the OpenAPI document is built from). */
export function adminRoutes(deps: AdminDeps, modules = ROUTE_MODULES): RouteRegistry {
  const registry = new RouteRegistry();
  for (const register of modules) register(registry, deps);
  return registry;
}

/**
 * The admin API, mounted at /api: JSON (or YAML, for tenant configs) in, JSON out, errors as
 * `{error: {status, message, details}}`; /api/openapi.json documents every route.
 */
export function createAdminApi(deps: AdminDeps, modules = ROUTE_MODULES): Router {
  const router = express.Router();
  const registry = adminRoutes(deps, modules);
  router.use(express.json({ limit: '1mb' }));
  router.use(
    express.text({ type: ['application/yaml', 'application/x-yaml', 'text/yaml'], limit: '1mb' }),
  );
  router.use((req, _res, next) => {
    if (typeof req.body === 'string') {
      try {
        req.body = parseYaml(req.body);
      } catch (error) {
        sendError(
          _res,
          400,
          `the YAML body does not parse: ${(error as Error).message.split('\n')[0]}`,
        );
        return;
      }
    }
    next();
  });
  const resolve = principalResolver(deps.tokens);
  router.use(async (req, res, next) => {
    try {
      const principal = await resolve(req);
      if (principal) principals.set(req, principal);
    } catch (error) {
      deps.logger.error({ err: error }, 'token lookup failed');
      sendError(res, 503, 'cannot check the token now (Redis unavailable); try again');
      return;
    }
    next();
  });
  const document = openApiDocument(registry, deps.version ?? '0.1.0');
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  registry.mount(router, (req) => principals.get(req) ?? null);
  router.use((_req, res) => sendError(res, 404, 'no such endpoint'));
  return router;
}
