import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { releaseHeld } from '../../../worker/queues/held-jobs.js';
import type { TenantPause } from '../../../worker/stores/tenant-pause.js';
import {
  countFailed,
  findFailed,
  listFailed,
  retryAllFailed,
  retryFailed,
  type TenantQueues,
} from '../../operations/failed-jobs.js';
import { ApiError, notFound } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { knownTenant } from '../tenant-lookup.js';
import { actorOf } from '../principal.js';

/** What the operations routes need beyond the admin API's own stores. */
export interface OperationsDeps {
  queues: TenantQueues;
  pause: TenantPause;
}

const tenantParams = z.object({ tenantId: idSchema });
const jobParams = z.object({
  tenantId: idSchema,
  jobId: z.string().min(1).max(512),
});

const failedJobSchema = z.object({
  jobId: z.string(),
  queue: z.string(),
  kind: z.string(),
  ticketId: z.string().nullable(),
  failedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  attempts: z.number().int(),
  error: z.object({
    message: z.string(),
    vendor: z.string().nullable(),
    vendorStatus: z.number().int().nullable(),
  }),
});

/** A failed job as GET /tenants/:tenantId/failed lists it (the CLI prints these). */
export type FailedJob = z.infer<typeof failedJobSchema>;

const pauseSchema = z.object({
  tenantId: z.string(),
  paused: z.boolean(),
  since: z.string().optional(),
  by: z.string().optional(),
});

/**
 * A tenant's operations: failed jobs (with the vendor's answer) and their retry, pause and
 * resume (webhooks still accepted and kept while paused), and its status.
 */
export function registerOperationsRoutes(registry: RouteRegistry, deps: AdminDeps): void {
  const ops = (): OperationsDeps => {
    if (!deps.operations) {
      throw new ApiError(503, 'the job queues are not available in this process');
    }
    return deps.operations;
  };

  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/failed',
    summary:
      "A tenant's failed jobs (events and SLA timers), newest first, with the vendor's answer",
    tag: 'operations',
    access: 'tenant',
    params: tenantParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    response: z.object({
      tenantId: z.string(),
      failed: z.array(failedJobSchema),
      /** More failed jobs than `limit`. */
      more: z.boolean(),
    }),
    handler: async ({ params, query }) => {
      await knownTenant(deps.tenantStore, params.tenantId);
      const { jobs, more } = await listFailed(ops().queues, params.tenantId, query.limit);
      return { tenantId: params.tenantId, failed: jobs, more };
    },
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/failed/retry',
    summary: 'Retry every failed job of a tenant (attempts start over)',
    tag: 'operations',
    access: 'tenant',
    params: tenantParams,
    response: z.object({ tenantId: z.string(), retried: z.array(z.string()) }),
    handler: async ({ params }) => {
      await knownTenant(deps.tenantStore, params.tenantId);
      const retried = await retryAllFailed(ops().queues, params.tenantId);
      deps.logger.info({ tenant: params.tenantId, jobs: retried.length }, 'failed jobs retried');
      return { tenantId: params.tenantId, retried };
    },
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/failed/:jobId/retry',
    summary: 'Retry one failed job of a tenant (attempts start over)',
    tag: 'operations',
    access: 'tenant',
    params: jobParams,
    response: z.object({ tenantId: z.string(), retried: z.array(z.string()) }),
    handler: async ({ params }) => {
      const { tenantId, jobId } = params;
      // Another tenant's job is not found: its id says nothing about it.
      const found = await findFailed(ops().queues, tenantId, jobId);
      if (!found) throw notFound(`job '${jobId}' of tenant '${tenantId}'`);
      if (found.state !== 'failed' || !(await retryFailed(found.job))) {
        throw new ApiError(409, `job '${jobId}' has not failed (it is ${found.state})`);
      }
      deps.logger.info({ tenant: tenantId, job: jobId }, 'failed job retried');
      return { tenantId, retried: [jobId] };
    },
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/pause',
    summary:
      'Pause a tenant: its webhooks are still accepted and kept, its jobs wait until it resumes',
    tag: 'operations',
    access: 'agency',
    params: tenantParams,
    response: pauseSchema,
    handler: async ({ params, principal }) => {
      await knownTenant(deps.tenantStore, params.tenantId);
      const { pause } = ops();
      const by = actorOf(principal!);
      if (await pause.pause(params.tenantId, by)) {
        deps.logger.warn({ tenant: params.tenantId, by }, 'tenant paused');
      }
      return { tenantId: params.tenantId, ...(await pause.state(params.tenantId)) };
    },
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/resume',
    summary: 'Resume a paused tenant: the jobs kept meanwhile are processed, oldest first',
    tag: 'operations',
    access: 'agency',
    params: tenantParams,
    response: z.object({ tenantId: z.string(), paused: z.boolean(), released: z.number().int() }),
    handler: async ({ params, principal }) => {
      await knownTenant(deps.tenantStore, params.tenantId);
      const { pause, queues } = ops();
      const was = await pause.resume(params.tenantId);
      // Also when it was not paused: jobs a crash left held are handed back.
      const released = await releaseHeld(params.tenantId, pause, [queues.events, queues.timers]);
      if (was || released > 0) {
        deps.logger.warn(
          { tenant: params.tenantId, by: actorOf(principal!), released },
          'tenant resumed',
        );
      }
      return { tenantId: params.tenantId, paused: false, released };
    },
  });

  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/status',
    summary: 'Whether a tenant is paused, how many of its jobs wait for it, and how many failed',
    tag: 'operations',
    access: 'tenant',
    params: tenantParams,
    response: pauseSchema.extend({ held: z.number().int(), failed: z.number().int() }),
    handler: async ({ params }) => {
      await knownTenant(deps.tenantStore, params.tenantId);
      const { pause, queues } = ops();
      const [state, held, failed] = await Promise.all([
        pause.state(params.tenantId),
        pause.heldCount(params.tenantId),
        countFailed(queues, params.tenantId),
      ]);
      return { tenantId: params.tenantId, ...state, held, failed };
    },
  });
}
