import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startLocalRedis, type LocalRedis } from '../../worker/redis/start-local-redis.js';

let local: Promise<LocalRedis> | null = null;

/** REDIS_URL when set; else one redis-server per test file, on a free port, stopped at exit. */
async function redisUrl(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  local ??= startLocalRedis({
    dataDir: mkdtempSync(join(tmpdir(), 'deskplan-redis-')),
    appendOnly: false,
  }).then((server) => {
    process.once('exit', () => void server.stop());
    return server;
  });
  return (await local).url;
}

export interface TestRedis {
  url: string;
  /** Unique per call: keys and queues under it belong to this test only. */
  prefix: string;
  client: Redis;
  close(): Promise<void>;
}

export async function useTestRedis(): Promise<TestRedis> {
  const url = await redisUrl();
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  return {
    url,
    prefix,
    client,
    async close() {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await client.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await client.quit();
    },
  };
}

/** Stops the suite's own redis-server, if it started one. */
export async function stopTestRedis(): Promise<void> {
  if (local) await (await local).stop();
  local = null;
}
