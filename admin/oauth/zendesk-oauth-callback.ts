import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import {
  zendeskOAuthClientFrom,
  ZENDESK_OAUTH_CALLBACK_PATH,
} from '../../connectors/zendesk/oauth-client-config.js';
import { exchangeZendeskCode, ZendeskOAuthError } from '../../connectors/zendesk/oauth-tokens.js';
import { zendeskOrigin } from '../../connectors/zendesk/oauth-urls.js';
import type { TenantStore } from '../../worker/stores/tenant-store.js';
import { PAGES_CSP } from '../pages/create-pages-router.js';
import type { PageLocale } from '../pages/page-messages.js';
import { oauthResultView, type OAuthOutcome } from './oauth-result-view.js';
import type { ZendeskOAuthDeps } from './zendesk-oauth-deps.js';

/** Who a config version saved by this callback is recorded as. */
export const OAUTH_SAVED_BY = 'oauth:zendesk';

const STATUS: Record<OAuthOutcome, number> = {
  connected: 200,
  refused: 403,
  expired: 400,
  missing: 400,
  'exchange-failed': 502,
  'tenant-gone': 404,
  unavailable: 503,
};

const one = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= 2048 ? value : undefined;

/**
 * GET /oauth/zendesk/callback: where Zendesk sends the browser after its authorization screen
 * (outside /api: no token, the `state` is the proof). The state is taken once; the code is
 * exchanged at the subdomain stored with the state (never one from the query), with the PKCE
 * verifier; the token goes into the tenant's config as `connection.auth` (a new version, saved
 * by 'oauth:zendesk', everything else kept), where the tenant store encrypts it. The answer is a
 * small page; neither the code nor any token appears in it or in the logs.
 * https://support.zendesk.com/hc/en-us/articles/4408845965210 (authorization code grant flow)
 */
export function createZendeskOAuthCallback(deps: {
  oauth: ZendeskOAuthDeps;
  tenantStore: TenantStore;
  logger: Logger;
}): Router {
  const router = express.Router();
  const { oauth, tenantStore, logger } = deps;

  const answer = (req: Request, res: Response, outcome: OAuthOutcome) => {
    const locale: PageLocale = req.acceptsLanguages('en', 'ja') === 'ja' ? 'ja' : 'en';
    res
      .status(STATUS[outcome])
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': PAGES_CSP,
        'X-Content-Type-Options': 'nosniff',
        // The address holds the (spent) code: no page should learn it as a referrer.
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
        'X-Frame-Options': 'DENY',
      })
      .send(oauthResultView(outcome, locale).text);
  };

  router.get(ZENDESK_OAUTH_CALLBACK_PATH, async (req, res) => {
    const state = one(req.query.state);
    if (!state) return answer(req, res, 'missing');
    let pending;
    try {
      pending = await oauth.states.take(state);
    } catch (error) {
      logger.error({ err: error }, 'Zendesk OAuth callback: cannot read the pending authorization');
      return answer(req, res, 'unavailable');
    }
    if (!pending) {
      logger.warn('Zendesk OAuth callback with an unknown, expired or used state');
      return answer(req, res, 'expired');
    }
    const { tenantId, subdomain } = pending;
    const error = one(req.query.error);
    if (error) {
      // Zendesk's own error code (access_denied when the admin refused); not its description.
      logger.warn(
        { tenant: tenantId, subdomain, error: error.slice(0, 64) },
        'Zendesk OAuth authorization was not granted',
      );
      return answer(req, res, error === 'access_denied' ? 'refused' : 'exchange-failed');
    }
    const code = one(req.query.code);
    if (!code) return answer(req, res, 'missing');
    const client = zendeskOAuthClientFrom(oauth.env ?? process.env);
    if (!client.ok) {
      logger.error(
        { problems: client.problems },
        'Zendesk OAuth callback: the OAuth client is not configured',
      );
      return answer(req, res, 'unavailable');
    }
    let tokens;
    try {
      tokens = await exchangeZendeskCode(
        {
          origin: (oauth.originOf ?? zendeskOrigin)(subdomain),
          clientId: client.client.clientId,
          clientSecret: client.client.clientSecret,
          ...(oauth.http ? { http: oauth.http } : {}),
          ...(oauth.now ? { now: oauth.now } : {}),
        },
        { code, redirectUri: client.client.redirectUri, codeVerifier: pending.codeVerifier },
      );
    } catch (e) {
      const detail = e instanceof ZendeskOAuthError ? e.message : 'unexpected failure';
      logger.warn({ tenant: tenantId, subdomain, detail }, 'Zendesk OAuth code exchange failed');
      return answer(req, res, 'exchange-failed');
    }
    try {
      const stored = await tenantStore.currentAsWritten(tenantId);
      const config = stored?.config as { connection?: Record<string, unknown> } | undefined;
      // The token is for the account approved at `subdomain`: a tenant moved to another account
      // (or vendor) since the link was made must not get it.
      const now = config?.connection;
      const moved = typeof now?.subdomain === 'string' && now.subdomain !== subdomain;
      if (!now || now.vendor !== 'zendesk' || moved) {
        logger.warn(
          { tenant: tenantId, subdomain },
          'Zendesk OAuth callback for a tenant that is gone, no longer Zendesk, or on another subdomain',
        );
        return answer(req, res, 'tenant-gone');
      }
      const auth = {
        oauthToken: tokens.accessToken,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.expiresAt !== undefined
          ? { expiresAt: new Date(tokens.expiresAt).toISOString() }
          : {}),
      };
      const saved = await tenantStore.save(
        tenantId,
        { ...config, connection: { ...now, auth } },
        OAUTH_SAVED_BY,
      );
      logger.info(
        {
          tenant: tenantId,
          subdomain,
          version: saved.version,
          expires: tokens.expiresAt !== undefined,
          refreshable: tokens.refreshToken !== undefined,
        },
        'Zendesk connected through OAuth',
      );
      return answer(req, res, 'connected');
    } catch (e) {
      logger.error({ tenant: tenantId, err: e }, 'Zendesk OAuth callback: cannot save the token');
      return answer(req, res, 'unavailable');
    }
  });
  return router;
}
