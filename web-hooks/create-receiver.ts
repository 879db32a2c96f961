import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { WebhookRequest } from '../connectors/core/connector.js';
import { WebhookError } from '../connectors/core/errors.js';
import { eventJobId, type EventJobData } from '../worker/queues/event-queue.js';
import type { LoadedTenant } from '../worker/tenants/tenant-catalog.js';
import { readRawBody } from './read-raw-body.js';
import { sendError } from './send-error.js';

export interface ReceiverDeps {
  tenants: { get(tenantId: string): Promise<LoadedTenant | null> };
  /** Adds the job; a job id that exists already adds nothing. */
  enqueue(data: EventJobData, jobId: string): Promise<void>;
  logger: Logger;
  now?: () => number;
  maxBodyBytes?: number;
}

/**
 * POST /webhooks/:vendor/:tenantId — verify, validate, enqueue, answer 202. Nothing else: every
 * refusal is a 4xx saying what was wrong, and none of them enqueues anything.
 */
export function createReceiver(deps: ReceiverDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const limit = deps.maxBodyBytes ?? 1024 * 1024;

  router.post('/webhooks/:vendor/:tenantId', async (req: Request, res: Response) => {
    const { vendor, tenantId } = req.params as { vendor: string; tenantId: string };
    try {
      if (!req.is('application/json')) {
        throw new WebhookError(
          415,
          `expected Content-Type application/json, got ${req.get('content-type') ?? 'none'}`,
        );
      }
      const tenant = await deps.tenants.get(tenantId);
      if (!tenant || tenant.connector.vendor !== vendor) {
        throw new WebhookError(404, `no ${vendor} tenant '${tenantId}'`);
      }
      const request: WebhookRequest = {
        rawBody: await readRawBody(req, res, limit),
        headers: req.headers as Record<string, string | undefined>,
        receivedAt: now(),
      };
      tenant.connector.verify(request, tenant.connection);
      const delivery = tenant.connector.parse(request, tenantId, tenant.connection);
      const jobId = eventJobId(vendor, tenantId, delivery.deliveryId);
      await deps.enqueue(
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
      res.status(202).json({ accepted: true, deliveryId: delivery.deliveryId });
    } catch (error) {
      if (error instanceof WebhookError) {
        deps.logger.warn(
          { vendor, tenant: tenantId, status: error.status, reason: error.message },
          'webhook refused',
        );
        return sendError(res, error.status, error.message, error.details);
      }
      deps.logger.error({ vendor, tenant: tenantId, err: error }, 'webhook failed');
      sendError(res, 503, 'could not accept the webhook now; please retry');
    }
  });
  return router;
}
