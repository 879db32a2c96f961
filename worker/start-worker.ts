import { createWorkers } from './create-workers.js';
import type { RuntimeContext } from './runtime/create-context.js';

/** Starts the event and timer workers; close() finishes active jobs and hands back the rest. */
export function startWorker(
  ctx: RuntimeContext,
  concurrency = Number(process.env.WORKER_CONCURRENCY ?? 20),
) {
  const workers = createWorkers({
    connection: ctx.connection('worker'),
    prefix: ctx.prefix,
    catalog: ctx.catalog,
    ledger: ctx.ledger,
    ticketStates: ctx.ticketStates,
    gate: ctx.gate,
    logger: ctx.logger,
    concurrency,
  });
  ctx.logger.info({ concurrency }, 'worker running');
  return {
    ...workers,
    isRunning: () => workers.events.isRunning() && workers.timers.isRunning(),
  };
}
