import { roundUnits } from '../rules/quota/units.js';
import {
  describeCounter,
  drawOf,
  poolUsage,
  type CompiledTenant,
  type PeriodAllowance,
  type Pool,
  type PoolsUsage,
} from '../rules/index.js';
import { periodAllowance } from '../rules/quota/allowance-history.js';
import type { QuotaLedger, WaiveRecord } from '../stores/quota-ledger.js';

/** One counted ticket (or reply) and why it counts as it does. */
export interface ReportEntry {
  member: string;
  /** Which event counted it, and when (epoch ms). */
  eventId: string;
  atMs: number;
  weight: number;
  /** The units in use when it was counted (its place in the queue when judged). */
  position: number;
  /** The pools its units come from now (rollover of a period, the base, a top-up block). */
  draws: Pool[];
  /** Its units beyond every pool. */
  overage: number;
  /** Earlier waives of it, taken back. */
  waives: WaiveRecord[];
  /** Where it came from when it moved from another contract. */
  movedFrom: string | null;
  /** The tenant config version it was counted under (null for counts from before it was kept). */
  configVersion: number | null;
}

/** A counter's usage, explained: the allowance and where it comes from, and each count. */
export interface CounterReport {
  counterKey: string;
  contract: { id: string; name: string };
  plan: { id: string; name: string };
  limit: { id: string; unit: 'tickets' | 'responses'; per: string; max: number | null };
  period: {
    key: string;
    firstDay: string;
    lastDay: string | null;
    start: string;
    end: string | null;
  };
  count: number;
  used: number;
  /** Everything available this period (null: unlimited) and what each pool holds and gave. */
  allowance: number | null;
  remaining: number | null;
  overage: number;
  pools: PoolsUsage | null;
  /** The rollover and top-ups the allowance holds, as worked out for the period. */
  detail: Pick<PeriodAllowance, 'rolledIn' | 'topUps'> | null;
  entries: ReportEntry[];
  /** Released by the waive tag: who and when. */
  waived: { member: string; weight: number; waives: WaiveRecord[] }[];
  /** Counted here, then moved with their ticket to another contract. */
  moved: { member: string; movedTo: string; movedAt: number }[];
}

/**
 * A counter's usage history as an agency reads it: the period's whole allowance (max, rollover,
 * top-ups), each counted ticket or reply with its weight and the pools its units come from, and
 * the waives and moves. Units are attributed to pools by the current order of counting (every
 * member still counted, by position), so the draws add up to the period's figures. Null when the
 * tenant's config no longer knows the counter's contract or limit.
 */
export async function counterReport(
  tenantId: string,
  tenant: CompiledTenant,
  ledger: QuotaLedger,
  counterKey: string,
): Promise<CounterReport | null> {
  const info = describeCounter(tenant, counterKey);
  if (!info) return null;
  const usage = await ledger.usage(tenantId, counterKey);
  const { limit, period } = info;
  let pools: Pool[] | null = null;
  let detail: CounterReport['detail'] = null;
  if (info.allowance) {
    const keys = info.allowance.earlier.map((e) => e.counterKey);
    const units = keys.length > 0 ? await ledger.units(tenantId, keys) : [];
    const byKey = new Map(keys.map((k, i) => [k, units[i] ?? 0]));
    const a = periodAllowance(info.allowance, period, usage.units, (k) => byKey.get(k) ?? 0);
    pools = a.pools;
    detail = { rolledIn: a.rolledIn, topUps: a.topUps };
  } else if (limit.max !== null) {
    pools = [{ source: 'base', id: 'base', units: limit.max }];
  }
  let before = 0;
  const entries = usage.entries.map((e): ReportEntry => {
    const drawn = pools ? drawOf(pools, before, e.weight) : { draws: [], overage: 0 };
    before = roundUnits(before + e.weight);
    const { movedFrom, configVersion } = e.meta as { movedFrom?: string; configVersion?: number };
    return {
      member: e.member,
      eventId: e.eventId,
      atMs: e.atMs,
      weight: e.weight,
      position: e.position,
      draws: drawn.draws,
      overage: drawn.overage,
      waives: e.waives,
      movedFrom: movedFrom ?? null,
      configVersion: typeof configVersion === 'number' ? configVersion : null,
    };
  });
  const pooled = pools ? poolUsage(pools, usage.units) : null;
  const allowance = pooled ? pooled.total : null;
  return {
    counterKey,
    contract: { id: info.contract.id, name: info.contract.name ?? info.contract.id },
    plan: { id: info.plan.id, name: info.plan.name },
    limit: { id: limit.id, unit: limit.unit, per: limit.per, max: limit.max },
    period: {
      key: period.key,
      firstDay: period.label.start,
      lastDay: period.label.end,
      start: period.iso.start,
      end: period.iso.end,
    },
    count: usage.count,
    used: usage.units,
    allowance,
    remaining: allowance === null ? null : roundUnits(Math.max(0, allowance - usage.units)),
    overage: allowance === null ? 0 : roundUnits(Math.max(0, usage.units - allowance)),
    pools: pooled,
    detail,
    entries,
    waived: usage.waived.map((w) => ({ member: w.member, weight: w.weight, waives: w.waives })),
    moved: usage.moved.map((m) => ({ member: m.member, movedTo: m.movedTo, movedAt: m.movedAt })),
  };
}
