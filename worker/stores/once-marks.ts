import type { Redis } from 'ioredis';

/**
 * Marks that say "this happened already" across retries, replays and workers, for figures that
 * must count a thing once (an SLA breach in the metrics). Each mark expires after `ttlMs`.
 */
export class OnceMarks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'deskplan',
  ) {}

  /** True for the first caller with this tenant and key, false for every later one. */
  async first(tenantId: string, key: string, ttlMs = 90 * 24 * 3600 * 1000): Promise<boolean> {
    const set = await this.redis.set(
      `${this.prefix}:{${tenantId}}:once:${key}`,
      '1',
      'PX',
      ttlMs,
      'NX',
    );
    return set === 'OK';
  }
}
