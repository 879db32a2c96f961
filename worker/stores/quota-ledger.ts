import type { Redis } from 'ioredis';
import { alertField, type Usage } from '../rules/index.js';
import { fromThousandths, toThousandths } from '../rules/quota/units.js';
import { CHARGE_LUA, CLAIM_ALERTS_LUA } from './quota-ledger-lua.js';

/** One counter an event touches; `member: null` only reads the count. */
export interface ChargeCounter {
  key: string;
  member: string | null;
  /** Kept in the member's history entry when this event counts it. */
  meta?: object;
  /** When the counter's period ends (epoch ms); null or absent for a period with no end. */
  periodEndMs?: number | null;
  /** The member's weight in units (default 1), kept to the thousandth. */
  weight?: number;
  /** Only look the member up: its slot when it is counted already; never count it now. */
  lookupOnly?: boolean;
}

/** The ticket an event is about, and whether its body shows it waived (the agent's tag). */
export interface ChargeTicket {
  id: string;
  /** true / false as the body shows it; null when the event cannot say. */
  waived: boolean | null;
  /** The body's updatedAt (epoch ms): an older body never overrides a newer one's waive state. */
  asOfMs: number;
  /** Who changed it, as the event says (kept in the history of a waive). */
  by: string | null;
}

/** One waive of a member: who waived it and when, and who counted it again, if anyone did. */
export interface WaiveRecord {
  waivedAt: number;
  waivedBy: string;
  unwaivedAt?: number;
  unwaivedBy?: string;
}

/**
 * Why a counter holds a member: which event counted it, when, at which position (the units in
 * use when it was counted) and with which weight; earlier waives that were taken back.
 */
export interface LedgerEntry {
  member: string;
  position: number;
  weight: number;
  eventId: string;
  atMs: number;
  waives: WaiveRecord[];
  meta: Record<string, unknown>;
}

