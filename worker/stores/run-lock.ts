import type { Redis } from 'ioredis';

/** Extends the lock only while it still holds this runner's token. */
const EXTEND_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;

/** Deletes the lock only while it still holds this runner's token. */
const RELEASE_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

/**
 * One runner at a time across processes (a tenant's backfill, its connect or disconnect): a
 * Redis key holding the runner's token, which expires so that a crashed runner frees it. Only
 * the runner whose token it holds can extend or release it: a runner that stalled past the
 * expiry and lost it to another cannot take it back or free it under the other's feet.
 */
export class RunLock {
  private constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly token: string,
  ) {}

  /** The lock, or null when another runner holds it. */
  static async acquire(
    redis: Redis,
    key: string,
    token: string,
    ttlMs: number,
  ): Promise<RunLock | null> {
    const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? new RunLock(redis, key, token) : null;
  }

  /** Makes it expire `ms` from now; false when it is no longer this runner's. */
  async extend(ms: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND_LUA, 1, this.key, this.token, ms)) === 1;
  }

  /** Frees it, unless it is no longer this runner's. */
  async release(): Promise<void> {
    await this.redis.eval(RELEASE_LUA, 1, this.key, this.token);
  }

  /**
   * Extends it every `everyMs` by `ttlMs` until the returned stop is called (a run whose length
   * is not known in advance). `onLost` is told once if it was lost meanwhile.
   */
  keepAlive(ttlMs: number, everyMs: number, onLost: () => void): () => void {
    let lost = false;
    const timer = setInterval(() => {
      this.extend(ttlMs).then(
        (kept) => {
          if (!kept && !lost) {
            lost = true;
            onLost();
          }
        },
        () => {}, // Redis away for a beat: the next tick tries again before the lock expires
      );
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
