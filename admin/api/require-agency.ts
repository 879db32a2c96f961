import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { sendError } from '../../web-hooks/send-error.js';
import type { PrincipalResolver } from './resolve-principal.js';

/**
 * Express middleware for pages and endpoints outside /api that only the agency may use
 * (/metrics, /admin/queues): 401 without a principal, 403 for a tenant's, 503 when the token
 * cannot be checked now. The principal is left in `res.locals.principal`.
 */
export function requireAgency(resolve: PrincipalResolver, logger?: Logger): RequestHandler {
  return async (req, res, next) => {
    let principal;
    try {
      principal = await resolve(req);
    } catch (error) {
      logger?.error({ err: error }, 'token lookup failed');
      sendError(res, 503, 'cannot check the token now (Redis unavailable); try again');
      return;
    }
    if (!principal) {
      res.set('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'a valid token is required (Authorization: Bearer …)');
      return;
    }
    if (principal.kind !== 'agency') {
      sendError(res, 403, 'this needs the agency token');
      return;
    }
    res.locals.principal = principal;
    next();
  };
}
