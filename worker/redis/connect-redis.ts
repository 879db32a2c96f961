import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
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

/** REDIS_URL when set (stop does nothing); else a local redis-server with AOF on in `dataDir`. */
export async function resolveRedis(
  options: { dataDir?: string; logger?: Logger } = {},
): Promise<ResolvedRedis> {
  const { dataDir = './data/redis', logger } = options;
  const url = process.env.REDIS_URL;
  if (url) {
    logger?.info({ url: redactUrl(url) }, 'using the Redis at REDIS_URL');
    return { url, startedLocal: false, stop: async () => {} };
  }
  const local = await startLocalRedis({ dataDir, appendOnly: true, logger });
  return { url: local.url, startedLocal: true, stop: () => local.stop() };
}

export type ConnectionRole = 'worker' | 'queue' | 'client';

/**
 * ioredis options per role, after BullMQ's production guidance:
 * - worker: BullMQ workers block on Redis and must wait out an outage, so commands retry forever
 *   (maxRetriesPerRequest null; BullMQ refuses a worker connection without it);
 * - queue: producers (the webhook receiver) fail fast while Redis is away, so the HTTP request
 *   gets an error to answer with instead of hanging (no offline queue, one retry);
 * - client: the stores; a command fails after a few reconnects and the job retries with backoff.
 */
export const CONNECTION_OPTIONS: Record<ConnectionRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  queue: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  client: { maxRetriesPerRequest: 3 },
};

export function createRedisConnection(url: string, role: ConnectionRole): Redis {
  return new Redis(url, { ...CONNECTION_OPTIONS[role] });
}
