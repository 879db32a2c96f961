import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { perAccount } from '../../pages/page-data.js';
import type { ShareLinks } from '../../pages/share-links.js';
import { ApiError, notFound } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { loadedTenant } from '../tenant-lookup.js';
import { actorOf } from '../principal.js';

const linkSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  contractId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});

const linksOf = (deps: AdminDeps): ShareLinks => {
  if (!deps.shareLinks) throw new ApiError(503, 'share links are not available in this process');
  return deps.shareLinks;
};

/**
 * Customer links: a read-only usage page per contract at /share/<token>, created and revoked by
 * the agency or the tenant's own token (what `deskplan share` calls).
 */
export function registerShareRoutes(registry: RouteRegistry, deps: AdminDeps): void {
  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/contracts/:contractId/share-links',
    summary: "Create a customer link to a contract's usage page; the link is shown once",
    tag: 'share links',
    access: 'tenant',
    status: 201,
    params: z.object({ tenantId: idSchema, contractId: idSchema }),
    response: linkSchema.extend({ token: z.string(), path: z.string() }),
    handler: async ({ params, principal }) => {
      const tenant = await loadedTenant(deps.catalog, params.tenantId);
      const contract = tenant.compiled.rules.contracts.find((c) => c.id === params.contractId);
      if (!contract) throw notFound(`contract '${params.contractId}'`);
      if (perAccount(contract)) {
        throw new ApiError(
          422,
          `contract '${contract.id}' counts each account on its own: a customer link would show every account's usage`,
        );
      }
      const link = await linksOf(deps).create(params.tenantId, contract.id, actorOf(principal!));
      return { ...link, path: `/share/${link.token}` };
    },
  });
  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/share-links',
    summary: "A tenant's live customer links (never the link tokens)",
    tag: 'share links',
    access: 'tenant',
    params: z.object({ tenantId: idSchema }),
    response: z.object({ links: z.array(linkSchema) }),
    handler: async ({ params }) => ({ links: await linksOf(deps).list(params.tenantId) }),
  });
  registry.add({
    method: 'delete',
    path: '/tenants/:tenantId/share-links/:linkId',
    summary: 'Revoke a customer link: its page answers 404 at once',
    tag: 'share links',
    access: 'tenant',
    params: z.object({ tenantId: idSchema, linkId: z.string().uuid() }),
    response: z.object({ revoked: z.literal(true) }),
    handler: async ({ params }) => {
      if (!(await linksOf(deps).revoke(params.tenantId, params.linkId))) {
        throw notFound(`share link '${params.linkId}'`);
      }
      return { revoked: true as const };
    },
  });
}
