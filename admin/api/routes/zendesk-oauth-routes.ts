import { z } from 'zod';
import { zendeskOAuthClientFrom } from '../../../connectors/zendesk/oauth-client-config.js';
import {
  pkcePair,
  randomToken,
  zendeskAuthorizeUrl,
  zendeskOrigin,
} from '../../../connectors/zendesk/oauth-urls.js';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { ApiError } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { actorOf } from '../principal.js';
import { writtenTenant } from '../tenant-lookup.js';
import { OAUTH_STATE_TTL_MS } from '../../oauth/oauth-states.js';

const subdomainSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a Zendesk subdomain such as acme' })
  .max(63);

/**
 * Connecting a tenant's Zendesk with deskplan's global OAuth client (public app installs): the
 * agency asks for an authorization link, a Zendesk admin of the tenant opens it and grants
 * access, and Zendesk sends the browser to /oauth/zendesk/callback (admin/oauth), which stores
 * the token in the tenant's config, encrypted.
 */
export function registerZendeskOAuthRoutes(registry: RouteRegistry, deps: AdminDeps): void {
  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/oauth/zendesk',
    summary:
      "Start connecting a Zendesk tenant with deskplan's global OAuth client: a single-use authorization link (10 minutes) for a Zendesk admin of that account",
    tag: 'tenants',
    access: 'agency',
    params: z.object({ tenantId: idSchema }),
    body: z.object({ subdomain: subdomainSchema }).strict(),
    response: z.object({
      tenantId: z.string(),
      subdomain: z.string(),
      authorizeUrl: z.string(),
      expiresAt: z.string(),
    }),
    handler: async ({ params, body, principal }) => {
      const oauth = deps.zendeskOAuth;
      if (!oauth) throw new ApiError(503, 'Zendesk OAuth is not available in this process');
      const client = zendeskOAuthClientFrom(oauth.env ?? process.env);
      if (!client.ok) {
        throw new ApiError(
          503,
          "Zendesk OAuth is not configured: set deskplan's global OAuth client in the environment",
          client.problems,
        );
      }
      const { tenantId } = params;
      const stored = await writtenTenant(deps.tenantStore, tenantId);
      const connection = (
        stored.config as { connection?: { vendor?: unknown; subdomain?: unknown } }
      ).connection;
      if (connection?.vendor !== 'zendesk') {
        throw new ApiError(422, `tenant '${tenantId}' is not a Zendesk tenant`, [
          `connection.vendor: is '${String(connection?.vendor)}', OAuth here is for zendesk`,
        ]);
      }
      if (typeof connection.subdomain === 'string' && connection.subdomain !== body.subdomain) {
        throw new ApiError(422, 'the subdomain is not the tenant’s', [
          `body.subdomain: the tenant's connection is to '${connection.subdomain}'`,
        ]);
      }
      const state = randomToken();
      const pkce = pkcePair();
      const now = (oauth.now ?? Date.now)();
      await oauth.states.put(state, {
        tenantId,
        subdomain: body.subdomain,
        codeVerifier: pkce.verifier,
        createdAt: new Date(now).toISOString(),
      });
      deps.logger.info(
        { tenant: tenantId, subdomain: body.subdomain, by: actorOf(principal!) },
        'Zendesk OAuth authorization started',
      );
      return {
        tenantId,
        subdomain: body.subdomain,
        authorizeUrl: zendeskAuthorizeUrl({
          origin: (oauth.originOf ?? zendeskOrigin)(body.subdomain),
          clientId: client.client.clientId,
          redirectUri: client.client.redirectUri,
          state,
          codeChallenge: pkce.challenge,
        }),
        expiresAt: new Date(now + OAUTH_STATE_TTL_MS).toISOString(),
      };
    },
  });
}
