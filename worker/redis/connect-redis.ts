import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { startLocalRedis } from './start-local-redis.js';

/** REDIS_URL when set; otherwise a local redis-server child with AOF on, data in `dataDir`. */
export async function resolveRedis(options: { dataDir: string; logger?: Logger }) {
  const url = process.env.REDIS_URL;
  if (url) return { url, startedLocal: false, stop: async () => {} };
  const local = await startLocalRedis({ dataDir: options.dataDir, appendOnly: true });
  options.logger?.info(
    { url: local.url, dataDir: options.dataDir },
    'started a local redis-server',
  );
  return { url: local.url, startedLocal: true, stop: () => local.stop() };
}

/**
 * Connections per BullMQ's production guidance: workers block and must retry forever
 * (maxRetriesPerRequest null); queue producers fail fast rather than buffer while Redis is down.
 */
export function createRedisConnection(url: string, role: 'worker' | 'queue' | 'client'): Redis {
  if (role === 'worker') return new Redis(url, { maxRetriesPerRequest: null });
  if (role === 'queue')
    return new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: false });
  return new Redis(url, { maxRetriesPerRequest: 3 });
}
