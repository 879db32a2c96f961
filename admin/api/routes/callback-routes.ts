import { z } from 'zod';
import { CALLBACK_EVENTS } from '../../../worker/rules/config/callback-schema.js';
import { idSchema } from '../../../worker/rules/config/ids.js';
import type { DeliveryRecord } from '../../../worker/callbacks/delivery-history.js';
import { DELIVERY_ID_PATTERN } from '../../../worker/callbacks/delivery-id.js';
import { ApiError, notFound } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { knownTenant } from '../tenant-lookup.js';

const STATES = ['pending', 'delivered', 'failed', 'stopped'] as const;
const EVENTS = [...CALLBACK_EVENTS, 'ping'] as const;

const tenantParams = z.object({ tenantId: idSchema });
const deliveryParams = tenantParams.extend({
  deliveryId: z.string().regex(DELIVERY_ID_PATTERN, { error: 'expected a delivery id (a UUID)' }),
});

const attemptSchema = z.object({
  at: z.string(),
  url: z.string(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
const summarySchema = z.object({
  deliveryId: z.string(),
  event: z.string(),
  subscriberId: z.string(),
  url: z.string(),
  state: z.enum(STATES),
  createdAt: z.string(),
  attempts: z.number().int(),
  lastAttempt: attemptSchema.nullable(),
  retries: z.number().int(),
});
const detailSchema = summarySchema.extend({
  attempts: z.array(attemptSchema),
  /** The JSON body every attempt sent. */
  payload: z.record(z.string(), z.unknown()),
});

const summaryOf = (r: DeliveryRecord): z.infer<typeof summarySchema> => ({
  deliveryId: r.deliveryId,
  event: r.event,
  subscriberId: r.subscriberId,
  url: r.url,
  state: r.state,
  createdAt: r.createdAt,
  attempts: r.attempts.length,
  lastAttempt: r.attempts.at(-1) ?? null,
  retries: r.retries,
});
const detailOf = (r: DeliveryRecord): z.infer<typeof detailSchema> => ({
  ...summaryOf(r),
  attempts: r.attempts,
  payload: JSON.parse(r.body) as Record<string, unknown>,
});

/** Outgoing callbacks: the delivery history, re-sending one delivery, and a signed test ping. */
export function registerCallbackRoutes(registry: RouteRegistry, deps: AdminDeps): void {
  const callbacks = () => {
    if (!deps.callbacks) {
      throw new ApiError(503, 'callback deliveries are not available in this process');
    }
    return deps.callbacks;
  };

  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/callbacks/deliveries',
    summary: "A tenant's callback deliveries, newest first (the last 1,000 are kept)",
    tag: 'callbacks',
    access: 'tenant',
    params: tenantParams,
    query: z
      .object({
        state: z.enum(STATES).optional(),
        event: z.enum(EVENTS).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    response: z.object({ tenantId: z.string(), deliveries: z.array(summarySchema) }),
    handler: async ({ params, query }) => {
      const { history } = callbacks();
      await knownTenant(deps.tenantStore, params.tenantId);
      const all = await history.list(params.tenantId);
      const deliveries = all
        .filter(
          (r) =>
            (!query.state || r.state === query.state) && (!query.event || r.event === query.event),
        )
        .slice(0, query.limit)
        .map(summaryOf);
      return { tenantId: params.tenantId, deliveries };
    },
  });

  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/callbacks/deliveries/:deliveryId',
    summary: 'One callback delivery: its body and every attempt (status or error, time)',
    tag: 'callbacks',
    access: 'tenant',
    params: deliveryParams,
    response: detailSchema,
    handler: async ({ params }) => {
      const record = await callbacks().history.get(params.tenantId, params.deliveryId);
      if (!record) throw notFound(`delivery '${params.deliveryId}' of tenant '${params.tenantId}'`);
      return detailOf(record);
    },
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/callbacks/deliveries/:deliveryId/retry',
    summary: 'Send a delivery again: the same delivery id and body (receivers dedupe on the id)',
    tag: 'callbacks',
    access: 'tenant',
    status: 202,
    params: deliveryParams,
    response: summarySchema,
    handler: async ({ params }) => {
      const { record, started } = await callbacks().outbox.retry(
        params.tenantId,
        params.deliveryId,
      );
      if (!record) throw notFound(`delivery '${params.deliveryId}' of tenant '${params.tenantId}'`);
      if (!started) {
        throw new ApiError(
          409,
          `delivery '${params.deliveryId}' is still being sent; retry it once it has settled`,
        );
      }
      return summaryOf(record);
    },
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/callbacks/test',
    summary: "Send a signed 'ping' to each of the tenant's callback subscribers now",
    tag: 'callbacks',
    access: 'tenant',
    params: tenantParams,
    response: z.object({ tenantId: z.string(), deliveries: z.array(detailSchema) }),
    handler: async ({ params }) => {
      const { outbox } = callbacks();
      await knownTenant(deps.tenantStore, params.tenantId);
      const tenant = await deps.catalog.get(params.tenantId);
      if (!tenant) {
        throw new ApiError(409, `tenant '${params.tenantId}' has no usable config in this process`);
      }
      if ((tenant.compiled.rules.callbacks ?? []).length === 0) {
        throw new ApiError(
          409,
          `tenant '${params.tenantId}' has no callback subscribers (add them under 'callbacks' in its config)`,
        );
      }
      const records = await outbox.ping(tenant);
      return { tenantId: params.tenantId, deliveries: records.map(detailOf) };
    },
  });
}
