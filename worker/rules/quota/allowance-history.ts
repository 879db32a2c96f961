import { renewalChain } from '../decision/renewal-chain.js';
import { topUpsForLimit } from '../config/allowance-schema.js';
import type { ContractConfig } from '../config/contract-schema.js';
import type { LimitConfig, PlanConfig } from '../config/plan-schema.js';
import {
  currentAllowance,
  type PeriodAllowance,
  type RolloverRule,
  type TopUpBlock,
} from './allowance.js';
import type { Period } from './period-of.js';

/** How far back a period's allowance is worked out from: enough for weekly limits over a year. */
const ALLOWANCE_LOOKBACK_PERIODS = 60;

/** An earlier period of the same limit and quota scope: its counter key and its dates. */
export interface EarlierPeriod {
  counterKey: string;
  periodKey: string;
  firstDay: string;
  lastDay: string | null;
  /** The period's own allowance when the contract in force then had another (a renewal's upgrade). */
  max?: number;
}

/**
 * What a counter needs beyond its own count to know its period's allowance: the limit's rollover,
 * the top-up blocks of the contract (and of the contracts it renews), and the earlier periods
 * since the renewal chain began, oldest first. Null for a limit with neither rollover nor top-ups.
 */
export interface AllowanceRef {
  max: number;
  rollover: RolloverRule | null;
  topUps: TopUpBlock[];
  earlier: EarlierPeriod[];
}

/** Refs per contract, plan, limit and period: the walk back is done once per period. */
const refs = new WeakMap<ContractConfig, Map<string, AllowanceRef | null>>();

/** allowanceRefOf, remembered per contract object (a compiled tenant keeps its objects). */
export function cachedAllowanceRef(
  input: Parameters<typeof allowanceRefOf>[0],
): AllowanceRef | null {
  let byKey = refs.get(input.contract);
  if (!byKey) {
    byKey = new Map();
    refs.set(input.contract, byKey);
  }
  const key = `${input.scopeKey}|${input.plan.id}|${input.limit.id}|${input.period.key}`;
  let ref = byKey.get(key);
  if (ref === undefined) {
    ref = allowanceRefOf(input);
    if (byKey.size >= 512) byKey.clear();
    byKey.set(key, ref);
  }
  return ref;
}

function allowanceRefOf(input: {
  contracts: readonly ContractConfig[];
  contract: ContractConfig;
  plan: PlanConfig;
  limit: LimitConfig;
  scopeKey: string;
  period: Period;
  periodAt: (atMs: number) => Period;
  /** The tenant's plans, for the max of periods under an earlier contract of the chain. */
  plans?: ReadonlyMap<string, PlanConfig>;
}): AllowanceRef | null {
  const { contracts, contract, plan, limit, scopeKey, period, periodAt } = input;
  if (limit.max === null) return null;
  const chain = renewalChain(contracts, contract);
  // Blocks bought on a renewed contract stay usable on its renewal until they expire; a term
  // limit's blocks belong to their own term (a renewal's term is a fresh allowance).
  const owners = limit.per === 'term' ? [contract] : chain;
  const topUps = owners.flatMap((c) => topUpsForLimit(c.topUps, plan.limits, limit.id));
  const rollover = limit.rollover ?? null;
  if (rollover === null && topUps.length === 0) return null;
  const since = chain.at(-1)!.start;
  const earlier: EarlierPeriod[] = [];
  for (let p = period; earlier.length < ALLOWANCE_LOOKBACK_PERIODS && Number.isFinite(p.start);) {
    const previous = periodAt(p.start - 1);
    if (previous.key === p.key || (previous.label.end !== null && previous.label.end < since))
      break;
    // The contract of the chain in force on the period's first day sets its own allowance.
    const then = chain.find((c) => c.start <= previous.label.start) ?? chain.at(-1)!;
    const thenPlan = then === contract ? plan : input.plans?.get(then.plan);
    const thenMax = thenPlan
      ? (thenPlan.limits.find((l) => l.id === limit.id)?.max ?? 0)
      : limit.max;
    earlier.unshift({
      counterKey: `${scopeKey}/${limit.id}/${previous.key}`,
      periodKey: previous.key,
      firstDay: previous.label.start,
      lastDay: previous.label.end,
      ...(thenMax !== limit.max ? { max: thenMax ?? 0 } : {}),
    });
    p = previous;
  }
  return { max: limit.max, rollover, topUps, earlier };
}

/**
 * The period's allowance from the units counted in each earlier period (`unitsOf`, by counter
 * key; a period with nothing counted, or no longer kept, is 0) and the units counted so far.
 */
/** Allowances per ref and earlier units: most events of a period see the same earlier figures. */
const allowances = new WeakMap<AllowanceRef, Map<string, PeriodAllowance>>();

export function periodAllowance(
  ref: AllowanceRef,
  period: Period,
  usedNow: number,
  unitsOf: (counterKey: string) => number,
): PeriodAllowance {
  const earlierUnits = ref.earlier.map((e) => unitsOf(e.counterKey));
  let byUnits = allowances.get(ref);
  if (!byUnits) {
    byUnits = new Map();
    allowances.set(ref, byUnits);
  }
  const key = earlierUnits.join(',');
  let allowance = byUnits.get(key);
  if (!allowance) {
    // The current period's pools do not depend on its own usage: work them out with none.
    allowance = currentAllowance({
      max: ref.max,
      rollover: ref.rollover,
      topUps: ref.topUps,
      periods: [
        ...ref.earlier.map((e, i) => ({
          key: e.periodKey,
          firstDay: e.firstDay,
          lastDay: e.lastDay,
          used: earlierUnits[i]!,
          ...(e.max !== undefined ? { max: e.max } : {}),
        })),
        { key: period.key, firstDay: period.label.start, lastDay: period.label.end, used: 0 },
      ],
    })!;
    if (byUnits.size >= 64) byUnits.clear();
    byUnits.set(key, allowance);
  }
  return allowance.used === usedNow ? allowance : { ...allowance, used: usedNow };
}
