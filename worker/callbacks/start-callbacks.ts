import type { RuntimeContext } from '../runtime/create-context.js';
import { CallbackOutbox } from './callback-outbox.js';
import { createCallbackQueue } from './callback-queue.js';
import { createCallbackWorker, type DeliveryOutcome } from './create-callback-worker.js';
import { DeliveryHistory } from './delivery-history.js';

/** The callbacks outbox and history for a process (the worker raises, the admin API re-sends). */
export function createCallbacks(ctx: RuntimeContext) {
  const queue = createCallbackQueue(ctx.connection('queue'), ctx.prefix);
  queue.on('error', (error) => ctx.logger.warn({ err: error.message }, 'callback queue error'));
  const history = new DeliveryHistory(ctx.client, ctx.prefix);
  const outbox = new CallbackOutbox({
    redis: ctx.client,
    prefix: ctx.prefix,
    queue,
    history,
    logger: ctx.logger,
  });
  return { outbox, history, queue, close: () => queue.close() };
}

/** The worker that sends callback deliveries. `onDelivery`: the metrics hook (one per attempt). */
export function startCallbackWorker(
  ctx: RuntimeContext,
  history: DeliveryHistory,
  onDelivery?: (outcome: DeliveryOutcome) => void,
) {
  return createCallbackWorker({
    connection: ctx.connection('worker'),
    prefix: ctx.prefix,
    catalog: ctx.catalog,
    history,
    logger: ctx.logger,
    onDelivery,
  });
}
