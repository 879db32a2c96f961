import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunLock } from '../../worker/stores/run-lock.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeEach(async () => {
  redis = await useTestRedis();
});
afterEach(() => redis.close());

const key = () => `${redis.prefix}:{acme}:test:lock`;

describe('a run lock (real Redis)', () => {
  it('is held by one runner; a second gets nothing until it is released', async () => {
    const first = await RunLock.acquire(redis.client, key(), 'first', 60_000);
    expect(first).not.toBeNull();
    expect(await RunLock.acquire(redis.client, key(), 'second', 60_000)).toBeNull();
    await first!.release();
    expect(await RunLock.acquire(redis.client, key(), 'second', 60_000)).not.toBeNull();
  });

  it('cannot be extended or released by a runner that lost it to another', async () => {
    const stalled = (await RunLock.acquire(redis.client, key(), 'stalled', 60_000))!;
    // It expired while the runner stalled, and another runner took it.
    await redis.client.del(key());
    const other = await RunLock.acquire(redis.client, key(), 'other', 60_000);
    expect(other).not.toBeNull();
    expect(await stalled.extend(60_000)).toBe(false);
    await stalled.release();
    expect(await redis.client.get(key())).toBe('other');
    expect(await other!.extend(60_000)).toBe(true);
  });

  it('kept alive, outlasts its time to live until stopped; then expires', async () => {
    // Extended every 100 ms by 1 s: only a stall of 900 ms could let it lapse.
    const lock = (await RunLock.acquire(redis.client, key(), 'long-run', 1000))!;
    let lost = false;
    const stop = lock.keepAlive(1000, 100, () => (lost = true));
    await sleep(2500);
    expect(await redis.client.get(key())).toBe('long-run');
    stop();
    await sleep(1500);
    expect(await redis.client.get(key())).toBeNull();
    expect(lost).toBe(false);
  });

  it('tells a kept-alive runner once that it lost the lock', async () => {
    const lock = (await RunLock.acquire(redis.client, key(), 'mine', 60_000))!;
    let told = 0;
    const stop = lock.keepAlive(60_000, 30, () => told++);
    await redis.client.set(key(), 'someone-else');
    await sleep(200);
    stop();
    expect(told).toBe(1);
    expect(await redis.client.get(key())).toBe('someone-else');
  });
});
