import type { Redis } from 'ioredis';
import type { Usage } from '../rules/index.js';
import { CHARGE_LUA, CLAIM_ALERTS_LUA } from './quota-ledger-lua.js';

/** One counter an event touches; `member: null` only reads the count. */
export interface ChargeCounter {
  key: string;
  member: string | null;
  /** Kept in the member's history entry when this event counts it. */
  meta?: object;
  /** When the counter's period ends (epoch ms); null or absent for a period with no end. */
  periodEndMs?: number | null;
}

/** Why a counter holds a member: which event counted it, when, at which position. */
export interface LedgerEntry {
  member: string;
  position: number;
  eventId: string;
  atMs: number;
  meta: Record<string, unknown>;
}

/** A member that was counted here, then moved with its ticket to another contract. */
export interface MovedEntry {
  member: string;
  eventId: string;
  atMs: number;
  movedTo: string;
  movedAt: number;
  meta: Record<string, unknown>;
}

type ChargingRedis = Redis & {
  deskplanCharge(numKeys: number, ...args: (string | number)[]): Promise<(number | string)[]>;
  deskplanClaimAlerts(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
};

/** Key parts that would break the `{tenant}` hash tag. */
const checkKeyPart = (what: string, value: string) => {
  if (value === '' || /[{}]/.test(value)) throw new Error(`${what} '${value}' is empty or has { }`);
};

const DAY_MS = 24 * 3600_000;

/** How long counters and their histories outlive their period: DESKPLAN_QUOTA_RETENTION_DAYS. */
export function quotaRetentionMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DESKPLAN_QUOTA_RETENTION_DAYS;
  if (raw === undefined || raw === '') return QUOTA_RETENTION_DAYS * DAY_MS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 1) {
    throw new Error(`DESKPLAN_QUOTA_RETENTION_DAYS must be a number of days ≥ 1, got '${raw}'`);
  }
  return days * DAY_MS;
}

/** The default: a year of billing look-back after a period ends, plus a month's margin. */
export const QUOTA_RETENTION_DAYS = 400;

/**
 * Quota counters in Redis, as the pure rules expect them (see MemoryLedger in the tests): each
 * counter keeps its members in the order first counted, never counts one twice, and remembers
 * which event counted each. A member is counted under one contract scope at a time: a ticket
 * that moves to another contract while its period is open takes its count along (the old
 * counter's history says where it went); a reply, or a ticket whose period has ended, stays
 * where it was counted. One script call per event covers all its counters. Keys carry the
 * tenant as a hash tag, so a tenant's counters share one Redis Cluster slot, and expire
 * `retentionMs` after their period ends.
 */
