import type { Redis } from 'ioredis';

/** How long a process trusts a cut-off it read (it never changes once set, short of a reset). */
const CACHE_MS = 60_000;

/**
 * The instants that split a tenant's replies between live counting and backfill, one per reply
 * line (a contract chain's limit in responses, `replyLineOf` in the rules; `countRepliesFrom`).
 * Each is set once, by whichever comes first: the worker's first event that counts the line or
 * a backfill that meets it; never moved after. Kept per tenant in one Redis hash.
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

  /** The lines' cut-offs (epoch ms), each set to `proposedMs` when it has none yet. */
  async settle(
    tenantId: string,
    lines: readonly string[],
    proposedMs: number,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing: string[] = [];
    for (const line of new Set(lines)) {
      const cached = this.cache.get(`${tenantId}\n${line}`);
      if (cached && cached.until > this.now()) found.set(line, cached.ms);
      else missing.push(line);
    }
    if (missing.length === 0) return found;
    const key = this.key(tenantId);
    const multi = this.redis.multi();
    for (const line of missing) multi.hsetnx(key, line, String(Math.floor(proposedMs)));
    const results = await multi.hmget(key, ...missing).exec();
    const raws = results?.at(-1)?.[1];
    missing.forEach((line, i) => {
      const raw = Array.isArray(raws) ? raws[i] : undefined;
      const ms = Number(raw);
      if (typeof raw !== 'string' || !Number.isFinite(ms)) {
        throw new Error(`the reply cut-off of '${tenantId}' (${line}) is unreadable`);
      }
      this.cache.set(`${tenantId}\n${line}`, { ms, until: this.now() + CACHE_MS });
      found.set(line, ms);
    });
    return found;
  }

  /** The tenant's cut-offs by line (epoch ms): empty before any was set. */
  async all(tenantId: string): Promise<Map<string, number>> {
    const raw = await this.redis.hgetall(this.key(tenantId));
    return new Map(Object.entries(raw).map(([line, ms]) => [line, Number(ms)]));
  }

  /** The tenant's earliest cut-off (where live counting of its replies began), or null. */
  async get(tenantId: string): Promise<number | null> {
    const all = [...(await this.all(tenantId)).values()];
    return all.length === 0 ? null : Math.min(...all);
  }
}
