import type { Pool, PoolSource } from './allowance-pools.js';
import { fromThousandths, toThousandths } from './units.js';

/**
 * A limit's allowance period by period: its own `max`, units rolled over from earlier periods,
 * and purchased top-up blocks. Pure.
 *
 * Rules:
 * - Usage in a period consumes, in order: the rolled-in buckets, earliest expiry first (they
 *   expire soonest); then the period's own allowance (`base` = max); then the top-up blocks
 *   available in the period, earliest expiry first (a block with no expiry last; ties: earlier
 *   purchase, then id). Usage beyond all of them is overage, and the overage action applies.
 * - At a period's end, rolled-in buckets still within their life carry on unchanged; the unused
 *   part of the period's own base becomes a new bucket from that period, usable in the next
 *   `expiresAfter` periods, trimmed so that the total carried into the next period never exceeds
 *   the cap. A bucket's units left after its last period are lost.
 * - Top-up units never roll over as rollover: a block's remaining units stay on the block until
 *   it expires. A block is available in a period when purchased ≤ the period's last day and (no
 *   expiry, or expiry ≥ the period's first day), so a block bought mid-period counts for the whole
 *   period. Units of a block left at its expiry are lost.
 * - The first period given starts with nothing rolled in: walk from the contract's start (or as
 *   far back as the usage ledger is kept).
 * - Units are summed in integer thousandths: values with up to 3 decimals add up exactly.
 */

/** A limit's rollover, its cap in units (rolloverConfig in config/allowance-schema.ts). */
export interface RolloverRule {
  /** The most units carried into one period. */
  cap: number;
  /** Units left in period k may be used in periods k+1 … k+expiresAfter (≥ 1). */
  expiresAfter: number;
}

/** A purchased block of units for this limit (topUpsForLimit in config/allowance-schema.ts). */
export interface TopUpBlock {
  id: string;
  units: number;
  /** Local date 'YYYY-MM-DD'. */
  purchased: string;
  /** Last local day it may be used (inclusive), or null: never expires. */
  expires: string | null;
}

/** One period of the limit and the units counted in it. */
export interface PeriodUsage {
  key: string;
  /** Local dates 'YYYY-MM-DD', lastDay inclusive (null: open-ended). */
  firstDay: string;
  lastDay: string | null;
  /** Units counted in the period (for the current period: so far). */
  used: number;
  /**
   * The period's own allowance when it differs from `max`: a period under an earlier contract of
   * a renewal chain whose plan had another max (0 when that plan lacked the limit).
   */
  max?: number;
}

export interface AllowanceInput {
  /** The limit's max: units per period. */
  max: number;
  rollover: RolloverRule | null;
  /** The contract's blocks for this limit. */
  topUps: readonly TopUpBlock[];
  /**
   * Consecutive periods, oldest first, ending with the current one; include the periods where
   * nothing was used: a bucket's life is counted in places in this list.
   */
  periods: readonly PeriodUsage[];
  /**
   * The key of the period `steps` after the one keyed `key`. Only used to name the last period of
   * a rolled-in bucket that lies after the periods given; without it that name is null.
   */
  keyAfter?: (key: string, steps: number) => string;
}

/** Units rolled into a period from an earlier one. */
export interface RolledIn {
  /** The period the units were left in. */
  from: string;
  /** Units of the bucket left at the start of this period. */
  units: number;
  /** The last period it may be used in (null: after the periods given and no keyAfter). */
  lastPeriod: string | null;
  /** Periods it may still be used in, this one included (1: it expires at this period's end). */
  periodsLeft: number;
}

/** A top-up block available in a period. */
export interface TopUpInPeriod {
  id: string;
  /** Units bought. */
  units: number;
  /** Units left at the start of this period. */
  available: number;
  purchased: string;
  expires: string | null;
}

export interface PeriodAllowance {
  key: string;
  firstDay: string;
  lastDay: string | null;
  used: number;
  /** The period's own allowance: the limit's max. */
  base: number;
  /** Oldest first, which is the order they are consumed in. */
  rolledIn: RolledIn[];
  /** Blocks available in the period, in the order they are consumed (some may have 0 left). */
  topUps: TopUpInPeriod[];
  /** base + rolled in + top-ups available at the start of the period. */
  total: number;
  /** Pools with units, in the order the period's usage consumes them (see poolUsage, drawOf). */
  pools: Pool[];
}

