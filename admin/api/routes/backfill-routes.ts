import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { BackfillError, type Backfills } from '../../../worker/backfill/backfills.js';
import { answering, ApiError, notFound } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';

const tenantParams = z.object({ tenantId: idSchema });

const progressSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  status: z
    .enum(['running', 'done', 'failed', 'stopped'])
    .describe('stopped: the process running it ended before its end; starting it again resumes it'),
  createdFrom: z.string().nullable(),
  pages: z.number().int(),
  seen: z.number().int(),
  counted: z.number().int(),
  skipped: z.number().int(),
  rateLimited: z.number().int(),
  replies: z.boolean().describe('whether agent replies are counted too (a limit in responses)'),
  alsoUpdated: z
    .boolean()
    .describe('whether tickets opened before the periods but updated since are listed too'),
  repliesBefore: z
    .string()
    .nullable()
    .describe(
      'no reply made at or after this instant is counted here (the latest cut-off of the limits in responses): it was counted live',
    ),
  repliesRead: z.number().int(),
  repliesCounted: z.number().int(),
  repliesLeft: z
    .array(z.string())
    .describe(
      'counters whose replies were left alone: they hold replies counted live before the cut-off existed',
    ),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});

/** The progress as the API shows it (the vendor's cursor stays inside). */
const shown = (p: z.input<typeof progressSchema> & { cursor?: unknown }) => {
  const { cursor: _cursor, ...rest } = p;
  return rest;
};

/** Backfill: count the tickets (and agent replies) already filed in the current periods of a tenant's contracts. */
export function registerBackfillRoutes(registry: RouteRegistry, deps: AdminDeps): void {
  const backfills = (): Backfills => {
    if (!deps.backfills) throw new ApiError(503, 'backfills are not available in this process');
    return deps.backfills;
  };

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/backfill',
    summary:
      "Start (or resume) counting the tickets and agent replies already filed in the current periods of a tenant's contracts",
    tag: 'operations',
    access: 'agency',
    status: 202,
    params: tenantParams,
    response: progressSchema.extend({ started: z.boolean() }),
    handler: async ({ params }) => {
      const { progress, started } = await answering([BackfillError], () =>
        backfills().start(params.tenantId),
      );
      deps.logger.info({ tenant: params.tenantId, backfill: progress.id, started }, 'backfill');
      return { ...shown(progress), started };
    },
  });

  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/backfill',
    summary:
      "A tenant's backfill: its status, pages done, tickets seen, counted and skipped, replies read and counted",
    tag: 'operations',
    access: 'tenant',
    params: tenantParams,
    response: progressSchema,
    handler: async ({ params }) => {
      const progress = await backfills().current(params.tenantId);
      if (!progress) throw notFound(`a backfill of tenant '${params.tenantId}'`);
      return shown(progress);
    },
  });
}
