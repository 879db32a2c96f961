#!/usr/bin/env node
// deskplan <command> — run the service (or one half of it), or talk to a running one.
import { Router } from 'express';
import { Backfills } from '../worker/backfill/backfills.js';
import { Onboardings } from '../worker/onboarding/onboardings.js';
import { SetupRecords } from '../worker/stores/setup-records.js';
import { loadAdminToken } from './api/admin-token.js';
import { API_COMMANDS, runApiCommand } from './cli/api-commands.js';
import { ApiTokens } from './api/api-tokens.js';
import { createCallbacks } from '../worker/callbacks/start-callbacks.js';
import { createAdminApi } from './api/create-admin-api.js';
import { principalResolver } from './api/resolve-principal.js';
import {
  createOperationsRouter,
  metricsPublicFrom,
} from './operations/create-operations-router.js';
import { createEventQueue } from '../worker/queues/event-queue.js';
import { createTimerQueue } from '../worker/queues/timer-queue.js';
import { loggedByConnection, logRepeatedError } from '../worker/redis/connect-redis.js';
import { TenantPause } from '../worker/stores/tenant-pause.js';
// Pages: login, overview, tenant and customer pages (admin/pages).
import { createPagesRouter } from './pages/create-pages-router.js';
import { createHelpscoutAppRouter } from './apps/helpscout-app-router.js';
import { PageSessions, sessionPrincipalResolver } from './pages/page-sessions.js';
import { ShareLinks } from './pages/share-links.js';
// Connecting a tenant's Zendesk with deskplan's global OAuth client.
import { OAuthStates } from './oauth/oauth-states.js';
import { createZendeskOAuthCallback } from './oauth/zendesk-oauth-callback.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { startWeb } from '../web-hooks/start-web.js';
import { runCalendarPreview } from './calendar-preview.js';
import { createContext, type RuntimeContext } from '../worker/runtime/create-context.js';
import { createLogger, logFormat } from '../worker/runtime/create-logger.js';
import { startWorker } from '../worker/start-worker.js';
import { loadTenantsDir } from '../worker/tenants/load-tenants-dir.js';
import { SlaIndex } from '../worker/stores/sla-index.js';
import { dataDirFrom, loadSecretKey } from '../worker/tenants/seal-secrets.js';

const DEFAULT_TENANTS_DIR = fileURLToPath(new URL('../docs/examples/tenants/', import.meta.url));
const USAGE = `usage: deskplan <command> [--help]
run the service:
  start         webhook receiver, admin API and worker in one process (PORT, default 3000)
  web           the webhook receiver and admin API only
  worker        the worker only
  load-tenants  validate and store the tenant files in TENANTS_DIR, then exit
  calendar      TENANT CALENDAR [--from YYYY-MM-DD] [--days N]: a calendar's open spans per day
talk to a running service (--url, --token; DESKPLAN_URL, DESKPLAN_TOKEN):
${Object.entries(API_COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(13)} ${c.summary}`)
  .join('\n')}
exit status: 0 ok, 1 the service answered with an error, 2 wrong usage, 3 service unreachable,
  4 invalid tenant config, 5 no or wrong token, 6 doctor found a problem
