import { createServer, type RequestListener, type Server } from 'node:http';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { RuntimeContext } from '../worker/runtime/create-context.js';
import { createEventQueue } from '../worker/queues/event-queue.js';
import { loggedByConnection, logRepeatedError, redisReady } from '../worker/redis/connect-redis.js';
import { createWebApp } from './create-web-app.js';

/** How long the HTTP server waits on a client (slow or stalled clients are cut off). */
export interface WebServerOptions {
  /** For a request's headers: WEB_HEADERS_TIMEOUT_S, default 10 s. */
  headersTimeoutMs: number;
  /** For a whole request, headers and body: WEB_REQUEST_TIMEOUT_S, default 15 s. */
  requestTimeoutMs: number;
  /** For the next request on an idle keep-alive connection: WEB_KEEP_ALIVE_TIMEOUT_S, default 5 s. */
  keepAliveTimeoutMs: number;
}

const SECONDS: Record<keyof WebServerOptions, [env: string, fallback: number]> = {
  headersTimeoutMs: ['WEB_HEADERS_TIMEOUT_S', 10],
  requestTimeoutMs: ['WEB_REQUEST_TIMEOUT_S', 15],
  keepAliveTimeoutMs: ['WEB_KEEP_ALIVE_TIMEOUT_S', 5],
};

/** The server's timeouts from the environment (seconds, fractions allowed); throws on bad values. */
export function webServerOptionsFrom(env: NodeJS.ProcessEnv = process.env): WebServerOptions {
  const options = {} as WebServerOptions;
  for (const [key, [name, fallback]] of Object.entries(SECONDS) as [
    keyof WebServerOptions,
    [string, number],
  ][]) {
    const text = env[name];
    const seconds = text === undefined || text === '' ? fallback : Number(text);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new Error(`${name} must be a number of seconds above 0, not '${text}'`);
    }
    options[key] = Math.round(seconds * 1000);
  }
  return options;
}

/**
 * An HTTP server for `app` with the given timeouts, listening on `port` (and `host`, default all
 * interfaces). A client that has not sent its headers after headersTimeoutMs, or its whole
 * request after requestTimeoutMs, gets a 408 and its connection is closed.
 */
export function listenWeb(
  app: RequestListener,
  port: number,
  options: WebServerOptions,
  host?: string,
): Promise<Server> {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = options;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new Error('the headers timeout must not be longer than the request timeout');
  }
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, headersTimeoutMs / 4)),
    },
    app,
  );
  server.keepAliveTimeout = keepAliveTimeoutMs;
  return new Promise((resolve, reject) => {
    // EADDRINUSE, EACCES: the caller says what to do about it.
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve(server);
    };
    if (host === undefined) server.listen(port, listening);
    else server.listen(port, host, listening);
  });
}

/** Waits (at most `ms`) for a connection that is still connecting; never throws. */
async function settle(connection: Redis, ms: number): Promise<void> {
  if (connection.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      connection.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    connection.once('ready', done);
  });
}

/**
 * Starts the webhook receiver on `port`; returns how to stop it (stops taking requests first).
 * The receiver reads tenants and enqueues through fail-fast connections, so while Redis is away
 * a webhook gets its 503 at once; /readyz pings those two connections (and runs
 * `extraReadiness`, e.g. the worker's check), each within a second.
 */
export async function startWeb(
  ctx: RuntimeContext,
  port: number,
  extraReadiness: Record<string, () => Promise<boolean>> = {},
  serverOptions: Partial<WebServerOptions> = {},
  /** The admin API to serve at /api (made by admin/, which this module does not import). */
  admin?: Router,
  /** More routes at the root (/metrics, /admin/queues), made by admin/ as well. */
  extra?: Router,
  /** The pages to serve at / (made by admin/pages, not imported here). */
  pages?: Router,
) {
  const options = { ...webServerOptionsFrom(), ...serverOptions };
  const queueConnection = ctx.connection('queue');
  const queue = createEventQueue(queueConnection, ctx.prefix);
  // BullMQ passes its connection's errors on; without a listener it prints them to stderr. The
  // connection logs its own errors already (createRedisConnection): only BullMQ's others here.
  queue.on('error', (error) => {
    if (loggedByConnection(error)) return;
    logRepeatedError(ctx.logger, 'redis:queue', error, 'redis connection error');
  });
  const tenants = ctx.receiverCatalog();
  const app = createWebApp({
    tenants: tenants.catalog,
    logger: ctx.logger,
    enqueue: async (data, jobId) => {
      // BullMQ waits for a connection that is not up yet; a webhook must not wait.
      if (queueConnection.status !== 'ready') {
        throw new Error(`Redis is not connected (${queueConnection.status})`);
      }
      // Sent before the add on the same connection, so answered before it: whether the job was
      // there already (a vendor's retry of a delivery), for the metrics.
      const existed = queueConnection.exists(queue.toKey(jobId)).catch(() => 0);
      await queue.add('ticket-event', data, { jobId });
      return (await existed) === 1 ? 'duplicate' : undefined;
    },
    ...(admin ? { admin } : {}),
    ...(extra ? { extra } : {}),
    ...(pages ? { pages } : {}),
    readiness: {
      queue: () => redisReady(queueConnection),
      tenants: () => redisReady(tenants.connection),
      ...extraReadiness,
    },
  });
  // A webhook right after the start should not get a 503 only because the connections are new.
  await Promise.all([settle(queueConnection, 2_000), settle(tenants.connection, 2_000)]);
  const server = await listenWeb(app, port, options);
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  ctx.logger.info({ port: actualPort }, 'webhook receiver listening');
  return {
    server,
    port: actualPort,
    queue,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await queue.close();
    },
  };
}
