import { Redis, type RedisOptions } from 'ioredis';
import pino, { type Logger } from 'pino';
import { startLocalRedis } from './start-local-redis.js';

export interface ResolvedRedis {
  url: string;
  /** True when deskplan started its own redis-server; stop() then shuts it down. */
  startedLocal: boolean;
  stop(): Promise<void>;
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/**
 * `url`, else REDIS_URL when set (stop does nothing); else a local redis-server with AOF on in
 * `dataDir`.
 */
export async function resolveRedis(
  options: { dataDir?: string; logger?: Logger; url?: string } = {},
): Promise<ResolvedRedis> {
  const { dataDir = './data/redis', logger } = options;
  const url = options.url ?? process.env.REDIS_URL;
  if (url) {
    logger?.info({ url: redactUrl(url) }, 'using the Redis at REDIS_URL');
    return { url, startedLocal: false, stop: async () => {} };
  }
  const local = await startLocalRedis({ dataDir, appendOnly: true, logger });
  return { url: local.url, startedLocal: true, stop: () => local.stop() };
}

export type ConnectionRole = 'worker' | 'queue' | 'lookup' | 'client';

/**
 * What the webhook receiver's connections share: a command while Redis is away fails at once (no
 * offline queue) instead of waiting for a reconnect, a command Redis does not answer fails after
 * a second, and reconnects are tried every half second at most, so the receiver is back within
 * moments of Redis.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1_000,
  connectTimeout: 2_000,
  retryStrategy: (times) => Math.min(times * 100, 500),
};

/**
 * ioredis options per role, after BullMQ's production guidance:
 * - worker: BullMQ workers block on Redis and must wait out an outage, so commands retry forever
 *   (maxRetriesPerRequest null; BullMQ refuses a worker connection without it);
 * - queue: producers (the webhook receiver) fail fast while Redis is away, so the HTTP request
 *   gets an error to answer with instead of hanging (FAIL_FAST);
 * - lookup: the receiver's tenant reads, failing fast like the queue;
 * - client: the stores; a command fails after a few reconnects and the job retries with backoff.
 */
export const CONNECTION_OPTIONS: Record<ConnectionRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  queue: FAIL_FAST,
  lookup: FAIL_FAST,
  client: { maxRetriesPerRequest: 3 },
};

/** Identical errors from one source are logged once per this window. */
export const REPEATED_ERROR_WINDOW_MS = 30_000;
const recentErrors = new WeakMap<Logger, Map<string, { loggedAt: number; repeats: number }>>();

/**
 * Logs `error` through `logger` as `msg`, at most once per REPEATED_ERROR_WINDOW_MS for the same
 * source and error message; the next line after a quiet window says how often it repeated. For
 * errors that come in floods (a Redis outage: every reconnect attempt, every request).
 */
export function logRepeatedError(
  logger: Logger,
  source: string,
  error: unknown,
  msg: string,
  fields: Record<string, unknown> = {},
  now = Date.now(),
): void {
  const err = error instanceof Error ? (error as NodeJS.ErrnoException) : null;
  // The message is only the dedupe key; the line carries the error itself (pino's err
  // serializer: type, message, stack).
  const message = err?.message ?? String(error);
  let seen = recentErrors.get(logger);
  if (!seen) recentErrors.set(logger, (seen = new Map()));
  const key = `${source}\n${message}`;
  const last = seen.get(key);
  if (last && now - last.loggedAt < REPEATED_ERROR_WINDOW_MS) {
    last.repeats++;
    return;
  }
  if (seen.size >= 100) {
    for (const [k, v] of seen) if (now - v.loggedAt >= REPEATED_ERROR_WINDOW_MS) seen.delete(k);
  }
  seen.set(key, { loggedAt: now, repeats: 0 });
  logger.error(
    {
      ...fields,
      source,
      ...(err?.code ? { code: err.code } : {}),
      err: error,
      ...(last?.repeats ? { repeatedBefore: last.repeats } : {}),
    },
    msg,
  );
}

/** Forgets the errors logged for `source`, so the next outage is logged at once. */
function forgetErrors(logger: Logger, source: string): number {
  const seen = recentErrors.get(logger);
  let repeats = 0;
  for (const [key, value] of seen ?? []) {
    if (key.startsWith(`${source}\n`)) {
      repeats += value.repeats;
      seen!.delete(key);
    }
  }
  return repeats;
}

let fallbackLogger: Logger | undefined;

/** Errors a createRedisConnection connection has already passed to its logger. */
const connectionErrors = new WeakSet<object>();

/**
 * True when `error` came from a createRedisConnection connection's 'error' event, and so is
 * logged already. BullMQ passes a connection's errors on to the Queue using it: a Queue's 'error'
 * listener skips these, so each error is logged (and counted) once.
 */
export function loggedByConnection(error: unknown): boolean {
  return typeof error === 'object' && error !== null && connectionErrors.has(error);
}

/**
 * A connection for `role`. Its 'error' events (each failed reconnect during an outage) go to
 * `logger` (default: a pino logger at LOG_LEVEL) through logRepeatedError, never raw to stderr;
 * the connection coming back after errors is logged once.
 */
export function createRedisConnection(url: string, role: ConnectionRole, logger?: Logger): Redis {
  const connection = new Redis(url, { ...CONNECTION_OPTIONS[role] });
  const log = logger ?? (fallbackLogger ??= pino({ level: process.env.LOG_LEVEL ?? 'info' }));
  const source = `redis:${role}`;
  let failing = false;
  connection.on('error', (error: unknown) => {
    failing = true;
    if (typeof error === 'object' && error !== null) connectionErrors.add(error);
    logRepeatedError(log, source, error, 'redis connection error');
  });
  connection.on('ready', () => {
    if (!failing) return;
    failing = false;
    log.info({ source, repeatedErrors: forgetErrors(log, source) }, 'redis connection ready again');
  });
  return connection;
}

/**
 * True when `connection` is connected and answers PING; false (never a wait on the offline queue
 * or a reconnect, never a throw) otherwise. No timeout of its own: callers bound it (/readyz runs
 * each check within a second), and the fail-fast connections have a commandTimeout.
 */
export async function redisReady(connection: Redis): Promise<boolean> {
  if (connection.status !== 'ready') return false;
  try {
    return (await connection.ping()) === 'PONG';
  } catch {
    return false;
  }
}
