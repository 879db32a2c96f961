import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { DEFAULT_QUEUE_PREFIX } from '../queues/event-queue.js';
import { logRepeatedError, loggedByConnection } from '../redis/connect-redis.js';
import type { TenantCatalog } from '../tenants/tenant-catalog.js';
import { CALLBACKS_QUEUE, type CallbackJobData } from './callback-queue.js';
import type { DeliveryHistory, DeliveryState } from './delivery-history.js';
import { sendCallback } from './send-callback.js';

/** How one attempt ended, for metrics: 'retry' means another attempt follows. */
export type DeliveryOutcome = Exclude<DeliveryState, 'pending'> | 'retry';

export interface CallbackWorkerDeps {
  connection: ConnectionOptions;
  prefix?: string;
  catalog: Pick<TenantCatalog, 'get'>;
  history: DeliveryHistory;
  logger: Logger;
  concurrency?: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /**
   * Called once per attempt with how it ended. METRICS: the lead wires
   * `deskplan_callback_deliveries_total{outcome}` here (worker/runtime/metrics.ts).
   */
  onDelivery?: (outcome: DeliveryOutcome) => void;
}

/**
 * Sends callback deliveries: one signed POST per attempt, each recorded in the tenant's history;
 * 2xx delivered, 410 stops for good, anything else (or no answer within the timeout) is retried
 * with BullMQ's exponential backoff until the job's attempts are used up ('failed').
 */
export function createCallbackWorker(deps: CallbackWorkerDeps) {
  const { history, logger } = deps;

  async function deliver(job: Job<CallbackJobData>): Promise<DeliveryState | 'skipped'> {
    const { tenantId, deliveryId } = job.data;
    const record = await history.get(tenantId, deliveryId);
    // Sent already (a re-added job after its first one was removed), or no longer kept.
    if (!record || record.state !== 'pending') return 'skipped';
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let tenant;
    try {
      tenant = await deps.catalog.get(tenantId);
      if (!tenant) throw new Error(`tenant '${tenantId}' has no valid config`);
    } catch (error) {
      // On the last attempt the delivery is failed for good: never left 'pending' (which
      // would also block a retry through the API).
      if (last) {
        const at = new Date().toISOString();
        const message = (error as Error).message;
        await history.update(tenantId, deliveryId, (r) => ({
          ...r,
          state: 'failed',
          attempts: [
            ...r.attempts,
            { at, url: r.url, status: null, error: message, durationMs: 0 },
          ],
        }));
        deps.onDelivery?.('failed');
      }
      throw error;
    }
    const sub = tenant.compiled.rules.callbacks?.find((s) => s.id === record.subscriberId);
    if (!sub) {
      const at = new Date().toISOString();
      const error = `subscriber '${record.subscriberId}' is no longer in the tenant's config`;
      await history.update(tenantId, deliveryId, (r) => ({
        ...r,
        state: 'failed',
        attempts: [...r.attempts, { at, url: r.url, status: null, error, durationMs: 0 }],
      }));
      deps.onDelivery?.('failed');
      return 'failed';
    }
    const { attempt, outcome } = await sendCallback(sub, record, { timeoutMs: deps.timeoutMs });
    const state: DeliveryState =
      outcome === 'delivered'
        ? 'delivered'
        : outcome === 'gone'
          ? 'stopped'
          : last
            ? 'failed'
            : 'pending';
    await history.update(tenantId, deliveryId, (r) => ({
      ...r,
      url: sub.url,
      state,
      attempts: [...r.attempts, attempt],
    }));
    deps.onDelivery?.(state === 'pending' ? 'retry' : state);
    const fields = {
      tenant: tenantId,
      delivery: deliveryId,
      event: record.event,
      subscriber: sub.id,
      attempt: job.attemptsMade + 1,
      status: attempt.status,
      state,
    };
    if (state === 'delivered') logger.info(fields, 'callback delivered');
    else logger.warn({ ...fields, err: attempt.error }, 'callback not delivered');
    if (state === 'pending') throw new Error(attempt.error ?? 'not delivered');
    return state;
  }

  const worker = new Worker<CallbackJobData, DeliveryState | 'skipped'>(CALLBACKS_QUEUE, deliver, {
    connection: deps.connection,
    prefix: deps.prefix ?? DEFAULT_QUEUE_PREFIX,
    concurrency: deps.concurrency ?? 20,
  });
  worker.on('error', (error) => {
    if (loggedByConnection(error)) return;
    logRepeatedError(logger, 'redis:callbacks-worker', error, 'worker error');
  });
  return worker;
}
