import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { WebhookError } from '../../connectors/core/errors.js';
import { helpscoutConnectionSchema } from '../../connectors/helpscout/connection-schema.js';
import { verifyHelpscoutSignature } from '../../connectors/helpscout/verify-signature.js';
import { readRawBody } from '../../web-hooks/read-raw-body.js';
import { clip, sendError } from '../../web-hooks/send-error.js';
import { couldBeTenantId, type LoadedTenant } from '../../worker/tenants/tenant-catalog.js';
import { ticketSummaryOf, type TicketSummarySources } from '../api/ticket-summary.js';
import { conversationIdOf } from './helpscout-app-body.js';
import { messageHtml, summaryHtml } from './helpscout-sidebar-html.js';

export interface HelpscoutAppDeps extends TicketSummarySources {
  catalog: { get(tenantId: string): Promise<LoadedTenant | null> };
  logger: Logger;
  now?: () => number;
  /** Largest body read (Help Scout's is a few hundred bytes); default 64 kB. */
  maxBodyBytes?: number;
  /** deskplan's public origin for the dashboard link; default: the origin Help Scout called. */
  publicUrl?: string;
}

/** The origin the request was made to (https when a TLS-terminating proxy says so). */
function originOf(req: Request): string {
  const forwarded = req.get('x-forwarded-proto')?.split(',', 1)[0]?.trim();
  const protocol = req.secure || forwarded === 'https' ? 'https' : req.protocol;
  return `${protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * POST /apps/helpscout/:tenantId — Help Scout's Dynamic App ("Custom App" in Manage > Apps): when
 * an agent opens a conversation, Help Scout posts it here signed with the app's secret key, and
 * shows the `{"html": …}` answered in the conversation sidebar: the same plan, usage, quota
 * state and dues as the Zendesk and Freshdesk apps, in the tenant's language and time zone.
 * https://developer.helpscout.com/apps/legacy-custom-apps/dynamic/
 *
 * An unknown tenant, a tenant not on Help Scout and one without `appSecrets` all get the same
 * 404; a missing or wrong signature a 401; a body that is not Help Scout's a 400.
 */
export function createHelpscoutAppRouter(deps: HelpscoutAppDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const limit = deps.maxBodyBytes ?? 64 * 1024;

  router.post('/apps/helpscout/:tenantId', async (req: Request, res: Response) => {
    const { tenantId } = req.params as { tenantId: string };
    try {
      const tenant = couldBeTenantId(tenantId) ? await deps.catalog.get(tenantId) : null;
      const connection =
        tenant?.connector.vendor === 'helpscout'
          ? helpscoutConnectionSchema.safeParse(tenant.connection)
          : null;
      const secrets = connection?.success ? connection.data.appSecrets : undefined;
      if (!tenant || !secrets) {
        throw new WebhookError(404, `no Help Scout app for tenant '${clip(tenantId)}'`);
      }
      const rawBody = await readRawBody(req, res, limit);
      verifyHelpscoutSignature(
        { rawBody, headers: req.headers as Record<string, string | undefined>, receivedAt: now() },
        secrets,
        "the app's secret key",
      );
      if (rawBody.length === 0) throw new WebhookError(400, 'empty body');
      const conversationId = conversationIdOf(rawBody);
      const rules = tenant.compiled.rules;
      const locale = rules.locale;
      res.set('cache-control', 'no-store');
      if (!conversationId) {
        res.json({ html: messageHtml('draft', locale) });
        return;
      }
      const summary = await ticketSummaryOf(tenant, conversationId, deps, now());
      res.json({
        html: summary
          ? summaryHtml(summary, {
              locale,
              timeZone: rules.timeZone,
              origin: (deps.publicUrl ?? originOf(req)).replace(/\/+$/, ''),
            })
          : messageHtml('unknown', locale),
      });
    } catch (error) {
      if (error instanceof WebhookError) {
        sendError(res, error.status, error.message, error.details);
        return;
      }
      deps.logger.error({ err: error, tenant: clip(tenantId) }, 'Help Scout app request failed');
      sendError(res, 500, 'internal error');
    }
  });
  return router;
}
