import type { Redis } from 'ioredis';

/** How long a process trusts a cut-off it read (it never changes once set, short of a reset). */
const CACHE_MS = 60_000;

/**
 * The instant that splits a tenant's replies between live counting and backfill
 * (`countRepliesFrom` in the rules). Set once, by whichever comes first: the worker's first
 * event of the tenant or its first backfill; never moved after. Kept per tenant in Redis.
 */
export class ReplyCutoff {
  private readonly cache = new Map<string, { ms: number; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'deskplan',
    private readonly now: () => number = Date.now,
  ) {}

  private key(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:replies:cutoff`;
  }

  /** The tenant's cut-off (epoch ms), set to `proposedMs` when it has none yet. */
  async settle(tenantId: string, proposedMs: number): Promise<number> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > this.now()) return cached.ms;
    const key = this.key(tenantId);
    const results = await this.redis
      .multi()
      .set(key, String(Math.floor(proposedMs)), 'NX')
      .get(key)
      .exec();
    const raw = results?.[1]?.[1];
    const ms = Number(raw);
    if (typeof raw !== 'string' || !Number.isFinite(ms)) {
      throw new Error(`the reply cut-off of '${tenantId}' is unreadable`);
    }
    this.cache.set(tenantId, { ms, until: this.now() + CACHE_MS });
    return ms;
  }

  /** The tenant's cut-off, or null before its first event or backfill. */
  async get(tenantId: string): Promise<number | null> {
    const raw = await this.redis.get(this.key(tenantId));
    return raw === null ? null : Number(raw);
  }
}
