import { fromThousandths, toThousandths } from './units.js';

/** Where a period's units come from. */
export type PoolSource = 'rollover' | 'base' | 'top-up';

/**
 * One pool of a period's allowance, in the order usage consumes them: `id` is the period a
 * rolled-in bucket was left in (its key), 'base' for the period's own allowance, or a block's id.
 */
export interface Pool {
  source: PoolSource;
  id: string;
  units: number;
}

/** A pool with what a period's usage took from it. */
export interface PoolUse extends Pool {
  used: number;
  left: number;
}

export interface PoolsUsage {
  pools: PoolUse[];
  /** All pools together. */
  total: number;
  used: number;
  /** Units left in all pools. */
  left: number;
  /** Units used beyond every pool: max(0, used − total). */
  overage: number;
}

export interface Drawn {
  /** The pools the span drew from, in order, with the units drawn from each (none drawn: left out). */
  draws: Pool[];
  /** Units of the span beyond every pool. */
  overage: number;
}

/**
 * Which pools the span of units [position, position + weight) of a period's usage drew from: a
 * ticket's place in the period (`position` = the units counted before it). This is how a usage
 * history explains, per ticket, what came from where.
 */
export function drawOf(pools: readonly Pool[], position: number, weight: number): Drawn {
  const start = toThousandths(position, 'position');
  const end = start + toThousandths(weight, 'weight');
  const draws: Pool[] = [];
  let at = 0;
  for (const pool of pools) {
    const units = toThousandths(pool.units);
    const drawn = Math.min(end, at + units) - Math.max(start, at);
    if (drawn > 0) draws.push({ source: pool.source, id: pool.id, units: fromThousandths(drawn) });
    at += units;
  }
  return { draws, overage: fromThousandths(Math.max(0, end - Math.max(start, at))) };
}

/** How much of each pool `used` units take, what is left, and the overage. */
export function poolUsage(pools: readonly Pool[], used: number): PoolsUsage {
  let rest = toThousandths(used, 'used');
  let total = 0;
  const uses = pools.map((pool) => {
    const units = toThousandths(pool.units);
    const take = Math.min(rest, units);
    rest -= take;
    total += units;
    return { ...pool, used: fromThousandths(take), left: fromThousandths(units - take) };
  });
  const usedT = toThousandths(used);
  return {
    pools: uses,
    total: fromThousandths(total),
    used: fromThousandths(usedT),
    left: fromThousandths(Math.max(0, total - usedT)),
    overage: fromThousandths(rest),
  };
}
