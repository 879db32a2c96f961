// A Redis client whose keys live under a prefix of their own, deleted in close(). Vitest-free:
// the test helper redis.ts and the benchmarks both use it.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  /** Unique per call (test-<uuid>): keys and queues under it belong to this test only. */
  prefix: string;
  client: Redis;
  /** Deletes every key under the prefix and closes the client. */
  close(): Promise<void>;
}

export function connectPrefixedRedis(url: string, prefix = `test-${randomUUID()}`): TestRedis {
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  let closing: Promise<void> | undefined;
  return {
    url,
    prefix,
    client,
    close() {
      closing ??= (async () => {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await client.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
        await client.quit();
      })();
      return closing;
    },
  };
}
