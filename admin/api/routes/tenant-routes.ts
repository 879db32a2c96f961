import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { notFound } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { canSee } from '../principal.js';

const tenantParams = z.object({ tenantId: idSchema });

const summarySchema = z.object({
  tenantId: z.string(),
  version: z.number().int(),
  savedAt: z.string(),
});

/** Tenants as the caller may see them: every one for the agency, its own for a tenant token. */
export function registerTenantRoutes(registry: RouteRegistry, { tenantStore }: AdminDeps): void {
  registry.add({
    method: 'get',
    path: '/tenants',
    summary: 'List the tenants this token may see',
    tag: 'tenants',
    access: 'tenant',
    response: z.object({ tenants: z.array(summarySchema) }),
    handler: async ({ principal }) => {
      const ids = (await tenantStore.tenantIds()).filter((id) => canSee(principal!, id)).sort();
      const history = await Promise.all(ids.map((id) => tenantStore.history(id)));
      return {
        tenants: ids.flatMap((tenantId, i) => {
          const last = history[i]!.at(-1);
          return last ? [{ tenantId, version: last.version, savedAt: last.savedAt }] : [];
        }),
      };
    },
  });
  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/versions',
    summary: "A tenant's kept config versions, oldest first",
    tag: 'tenants',
    access: 'tenant',
    params: tenantParams,
    response: z.object({
      tenantId: z.string(),
      versions: z.array(
        z.object({
          version: z.number().int(),
          savedAt: z.string(),
          /** Who saved it: 'agency:<token>', 'tenant:<id>:<token>', 'file:<name>'; null if unknown. */
          savedBy: z.string().nullable(),
        }),
      ),
    }),
    handler: async ({ params }) => {
      const versions = await tenantStore.history(params.tenantId);
      if (versions.length === 0) throw notFound(`tenant '${params.tenantId}'`);
      return {
        tenantId: params.tenantId,
        versions: versions.map(({ version, savedAt, savedBy }) => ({ version, savedAt, savedBy })),
      };
    },
  });
}
