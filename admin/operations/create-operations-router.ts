import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { sendError } from '../../web-hooks/send-error.js';
import { metricsRegistry, watchQueue } from '../../worker/runtime/metrics.js';
import { requireAgency } from '../api/require-agency.js';
import type { PrincipalResolver } from '../api/resolve-principal.js';

export const DASHBOARD_PATH = '/admin/queues';

export interface OperationsRouterDeps {
  /** Who a request comes from (the bearer token; later also the pages' session cookie). */
  resolve: PrincipalResolver;
  /** The queues the dashboard shows and the job gauges count. */
  queues: Queue[];
  logger: Logger;
  /** DESKPLAN_METRICS_PUBLIC=1: /metrics answers without a token (a scraper on a private network). */
  metricsPublic?: boolean;
}

/** Whether the environment opens /metrics to anyone: DESKPLAN_METRICS_PUBLIC=1 (or true). */
export const metricsPublicFrom = (env: NodeJS.ProcessEnv = process.env) =>
  ['1', 'true', 'yes'].includes((env.DESKPLAN_METRICS_PUBLIC ?? '').trim().toLowerCase());

/**
 * The operations routes at the root of the receiver's app: /metrics (Prometheus text format)
 * and the BullMQ dashboard at /admin/queues, both for the agency only. close() stops counting
 * the queues.
 */
export function createOperationsRouter(deps: OperationsRouterDeps): Router & {
  close(): void;
} {
  const router = express.Router();
  const agency = requireAgency(deps.resolve, deps.logger);
  const unwatch = deps.queues.map((q) => watchQueue(q));

  const metrics: RequestHandler = async (_req, res) => {
    try {
      const text = await metricsRegistry.metrics();
      res.set('Content-Type', metricsRegistry.contentType).send(text);
    } catch (error) {
      deps.logger.error({ err: error }, 'metrics collection failed');
      sendError(res, 503, 'cannot read the queues now');
    }
  };
  router.get('/metrics', ...(deps.metricsPublic ? [] : [agency]), metrics);

  const board = new ExpressAdapter();
  board.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: deps.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'deskplan queues' } },
  });
  router.use(DASHBOARD_PATH, agency, board.getRouter() as Router);

  return Object.assign(router, {
    close() {
      for (const stop of unwatch) stop();
    },
  });
}