environment: REDIS_URL (default: start a local redis-server, data in DESKPLAN_DATA_DIR/redis),
  DESKPLAN_DATA_DIR (default ./data), DESKPLAN_SECRET_KEY (default: DESKPLAN_DATA_DIR/secret.key),
  TENANTS_DIR (default: ${DEFAULT_TENANTS_DIR}), PORT, LOG_LEVEL, LOG_FORMAT (pretty|json),
  WORKER_CONCURRENCY, DESKPLAN_PREFIX, DESKPLAN_KEEP_VERSIONS (50),
  DESKPLAN_ADMIN_TOKEN (default: DESKPLAN_DATA_DIR/admin.token),
  DESKPLAN_METRICS_PUBLIC (1: /metrics without a token)`;

/**
 * A problem that stops the start, as readable text on stderr (and as one JSON line for a log
 * collector when the logs are JSON), then exit 1. Whatever was started is stopped first.
 */
async function fail(logger: Logger, message: string, ctx?: RuntimeContext): Promise<never> {
  if (logFormat() === 'json') logger.fatal(message);
  process.stderr.write(`\n${message.startsWith('deskplan') ? '' : 'deskplan: '}${message}\n\n`);
  await ctx?.close().catch(() => {});
  process.exit(1);
}

/** What to tell the user when the receiver cannot listen; null for other errors. */
function listenProblem(error: unknown, port: number): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return (
      `port ${port} is in use (another deskplan, or another program, listens on it); ` +
      `set PORT to a free port, e.g. PORT=${port + 1} npm start`
    );
  }
  if (code === 'EACCES') {
    return `port ${port} needs privileges this process does not have; set PORT to a port above 1023`;
  }
  return null;
}

function portFrom(text: string | undefined): number | null {
  const port = Number(text ?? 3000);
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : null;
}

async function main(command: string | undefined) {
  if (command !== undefined && Object.hasOwn(API_COMMANDS, command)) {
    const result = await runApiCommand(command, process.argv.slice(3));
    process.stdout.write(result.out);
    process.stderr.write(result.err);
    process.exit(result.code);
  }
  if (command === 'calendar') {
    const tenantsDir = process.env.TENANTS_DIR ?? DEFAULT_TENANTS_DIR;
    const result = await runCalendarPreview(process.argv.slice(3), {
      tenantsDir,
      nowMs: Date.now(),
    });
    process.stdout.write(result.out);
    process.stderr.write(result.err);
    process.exit(result.code);
  }
  if (command === undefined || ['--help', '-h', 'help'].includes(command)) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!['start', 'web', 'worker', 'load-tenants'].includes(command)) {
    console.error(`deskplan: unknown command '${command}'\n${USAGE}`);
    process.exit(2);
  }
  const logger = createLogger();
  // Only the receiver (start, web) listens: PORT means nothing to worker or load-tenants.
  const port = command === 'start' || command === 'web' ? portFrom(process.env.PORT) : undefined;
  if (port === null) return fail(logger, `PORT must be a port number, not '${process.env.PORT}'`);
  const dataDir = dataDirFrom();
  let ctx: RuntimeContext;
  try {
    loadSecretKey({ dataDir, logger }); // creates the key file (with a warning) on a fresh machine
    ctx = await createContext({ logger, dataDir: join(dataDir, 'redis') });
  } catch (error) {
    return fail(logger, (error as Error).message);
  }

  let stopping = false;
  let web: Awaited<ReturnType<typeof startWeb>> | null = null;
  let worker: ReturnType<typeof startWorker> | null = null;
  /** The operations routes' queues (failed jobs, pause, dashboard, job gauges). */
  let opsQueues: { close(): Promise<void> } | null = null;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing active jobs');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await web?.close();
      await opsQueues?.close();
      await worker?.close();
      await ctx.close(); // and then the local redis-server, when we started one
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => void stop(signal));
  }
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  try {
    // Versions saved before tenant secrets were encrypted still hold them in clear.
    const resealed = await ctx.tenantStore.sealStoredSecrets();
    if (resealed > 0) {
      logger.warn(
        { versions: resealed },
        'encrypted the secrets that stored tenant versions held in clear; ' +
          (ctx.startedLocalRedis
            ? 'rewriting the append-only file so the old values leave the disk'
            : 'run BGREWRITEAOF on the Redis so the old values leave its append-only file'),
      );
      if (ctx.startedLocalRedis) {
        await ctx.client.bgrewriteaof().catch((error: Error) => {
          logger.warn({ err: error }, 'could not start an append-only file rewrite');
        });
      }
    }
  } catch (error) {
    return fail(logger, (error as Error).message, ctx);
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
  if (stopping) return;

  // The receiver first: when it cannot listen, no worker has started taking jobs.
  if (port !== undefined) {
    try {
      const admin = loadAdminToken();
      if (admin.created) {
        logger.warn(
          { file: admin.source },
          'DESKPLAN_ADMIN_TOKEN is not set: created an admin token for the admin API and the pages in this file',
        );
      }
      const tokens = new ApiTokens(ctx.client, ctx.prefix, admin.token);
      const shareLinks = new ShareLinks(ctx.client, ctx.prefix);
      const slaIndex = new SlaIndex(ctx.client, ctx.prefix);
      const sessions = new PageSessions(ctx.client, ctx.prefix);
      const bearer = principalResolver(tokens);
      const fromSession = sessionPrincipalResolver(sessions, tokens);
      // Operations: failed jobs, pause/resume, /metrics, the queue dashboard.
      const opsConnection = ctx.connection('queue');
      const queues = {
        events: createEventQueue(opsConnection, ctx.prefix),
        timers: createTimerQueue(opsConnection, ctx.prefix),
      };
      for (const queue of [queues.events, queues.timers] as const) {
        queue.on('error', (error) => {
          if (loggedByConnection(error)) return;
          logRepeatedError(logger, 'redis:ops-queue', error, 'operations queue error');
        });
      }
      const operations = createOperationsRouter({
        // A browser reaches the queue dashboard with its login cookie; scripts with a token.
        resolve: async (req) => (await bearer(req)) ?? (await fromSession(req)),
        queues: [queues.events, queues.timers],
        logger,
        metricsPublic: metricsPublicFrom(),
      });
      opsQueues = {
        async close() {
          operations.close();
          await Promise.all([queues.events.close(), queues.timers.close()]);
        },
      };
      const zendeskOAuth = { states: new OAuthStates(ctx.client, ctx.prefix) };
      // One instance for the API and the pages: both see the run this process holds.
      const backfills = new Backfills(ctx.client, ctx.prefix, {
        ledger: ctx.ledger,
        ticketStates: ctx.ticketStates,
        tenants: ctx.catalog,
        logger,
      });
      const api = createAdminApi({
        tokens,
        tenantStore: ctx.tenantStore,
        catalog: ctx.catalog,
        ledger: ctx.ledger,
        logger,
        slaIndex,
        ticketStates: ctx.ticketStates,
        operations: { queues, pause: new TenantPause(ctx.client, ctx.prefix) },
        callbacks: createCallbacks(ctx),
        shareLinks,
        backfills,
        onboardings: new Onboardings({
          tenantStore: ctx.tenantStore,
          tenants: ctx.catalog,
          records: new SetupRecords(ctx.client, ctx.prefix),
          publicUrl: process.env.DESKPLAN_PUBLIC_URL || undefined,
          logger,
        }),
        zendeskOAuth,
      });
      const pages = createPagesRouter({
        tokens,
        sessions,
        shareLinks,
        tenantStore: ctx.tenantStore,
        catalog: ctx.catalog,
        ledger: ctx.ledger,
        slaIndex,
        backfills,
        logger,
      });
      // Zendesk's redirect after its authorization screen lands beside the pages (no token).
      const root = Router();
      root.use(
        createZendeskOAuthCallback({ oauth: zendeskOAuth, tenantStore: ctx.tenantStore, logger }),
      );
      root.use(pages);
      // The helpdesk apps that deskplan serves itself (Help Scout's Dynamic App), beside /metrics.
      const extra = Router()
        .use(
          createHelpscoutAppRouter({
            catalog: ctx.catalog,
            ledger: ctx.ledger,
            slaIndex,
            ticketStates: ctx.ticketStates,
            logger,
          }),
        )
        .use(operations);
      web = await startWeb(
        ctx,
        port,
        command === 'start' ? { worker: async () => (await worker?.isReady()) ?? false } : {},
        {},
        api,
        extra,
        root,
      );
    } catch (error) {
      return fail(logger, listenProblem(error, port) ?? (error as Error).message, ctx);
    }
  }
  if (command !== 'web' && !stopping) worker = startWorker(ctx);
}

await main(process.argv[2]);