/** Consumption order of blocks: earliest expiry first, no expiry last; then purchase, then id. */
function blockOrder(a: TopUpBlock, b: TopUpBlock): number {
  if (a.expires !== b.expires) {
    if (a.expires === null) return 1;
    if (b.expires === null) return -1;
    return a.expires < b.expires ? -1 : 1;
  }
  if (a.purchased !== b.purchased) return a.purchased < b.purchased ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const availableIn = (block: TopUpBlock, period: PeriodUsage): boolean =>
  (period.lastDay === null || block.purchased <= period.lastDay) &&
  (block.expires === null || block.expires >= period.firstDay);

/** A quantity of thousandths that usage takes from. */
interface Stock {
  left: number;
}

/** The allowance of every period given, oldest first (the last is the current period). */
export function allowanceByPeriod(input: AllowanceInput): PeriodAllowance[] {
  const { periods, rollover } = input;
  if (!(input.max > 0)) throw new RangeError(`max must be a positive number, got ${input.max}`);
  const base = toThousandths(input.max, 'max');
  const cap = rollover ? toThousandths(rollover.cap, 'rollover cap') : 0;
  const life = rollover ? rollover.expiresAfter : 0;
  if (rollover && !(Number.isInteger(life) && life >= 1)) {
    throw new RangeError(`rollover expiresAfter must be an integer ≥ 1, got ${life}`);
  }
  const blocks = [...input.topUps]
    .sort(blockOrder)
    .map((block) => ({ block, left: toThousandths(block.units, `top-up '${block.id}' units`) }));

  const last = periods.length - 1;
  const keyOf = (index: number): string | null => {
    if (index <= last) return periods[index]!.key;
    return input.keyAfter ? input.keyAfter(periods[last]!.key, index - last) : null;
  };

  // Buckets of unused base, oldest first; a bucket left in period `from` is usable up to
  // period from + life.
  let buckets: (Stock & { from: number })[] = [];
  return periods.map((period, k) => {
    const used = toThousandths(period.used, `used in period '${period.key}'`);
    const periodBase = period.max === undefined ? base : toThousandths(period.max, 'max');
    const own: Stock = { left: periodBase };
    const open = blocks.filter((b) => availableIn(b.block, period));
    const stocks: { source: PoolSource; id: string; stock: Stock }[] = [
      ...buckets.map((b) => ({ source: 'rollover' as const, id: periods[b.from]!.key, stock: b })),
      { source: 'base', id: 'base', stock: own },
      ...open.map((b) => ({ source: 'top-up' as const, id: b.block.id, stock: b })),
    ];
    const pools = stocks
      .filter((s) => s.stock.left > 0)
      .map((s) => ({ source: s.source, id: s.id, units: fromThousandths(s.stock.left) }));
    const allowance: PeriodAllowance = {
      key: period.key,
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      used: fromThousandths(used),
      base: fromThousandths(periodBase),
      rolledIn: buckets.map((b) => ({
        from: periods[b.from]!.key,
        units: fromThousandths(b.left),
        lastPeriod: keyOf(b.from + life),
        periodsLeft: b.from + life - k + 1,
      })),
      topUps: open.map(({ block, left }) => ({
        id: block.id,
        units: block.units,
        available: fromThousandths(left),
        purchased: block.purchased,
        expires: block.expires,
      })),
      total: fromThousandths(stocks.reduce((sum, s) => sum + s.stock.left, 0)),
      pools,
    };

    // Consume, in pool order.
    let rest = used;
    for (const { stock } of stocks) {
      const take = Math.min(rest, stock.left);
      stock.left -= take;
      rest -= take;
    }

    // Carry into the next period: buckets still alive then, plus the unused base up to the cap.
    if (rollover) {
      const alive = buckets.filter((b) => b.left > 0 && b.from + life > k);
      const carried = alive.reduce((sum, b) => sum + b.left, 0);
      const fresh = Math.min(own.left, Math.max(0, cap - carried));
      buckets = fresh > 0 ? [...alive, { from: k, left: fresh }] : alive;
    }
    return allowance;
  });
}

/** The current period's allowance (the last one given), or null when no period is given. */
export function currentAllowance(input: AllowanceInput): PeriodAllowance | null {
  return allowanceByPeriod(input).at(-1) ?? null;
}

export {
  drawOf,
  poolUsage,
  type Drawn,
  type Pool,
  type PoolSource,
  type PoolUse,
  type PoolsUsage,
} from './allowance-pools.js';
