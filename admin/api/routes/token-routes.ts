import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { ApiError } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  tenantId: z.string().nullable(),
  createdAt: z.string(),
});

/** Tokens: the agency issues and revokes them, each for the agency or for one tenant. */
export function registerTokenRoutes(registry: RouteRegistry, { tokens }: AdminDeps): void {
  registry.add({
    method: 'get',
    path: '/tokens',
    summary: 'List the issued tokens (never the tokens themselves)',
    tag: 'tokens',
    access: 'agency',
    response: z.object({ tokens: z.array(tokenSchema) }),
    handler: async () => ({ tokens: await tokens.list() }),
  });
  registry.add({
    method: 'post',
    path: '/tokens',
    summary: 'Issue a token for the agency, or scoped to one tenant; the token is shown once',
    tag: 'tokens',
    access: 'agency',
    status: 201,
    body: z
      .object({ name: z.string().min(1).max(100), tenantId: idSchema.nullable().default(null) })
      .strict(),
    response: tokenSchema.extend({ token: z.string() }),
    handler: async ({ body }) => tokens.issue(body.name, body.tenantId),
  });
  registry.add({
    method: 'delete',
    path: '/tokens/:tokenId',
    summary: 'Revoke a token',
    tag: 'tokens',
    access: 'agency',
    params: z.object({ tokenId: z.string().uuid() }),
    response: z.object({ revoked: z.literal(true) }),
    handler: async ({ params }) => {
      if (!(await tokens.revoke(params.tokenId))) throw new ApiError(404, 'token not found');
      return { revoked: true as const };
    },
  });
}
