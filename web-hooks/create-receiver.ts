import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { WebhookRequest } from '../connectors/core/connector.js';
import { WebhookError } from '../connectors/core/errors.js';
import { VENDORS } from '../connectors/core/ticket.js';
import { eventJobId, type EventJobData } from '../worker/queues/event-queue.js';
import { logRepeatedError } from '../worker/redis/connect-redis.js';
import { refusalOutcome, webhooks } from '../worker/runtime/metrics.js';
import { couldBeTenantId, type LoadedTenant } from '../worker/tenants/tenant-catalog.js';
import { readRawBody } from './read-raw-body.js';
import { clip, sendError } from './send-error.js';

export interface ReceiverDeps {
  tenants: { get(tenantId: string): Promise<LoadedTenant | null> };
  /**
   * Adds the job; a job id that exists already adds nothing (say 'duplicate' then, for the
   * metrics, when it is known).
   */
  enqueue(data: EventJobData, jobId: string): Promise<void | 'duplicate'>;
  logger: Logger;
  now?: () => number;
  maxBodyBytes?: number;
}

const WEBHOOK_PATH = '/webhooks/:vendor/:tenantId';

/** The media type of a Content-Type header, lower-case, without its parameters. */
function mediaType(contentType: string | undefined): string | null {
  return contentType?.split(';', 1)[0]!.trim().toLowerCase() || null;
}

/**
 * Whether the request has a body at all (HTTP/1.1: a Transfer-Encoding, or a Content-Length
 * above 0). Checked on the headers: `req.is()` answers null for a body-less request, whatever
 * its Content-Type says.
 */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * POST /webhooks/:vendor/:tenantId — verify, validate, enqueue, answer 202. Nothing else: every
 * refusal is a 4xx saying what was wrong, and none of them enqueues anything. Other methods on
 * that path get 405. Ids from the path appear in answers and logs cut to 64 characters, and an id
 * that cannot be a tenant's is refused before any lookup.
 */
export function createReceiver(deps: ReceiverDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const limit = deps.maxBodyBytes ?? 1024 * 1024;

  router.post(WEBHOOK_PATH, async (req: Request, res: Response) => {
    const params = req.params as { vendor: string; tenantId: string };
    const { vendor, tenantId } = params;
    const shown = { vendor: clip(vendor), tenant: clip(tenantId) };
    // The metrics' vendor label: one of ours, never whatever the path says.
    const vendorLabel = (VENDORS as readonly string[]).includes(vendor) ? vendor : 'unknown';
    try {
      const contentType = req.get('content-type');
      if (mediaType(contentType) !== 'application/json') {
        throw new WebhookError(
          415,
          `expected Content-Type application/json, got ${clip(contentType ?? 'none')}`,
        );
      }
      if (!hasBody(req)) throw new WebhookError(400, 'empty body');
      const known = (VENDORS as readonly string[]).includes(vendor) && couldBeTenantId(tenantId);
      const tenant = known ? await deps.tenants.get(tenantId) : null;
      if (!tenant || tenant.connector.vendor !== vendor) {
        throw new WebhookError(404, `no ${shown.vendor} tenant '${shown.tenant}'`);
      }
      const request: WebhookRequest = {
        rawBody: await readRawBody(req, res, limit),
        headers: req.headers as Record<string, string | undefined>,
        receivedAt: now(),
      };
      if (request.rawBody.length === 0) throw new WebhookError(400, 'empty body');
      tenant.connector.verify(request, tenant.connection);
      const delivery = tenant.connector.parse(request, tenantId, tenant.connection);
      const jobId = eventJobId(vendor, tenantId, delivery.deliveryId);
      const added = await deps.enqueue(
        {
          tenantId,
          vendor: tenant.connector.vendor,
          deliveryId: delivery.deliveryId,
          event: delivery.event,
          incomplete: delivery.incomplete,
          receivedAt: request.receivedAt,
        },
        jobId,
      );
      webhooks.inc({
        vendor: vendorLabel,
        outcome: added === 'duplicate' ? 'duplicate' : 'accepted',
      });
      res.status(202).json({ accepted: true, deliveryId: delivery.deliveryId });
    } catch (error) {
      if (error instanceof WebhookError) {
        deps.logger.warn(
          { ...shown, status: error.status, reason: clip(error.message, 500) },
          'webhook refused',
        );
        webhooks.inc({ vendor: vendorLabel, outcome: refusalOutcome(error.status) });
        return sendError(res, error.status, error.message, error.details);
      }
      // Mostly Redis being away: one log line per distinct error per 30 s, not one per request.
      logRepeatedError(deps.logger, 'webhook', error, 'webhook failed; answered 503', shown);
      webhooks.inc({ vendor: vendorLabel, outcome: 'unavailable' });
      sendError(res, 503, 'could not accept the webhook now; please retry');
    }
  });

  router.all(WEBHOOK_PATH, (req: Request, res: Response) => {
    res.set('Allow', 'POST');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendError(res, 405, `${clip(req.method, 16)} is not allowed here: webhooks are POSTed`);
  });
  return router;
}