export class QuotaLedger {
  private readonly redis: ChargingRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
    private readonly retentionMs = quotaRetentionMs(),
  ) {
    checkKeyPart('prefix', prefix);
    if (!('deskplanCharge' in redis)) redis.defineCommand('deskplanCharge', { lua: CHARGE_LUA });
    if (!('deskplanClaimAlerts' in redis)) {
      redis.defineCommand('deskplanClaimAlerts', { lua: CLAIM_ALERTS_LUA });
    }
    this.redis = redis as ChargingRedis;
  }

  private base(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:quota`;
  }

  private keys(tenantId: string, counterKey: string) {
    const base = this.base(tenantId);
    return {
      index: `${base}-counters`,
      positions: `${base}:${counterKey}:positions`,
      history: `${base}:${counterKey}:history`,
      alerts: `${base}:${counterKey}:alerts`,
    };
  }

  private expireAt(counter: Pick<ChargeCounter, 'periodEndMs'>, atMs: number): number {
    return (counter.periodEndMs ?? atMs) + this.retentionMs;
  }

  async charge(
    tenantId: string,
    counters: readonly ChargeCounter[],
    eventId: string,
    atMs: number,
  ): Promise<Usage> {
    checkKeyPart('tenant id', tenantId);
    if (counters.length === 0) return {};
    const base = this.base(tenantId);
    const keys = [this.keys(tenantId, '').index];
    const args: (string | number)[] = [eventId, atMs, base];
    for (const counter of counters) {
      const { key, member, meta } = counter;
      const { positions, history } = this.keys(tenantId, key);
      keys.push(positions, history, member === null ? `${base}-owner:` : `${base}-owner:${member}`);
      const { eventId: _e, atMs: _a, ...rest } = (meta ?? {}) as Record<string, unknown>;
      const record = member === null ? '' : JSON.stringify({ eventId, atMs, ...rest });
      const open = counter.periodEndMs == null || atMs < counter.periodEndMs;
      const movable = member !== null && member.startsWith('ticket-') && open;
      args.push(
        member === null ? '0' : '1',
        member ?? '',
        key,
        record,
        this.expireAt(counter, atMs),
        movable ? '1' : '0',
      );
    }
    const out = await this.redis.deskplanCharge(keys.length, ...keys, ...args);
    const usage: Record<string, Usage[string]> = {};
    counters.forEach(({ key }, i) => {
      const position = Number(out[4 * i + 1]);
      const under = String(out[4 * i + 3] ?? '');
      usage[key] = {
        count: Number(out[4 * i]),
        position: position < 0 ? null : position,
        chargedNow: Number(out[4 * i + 2]) === 1,
        ...(under ? { countedUnder: under } : {}),
      };
    });
    return usage;
  }

  /**
   * Claims the alerts an event raised: one per counter and threshold for the whole tenant.
   * Returns the ones this event owns (a retry of the event that raised one still owns it).
   */
  async claimAlerts<A extends { counterKey: string; threshold: number | null }>(
    tenantId: string,
    alerts: readonly (A & { periodEndMs?: number | null })[],
    eventId: string,
    atMs: number,
  ): Promise<A[]> {
    checkKeyPart('tenant id', tenantId);
    if (alerts.length === 0) return [];
    const keys = alerts.map((a) => this.keys(tenantId, a.counterKey).alerts);
    const args = alerts.flatMap((a) => [String(a.threshold ?? 'overage'), this.expireAt(a, atMs)]);
    const owned = await this.redis.deskplanClaimAlerts(keys.length, ...keys, eventId, ...args);
    return alerts.filter((_, i) => owned[i] === 1);
  }

  /** A counter's count and the history that explains it, in counted order (one snapshot). */
  async usage(
    tenantId: string,
    counterKey: string,
  ): Promise<{ count: number; entries: LedgerEntry[]; moved: MovedEntry[] }> {
    checkKeyPart('tenant id', tenantId);
    const { positions, history } = this.keys(tenantId, counterKey);
    const replies = await this.redis.multi().hgetall(positions).hgetall(history).exec();
    const [[positionsError, byMember], [historyError, records]] = replies as [
      [Error | null, Record<string, string>],
      [Error | null, Record<string, string>],
    ];
    if (positionsError || historyError) throw positionsError ?? historyError;
    const parse = (member: string) =>
      JSON.parse(records[member] ?? '{}') as { eventId?: string; atMs?: number } & Record<
        string,
        unknown
      >;
    const entries = Object.entries(byMember)
      .map(([member, position]): LedgerEntry => {
        const { eventId, atMs, ...meta } = parse(member);
        return {
          member,
          position: Number(position),
          eventId: eventId ?? '',
          atMs: atMs ?? 0,
          meta,
        };
      })
      .sort((a, b) => a.position - b.position || a.atMs - b.atMs);
    const moved = Object.keys(records)
      .filter((member) => !(member in byMember))
      .map((member): MovedEntry => {
        const { eventId, atMs, movedTo, movedAt, movedBy: _b, ...meta } = parse(member);
        return {
          member,
          eventId: eventId ?? '',
          atMs: atMs ?? 0,
          movedTo: String(movedTo ?? ''),
          movedAt: Number(movedAt ?? 0),
          meta,
        };
      })
      .sort((a, b) => a.movedAt - b.movedAt);
    return { count: entries.length, entries, moved };
  }

  /**
   * The tenant's counter keys that are still kept, sorted; with `scope`, only those under
   * `${scope}/`. `nowMs` decides which have passed their retention.
   */
  async counterKeys(tenantId: string, scope?: string, nowMs = Date.now()): Promise<string[]> {
    checkKeyPart('tenant id', tenantId);
    const keys = await this.redis.zrangebyscore(this.keys(tenantId, '').index, nowMs, '+inf');
    return keys.filter((k) => scope === undefined || k.startsWith(`${scope}/`)).sort();
  }
}
