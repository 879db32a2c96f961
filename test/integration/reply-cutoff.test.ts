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
  it('is set once per line, by the first to settle it, and never moves after', async () => {
    const cutoff = new ReplyCutoff(redis.client, redis.prefix);
    const one = async (c: ReplyCutoff, line: string, ms: number) =>
      (await c.settle('acme', [line], ms)).get(line);
    expect(await cutoff.get('acme')).toBeNull();
    expect(await one(cutoff, 'c/replies', 1_000)).toBe(1_000);
    expect(await one(cutoff, 'c/replies', 500)).toBe(1_000);
    expect(await one(new ReplyCutoff(redis.client, redis.prefix), 'c/replies', 2_000)).toBe(1_000);
    // A limit met later (a plan that began counting replies) has its own, later cut-off.
    expect(await one(cutoff, 'd/replies', 3_000)).toBe(3_000);
    expect(await cutoff.settle('acme', ['c/replies', 'd/replies'], 9_000)).toEqual(
      new Map([
        ['c/replies', 1_000],
        ['d/replies', 3_000],
      ]),
    );
    expect(await cutoff.get('acme')).toBe(1_000);
    expect(await cutoff.get('other')).toBeNull();
  });

  it('gives every process the same cut-off when they settle it at once', async () => {
    const connections = Array.from({ length: 4 }, () => new Redis(redis.url));
    try {
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new ReplyCutoff(connections[i % 4]!, redis.prefix)
            .settle('acme', ['c/replies'], 10_000 + i)
            .then((m) => m.get('c/replies')),
        ),
      );
      expect(new Set(seen).size).toBe(1);
    } finally {
      for (const c of connections) c.disconnect();
    }
  });
});