/** A member released by a waive: not counted while its ticket carries the waive tag. */
export interface WaivedEntry {
  member: string;
  weight: number;
  eventId: string;
  atMs: number;
  waives: WaiveRecord[];
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
/** Units are kept in thousandths (quota/units.ts): weights such as 1.5 or 0.25 add up exactly. */
const MILLI = toThousandths(1);
const toMilli = (units: number) => toThousandths(units, 'weight');
const fromMilli = fromThousandths;

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
const QUOTA_RETENTION_DAYS = 400;

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
      units: `${base}:${counterKey}:units`,
      alerts: `${base}:${counterKey}:alerts`,
    };
  }

  private expireAt(counter: Pick<ChargeCounter, 'periodEndMs'>, atMs: number): number {
    return (counter.periodEndMs ?? atMs) + this.retentionMs;
  }

  /**
   * Counts each counter's member (once, whatever the retries), reads the rest, and applies the
   * ticket's waive state as the event's body shows it, all in one atomic script.
   */
  async charge(
    tenantId: string,
    counters: readonly ChargeCounter[],
    eventId: string,
    atMs: number,
    ticket?: ChargeTicket,
  ): Promise<Usage> {
    return (await this.chargeCounting(tenantId, counters, eventId, atMs, ticket)).usage;
  }

  /**
   * charge(), also saying which counters this very call counted its member on (`added`): a
   * retry of the same event still gets chargedNow, but never `added` again.
   */
  async chargeCounting(
    tenantId: string,
    counters: readonly ChargeCounter[],
    eventId: string,
    atMs: number,
    ticket?: ChargeTicket,
  ): Promise<{ usage: Usage; added: ReadonlySet<string> }> {
    checkKeyPart('tenant id', tenantId);
    if (counters.length === 0) return { usage: {}, added: new Set() };
    const base = this.base(tenantId);
    const ticketId = ticket?.id ?? '';
    const keys = [
      this.keys(tenantId, '').index,
      `${base}-ticket-counts:${ticketId}`,
      `${base}-ticket-waive:${ticketId}`,
    ];
    const waived = ticket?.waived ?? null;
    const args: (string | number)[] = [
      eventId,
      atMs,
      base,
      waived === null || !ticket ? '' : waived ? '1' : '0',
      ticket?.asOfMs ?? 0,
      ticket?.by ?? 'unknown',
    ];
    for (const counter of counters) {
      const { key, member, meta } = counter;
      const { positions, history, units } = this.keys(tenantId, key);
      keys.push(
        positions,
        history,
        units,
        member === null ? `${base}-owner:` : `${base}-owner:${member}`,
      );
      const { eventId: _e, atMs: _a, ...rest } = (meta ?? {}) as Record<string, unknown>;
      const record = member === null ? '' : JSON.stringify({ eventId, atMs, ...rest });
      const open = counter.periodEndMs == null || atMs < counter.periodEndMs;
      const movable = member !== null && member.startsWith('ticket-') && open;
      const weight = toMilli(counter.weight ?? 1);
      if (!(weight > 0)) throw new Error(`weight of '${member}' must be positive`);
      args.push(
        member === null ? '0' : counter.lookupOnly ? '2' : '1',
        member ?? '',
        key,
        record,
        this.expireAt(counter, atMs),
        movable ? '1' : '0',
        weight,
      );
    }
    const out = await this.redis.deskplanCharge(keys.length, ...keys, ...args);
    const usage: Record<string, Usage[string]> = {};
    const added = new Set<string>();
    counters.forEach(({ key }, i) => {
      const [count, units, position, now, under, isWaived] = out.slice(6 * i, 6 * i + 6);
      if (Number(now) === 2) added.add(key);
      usage[key] = {
        count: Number(count),
        units: fromMilli(Number(units)),
        position: Number(position) < 0 ? null : fromMilli(Number(position)),
        chargedNow: Number(now) >= 1,
        ...(String(under ?? '') ? { countedUnder: String(under) } : {}),
        ...(Number(isWaived) === 1 ? { waived: true } : {}),
      };
    });
    return { usage, added };
  }

  /**
   * Claims the alerts an event raised: one per counter and threshold for the whole tenant.
   * Returns the ones this event owns (a retry of the event that raised one still owns it).
   */
  async claimAlerts<A extends { kind?: string; counterKey: string; threshold: number | null }>(
    tenantId: string,
    alerts: readonly (A & { periodEndMs?: number | null })[],
    eventId: string,
    atMs: number,
  ): Promise<A[]> {
    checkKeyPart('tenant id', tenantId);
    if (alerts.length === 0) return [];
    const keys = alerts.map((a) => this.keys(tenantId, a.counterKey).alerts);
    const args = alerts.flatMap((a) => [alertField(a), this.expireAt(a, atMs)]);
    const owned = await this.redis.deskplanClaimAlerts(keys.length, ...keys, eventId, ...args);
    return alerts.filter((_, i) => owned[i] === 1);
  }

  /** A counter's count, units and the history that explains them, in counted order (one snapshot). */
  async usage(
    tenantId: string,
    counterKey: string,
  ): Promise<{
    count: number;
    units: number;
    entries: LedgerEntry[];
    moved: MovedEntry[];
    waived: WaivedEntry[];
  }> {
    checkKeyPart('tenant id', tenantId);
    const { positions, history, units } = this.keys(tenantId, counterKey);
    const replies = await this.redis.multi().hgetall(positions).hgetall(history).get(units).exec();
    const [[positionsError, byMember], [historyError, records], [unitsError, total]] = replies as [
      [Error | null, Record<string, string>],
      [Error | null, Record<string, string>],
      [Error | null, string | null],
    ];
    if (positionsError || historyError || unitsError) {
      throw positionsError ?? historyError ?? unitsError;
    }
    const parse = (member: string) => {
      const { eventId, atMs, weight, waives, waived, ...meta } = JSON.parse(
        records[member] ?? '{}',
      ) as Record<string, unknown>;
      return {
        eventId: String(eventId ?? ''),
        atMs: Number(atMs ?? 0),
        weight: fromMilli(Number(weight ?? MILLI)),
        waives: Array.isArray(waives) ? (waives as WaiveRecord[]) : [],
        waived: waived === true,
        meta,
      };
    };
    // A counter no charge has touched since units came in: slots 0, 1, 2 …, each weighing 1.
    const legacy = total === null && Object.keys(byMember).length > 0;
    const positionOf = (raw: string) => (legacy ? Number(raw) : fromMilli(Number(raw)));
    const entries = Object.entries(byMember)
      .map(([member, position]): LedgerEntry => {
        const { waived: _w, ...entry } = parse(member);
        return { member, position: positionOf(position), ...entry };
      })
      .sort((a, b) => a.position - b.position || a.atMs - b.atMs);
    const gone = Object.keys(records).filter((member) => !(member in byMember));
    const moved = gone
      .map((member) => ({ member, ...parse(member) }))
      .filter((e) => e.meta.movedTo !== undefined)
      .map(({ member, eventId, atMs, meta }): MovedEntry => {
        const { movedTo, movedAt, movedBy: _b, ...rest } = meta;
        return {
          member,
          eventId,
          atMs,
          movedTo: String(movedTo ?? ''),
          movedAt: Number(movedAt ?? 0),
          meta: rest,
        };
      })
      .sort((a, b) => a.movedAt - b.movedAt);
    const waived = gone
      .map((member) => ({ member, ...parse(member) }))
      .filter((e) => e.waived && e.meta.movedTo === undefined)
      .map(({ waived: _w, ...e }): WaivedEntry => e)
      .sort((a, b) => (a.waives.at(-1)?.waivedAt ?? 0) - (b.waives.at(-1)?.waivedAt ?? 0));
    return {
      count: entries.length,
      units: legacy ? entries.length : fromMilli(Number(total ?? 0)),
      entries,
      moved,
      waived,
    };
  }

  /** The units in use on each counter (0 for one never charged or expired), in one round trip. */
  async units(tenantId: string, counterKeys: readonly string[]): Promise<number[]> {
    checkKeyPart('tenant id', tenantId);
    if (counterKeys.length === 0) return [];
    const values = await this.redis.mget(...counterKeys.map((k) => this.keys(tenantId, k).units));
    // A counter from before units: its member count (each weighed 1).
    const legacy = counterKeys.filter((_, i) => values[i] === null);
    const counts = legacy.length
      ? await Promise.all(legacy.map((k) => this.redis.hlen(this.keys(tenantId, k).positions)))
      : [];
    const countOf = new Map(legacy.map((k, i) => [k, counts[i] ?? 0]));
    return values.map((v, i) =>
      v === null ? (countOf.get(counterKeys[i]!) ?? 0) : fromMilli(Number(v)),
    );
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
