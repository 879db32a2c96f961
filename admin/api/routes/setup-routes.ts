import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { OnboardingError, type Onboardings } from '../../../worker/onboarding/onboardings.js';
import { answering, ApiError } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { actorOf } from '../principal.js';

const tenantParams = z.object({ tenantId: idSchema });

const publicUrl = z
  .string()
  .max(2048)
  .optional()
  .describe(
    'Where helpdesks reach this deskplan (https://deskplan.example.com); default DESKPLAN_PUBLIC_URL, else the URL of the last connect',
  );

const itemSchema = z.object({ kind: z.string(), id: z.string(), name: z.string() });
const stepSchema = z.object({
  action: z.enum(['created', 'updated', 'unchanged', 'removed', 'gone', 'kept']),
  item: itemSchema,
  detail: z.string().optional(),
});

/** Onboarding: make, remove and check what a tenant's helpdesk needs to send deskplan events. */
export function registerSetupRoutes(registry: RouteRegistry, deps: AdminDeps): void {
  const onboardings = (): Onboardings => {
    if (!deps.onboardings) throw new ApiError(503, 'onboarding is not available in this process');
    return deps.onboardings;
  };
  const answer = <T>(run: () => Promise<T>) => answering([OnboardingError], run);

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/connect',
    summary:
      "Set up the tenant's helpdesk to send deskplan its events (webhook, triggers or rules, due fields); running it again makes nothing new and puts back what was changed",
    tag: 'onboarding',
    access: 'agency',
    params: tenantParams,
    body: z.object({ publicUrl }).strict().default({}),
    response: z.object({
      tenantId: z.string(),
      vendor: z.string(),
      webhookUrl: z.string(),
      steps: z.array(stepSchema),
      configVersion: z.number().int().nullable(),
      warnings: z.array(z.string()),
    }),
    handler: ({ params, body, principal }) =>
      answer(() =>
        onboardings().connect(params.tenantId, {
          publicUrl: body.publicUrl,
          by: actorOf(principal!),
        }),
      ),
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/disconnect',
    summary: "Remove from the tenant's helpdesk exactly what connect made there",
    tag: 'onboarding',
    access: 'agency',
    params: tenantParams,
    response: z.object({ tenantId: z.string(), steps: z.array(stepSchema) }),
    handler: ({ params, principal }) =>
      answer(() => onboardings().disconnect(params.tenantId, actorOf(principal!))),
  });

  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/doctor',
    summary:
      "Check the tenant's live helpdesk set-up (credentials, webhook reachable, triggers active, fields present) and say what to fix",
    tag: 'onboarding',
    access: 'tenant',
    params: tenantParams,
    query: z.object({ publicUrl }),
    response: z.object({
      tenantId: z.string(),
      vendor: z.string(),
      webhookUrl: z.string().nullable(),
      ok: z.boolean(),
      checks: z.array(
        z.object({
          check: z.string(),
          ok: z.boolean(),
          detail: z.string(),
          fix: z.string().optional(),
        }),
      ),
    }),
    handler: ({ params, query, principal }) => {
      // Doctor fetches <publicUrl>/healthz from here and has the helpdesk post to the URL: only
      // the agency may name one (a tenant's token would otherwise probe deskplan's network).
      if (query.publicUrl !== undefined && principal?.kind !== 'agency') {
        throw new ApiError(
          403,
          'only the agency may name a publicUrl: leave it out to check the connected URL',
        );
      }
      return answer(() => onboardings().doctor(params.tenantId, { publicUrl: query.publicUrl }));
    },
  });
}
