#!/usr/bin/env node
// deskplan [start|web|worker|load-tenants] — run the service, or one half of it.
import { startWeb } from '../web-hooks/start-web.js';
import { createContext } from '../worker/runtime/create-context.js';
import { createLogger } from '../worker/runtime/create-logger.js';
import { startWorker } from '../worker/start-worker.js';
import { loadTenantsDir } from '../worker/tenants/load-tenants-dir.js';

const DEFAULT_TENANTS_DIR = new URL('../docs/examples/tenants/', import.meta.url).pathname;
const USAGE = `usage: deskplan <command>
  start         webhook receiver and worker in one process (PORT, default 3000)
  web           the webhook receiver only
  worker        the worker only
  load-tenants  validate and store the tenant files in TENANTS_DIR, then exit
environment: REDIS_URL (default: start a local redis-server, data in ./data),
  TENANTS_DIR (default: ${DEFAULT_TENANTS_DIR}), PORT, LOG_LEVEL, WORKER_CONCURRENCY`;

async function main(command: string | undefined) {
  if (!command || !['start', 'web', 'worker', 'load-tenants'].includes(command)) {
    console.error(USAGE);
    process.exit(command ? 2 : 0);
  }
  const logger = createLogger();
  let ctx;
  try {
    ctx = await createContext({ logger });
  } catch (error) {
    logger.fatal((error as Error).message);
    process.exit(1);
  }
  const outcomes = await loadTenantsDir(
    process.env.TENANTS_DIR ?? DEFAULT_TENANTS_DIR,
    ctx.tenantStore,
    logger,
  );
  if (command === 'load-tenants') {
    await ctx.close();
    process.exit(outcomes.some((o) => o.status === 'invalid') ? 1 : 0);
  }

  const worker = command === 'web' ? null : startWorker(ctx);
  const web =
    command === 'worker'
      ? null
      : await startWeb(
          ctx,
          Number(process.env.PORT ?? 3000),
          worker ? { worker: async () => worker.isRunning() } : {},
        );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing active jobs');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    await web?.close();
    await worker?.close();
    await ctx.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );
}

await main(process.argv[2]);
