import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplyCutoff } from '../../worker/stores/reply-cutoff.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeEach(async () => {
  redis = await useTestRedis();
});
afterEach(() => redis.close());

describe('the reply cut-off store (real Redis)', () => {
  it('is set once, by the first to settle it, and never moves after', async () => {
    const cutoff = new ReplyCutoff(redis.client, redis.prefix);
    expect(await cutoff.get('acme')).toBeNull();
    expect(await cutoff.settle('acme', 1_000)).toBe(1_000);
    expect(await cutoff.settle('acme', 500)).toBe(1_000);
    expect(await new ReplyCutoff(redis.client, redis.prefix).settle('acme', 2_000)).toBe(1_000);
    expect(await cutoff.get('acme')).toBe(1_000);
    expect(await cutoff.get('other')).toBeNull();
  });

  it('gives every process the same cut-off when they settle it at once', async () => {
    const connections = Array.from({ length: 4 }, () => new Redis(redis.url));
    try {
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new ReplyCutoff(connections[i % 4]!, redis.prefix).settle('acme', 10_000 + i),
        ),
      );
      expect(new Set(seen).size).toBe(1);
    } finally {
      for (const c of connections) c.disconnect();
    }
  });
});
