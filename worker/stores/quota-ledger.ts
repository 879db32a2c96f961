import type { Redis } from 'ioredis';
import type { Usage } from '../rules/index.js';
import { CHARGE_LUA } from './quota-ledger-lua.js';

/** One counter an event touches; `member: null` only reads the count. */
export interface ChargeCounter {
  key: string;
  member: string | null;
  /** Kept in the member's history entry when this event counts it. */
  meta?: object;
}

/** Why a counter holds a member: which event counted it, when, at which position. */
export interface LedgerEntry {
  member: string;
  position: number;
  eventId: string;
  atMs: number;
  meta: Record<string, unknown>;
}

type ChargingRedis = Redis & {
  deskplanCharge(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
};

/** Key parts that would break the `{tenant}` hash tag. */
const checkKeyPart = (what: string, value: string) => {
  if (value === '' || /[{}]/.test(value)) throw new Error(`${what} '${value}' is empty or has { }`);
};

/**
 * Quota counters in Redis, as the pure rules expect them (see MemoryLedger in the tests): each
 * counter keeps its members in the order first counted, never counts one twice, and remembers
 * which event counted each. One script call per event covers all its counters. Keys carry the
 * tenant as a hash tag, so a tenant's counters share one Redis Cluster slot.
 */
export class QuotaLedger {
  private readonly redis: ChargingRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
  ) {
    checkKeyPart('prefix', prefix);
    if (!('deskplanCharge' in redis)) redis.defineCommand('deskplanCharge', { lua: CHARGE_LUA });
    this.redis = redis as ChargingRedis;
  }

  private keys(tenantId: string, counterKey: string) {
    const base = `${this.prefix}:{${tenantId}}:quota`;
    return {
      index: `${base}-index`,
      positions: `${base}:${counterKey}:positions`,
      history: `${base}:${counterKey}:history`,
    };
  }

  async charge(
    tenantId: string,
    counters: readonly ChargeCounter[],
    eventId: string,
    atMs: number,
  ): Promise<Usage> {
    checkKeyPart('tenant id', tenantId);
    if (counters.length === 0) return {};
    const keys = [this.keys(tenantId, '').index];
    const args: string[] = [eventId];
    for (const { key, member, meta } of counters) {
      const { positions, history } = this.keys(tenantId, key);
      keys.push(positions, history);
      const { eventId: _e, atMs: _a, ...rest } = (meta ?? {}) as Record<string, unknown>;
      const record = member === null ? '' : JSON.stringify({ eventId, atMs, ...rest });
      args.push(member === null ? '0' : '1', member ?? '', key, record);
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

  /** A counter's count and the history that explains it, in counted order (one snapshot). */
  async usage(
    tenantId: string,
    counterKey: string,
  ): Promise<{ count: number; entries: LedgerEntry[] }> {
    checkKeyPart('tenant id', tenantId);
    const { positions, history } = this.keys(tenantId, counterKey);
    const replies = await this.redis.multi().hgetall(positions).hgetall(history).exec();
    const [[positionsError, byMember], [historyError, records]] = replies as [
      [Error | null, Record<string, string>],
      [Error | null, Record<string, string>],
    ];
    if (positionsError || historyError) throw positionsError ?? historyError;
    const entries = Object.entries(byMember)
      .map(([member, position]): LedgerEntry => {
        const { eventId, atMs, ...meta } = JSON.parse(records[member] ?? '{}') as {
          eventId?: string;
          atMs?: number;
        };
        return {
          member,
          position: Number(position),
          eventId: eventId ?? '',
          atMs: atMs ?? 0,
          meta,
        };
      })
      .sort((a, b) => a.position - b.position);
    return { count: entries.length, entries };
  }

  /** The tenant's counter keys, sorted; with `scope`, only those under `${scope}/`. */
  async counterKeys(tenantId: string, scope?: string): Promise<string[]> {
    checkKeyPart('tenant id', tenantId);
    const keys = await this.redis.smembers(this.keys(tenantId, '').index);
    return keys.filter((k) => scope === undefined || k.startsWith(`${scope}/`)).sort();
  }
}
