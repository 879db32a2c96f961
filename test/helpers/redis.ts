import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The suite's Redis: REDIS_URL, which the integration globalSetup sets when it starts its own. */
function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url)
    throw new Error('REDIS_URL is not set: run integration tests through vitest (npm test)');
  return url;
}

export interface TestRedis {
  url: string;
  /** Unique per call: keys and queues under it belong to this test only. */
  prefix: string;
  client: Redis;
  close(): Promise<void>;
}

export async function useTestRedis(): Promise<TestRedis> {
  const url = redisUrl();
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
