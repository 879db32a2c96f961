import type { Redis } from 'ioredis';
import type { Usage } from '../rules/index.js';
import { CHARGE_LUA } from './quota-ledger-lua.js';

export interface LedgerEntry {
  member: string;
  position: number;
  eventId: string;
  atMs: number;
}

type ChargingRedis = Redis & {
  deskplanCharge(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
};

/**
 * Quota counters in Redis: members in the order first counted, never counted twice, each with
 * the event that counted it. One EVALSHA per event covers all its counters. Keys carry the
 * tenant as a hash tag, so one tenant's counters share a Redis Cluster slot.
 */
export class QuotaLedger {
  private readonly redis: ChargingRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
  ) {
    if (!('deskplanCharge' in redis)) redis.defineCommand('deskplanCharge', { lua: CHARGE_LUA });
    this.redis = redis as ChargingRedis;
  }

  private base(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:quota`;
  }

  async charge(
    tenantId: string,
    counters: readonly { key: string; member: string | null }[],
    eventId: string,
    atMs: number,
  ): Promise<Usage> {
    if (counters.length === 0) return {};
    const base = this.base(tenantId);
    const keys = [`${base}-index`];
    const args: (string | number)[] = [eventId, atMs, counters.length];
    for (const { key, member } of counters) {
      keys.push(`${base}:${key}:positions`, `${base}:${key}:history`);
      args.push(member ?? '', key);
    }
    const out = await this.redis.deskplanCharge(keys.length, ...keys, ...args);
    const usage: Record<string, Usage[string]> = {};
    counters.forEach(({ key }, i) => {
      const position = out[3 * i + 1]!;
      usage[key] = {
        count: out[3 * i]!,
        position: position < 0 ? null : position,
        chargedNow: out[3 * i + 2] === 1,
      };
    });
    return usage;
  }

  /** A counter's count and the history that explains it, in counted order. */
  async usage(
    tenantId: string,
    counterKey: string,
  ): Promise<{ count: number; entries: LedgerEntry[] }> {
    const history = await this.redis.hgetall(`${this.base(tenantId)}:${counterKey}:history`);
    const positions = await this.redis.hgetall(`${this.base(tenantId)}:${counterKey}:positions`);
    const entries = Object.entries(positions)
      .map(([member, position]) => {
        const meta = JSON.parse(history[member] ?? '{}') as { eventId?: string; atMs?: number };
        return {
          member,
          position: Number(position),
          eventId: meta.eventId ?? '',
          atMs: meta.atMs ?? 0,
        };
      })
      .sort((a, b) => a.position - b.position);
    return { count: entries.length, entries };
  }

  /** The tenant's counters, optionally only those of one contract scope. */
  async counterKeys(tenantId: string, scope?: string): Promise<string[]> {
    const keys = await this.redis.smembers(`${this.base(tenantId)}-index`);
    return keys.filter((k) => scope === undefined || k.startsWith(`${scope}/`)).sort();
  }
}
