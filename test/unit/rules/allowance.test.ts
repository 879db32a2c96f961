import { describe, expect, it } from 'vitest';
import {
  allowanceByPeriod,
  currentAllowance,
  drawOf,
  poolUsage,
  type PeriodUsage,
  type TopUpBlock,
} from '../../../worker/rules/index.js';

/** Calendar months of 2026 from January, with the units used in each. */
function months(...used: number[]): PeriodUsage[] {
  return used.map((u, i) => {
    const month = String(i + 1).padStart(2, '0');
    const lastDay = new Date(Date.UTC(2026, i + 1, 0)).getUTCDate();
    return {
      key: `month-2026-${month}-01`,
      firstDay: `2026-${month}-01`,
      lastDay: `2026-${month}-${lastDay}`,
      used: u,
    };
  });
}
const JAN = 'month-2026-01-01';
const FEB = 'month-2026-02-01';
const MAR = 'month-2026-03-01';
const APR = 'month-2026-04-01';

const block = (id: string, units: number, purchased: string, expires: string | null = null) =>
  ({ id, units, purchased, expires }) satisfies TopUpBlock;

describe('rollover', () => {
  it('10 a month, cap 5: a month using 3 carries 5 into the next, not 7', () => {
    const [jan, feb] = allowanceByPeriod({
      max: 10,
      rollover: { cap: 5, expiresAfter: 1 },
      topUps: [],
      periods: months(3, 12),
    });
    expect(jan!.rolledIn).toEqual([]); // the first period given starts with nothing rolled in
    expect(jan!.total).toBe(10);
    expect(feb).toMatchObject({
      base: 10,
      rolledIn: [{ from: JAN, units: 5, lastPeriod: FEB, periodsLeft: 1 }],
      total: 15,
      pools: [
        { source: 'rollover', id: JAN, units: 5 },
        { source: 'base', id: 'base', units: 10 },
      ],
    });
    // The 12 used in February take the 5 rolled in first, then 7 of February's own 10.
    expect(poolUsage(feb!.pools, feb!.used)).toMatchObject({
      pools: [
        { id: JAN, used: 5, left: 0 },
        { id: 'base', used: 7, left: 3 },
      ],
      left: 3,
      overage: 0,
    });
  });

  it('carries nothing without a rollover, and nothing from a month used up', () => {
    const none = allowanceByPeriod({ max: 10, rollover: null, topUps: [], periods: months(0, 0) });
    expect(none[1]!.rolledIn).toEqual([]);
    const full = allowanceByPeriod({
      max: 10,
      rollover: { cap: 5, expiresAfter: 1 },
      topUps: [],
      periods: months(14, 0),
    });
    expect(full[1]!.rolledIn).toEqual([]);
    expect(poolUsage(full[0]!.pools, 14).overage).toBe(4);
  });

  it('a bucket usable for 2 periods is used before newer ones, and its rest is lost after', () => {
    const periods = allowanceByPeriod({
      max: 10,
      rollover: { cap: 20, expiresAfter: 2 },
      topUps: [],
      periods: months(4, 0, 3, 0),
      keyAfter: (key, steps) => (key === APR && steps === 1 ? 'month-2026-05-01' : '?'),
    });
    const [, feb, mar, apr] = periods;
    expect(feb!.rolledIn).toEqual([{ from: JAN, units: 6, lastPeriod: MAR, periodsLeft: 2 }]);
    // February's unused 10 join January's 6: 16 carried, within the cap of 20.
    expect(mar!.rolledIn).toEqual([
      { from: JAN, units: 6, lastPeriod: MAR, periodsLeft: 1 },
      { from: FEB, units: 10, lastPeriod: APR, periodsLeft: 2 },
    ]);
    expect(mar!.total).toBe(26);
    // March uses 3 of January's bucket (it expires first); its other 3 are lost at March's end,
    // and March's own 10 are trimmed to what the cap leaves beside February's 10.
    expect(apr!.rolledIn).toEqual([
      { from: FEB, units: 10, lastPeriod: APR, periodsLeft: 1 },
      { from: MAR, units: 10, lastPeriod: 'month-2026-05-01', periodsLeft: 2 },
    ]);
    expect(apr!.total).toBe(30);
  });

  it('names no last period past the periods given unless told how', () => {
    const current = currentAllowance({
      max: 10,
      rollover: { cap: 10, expiresAfter: 3 },
      topUps: [],
      periods: months(0, 0),
    });
    expect(current!.rolledIn).toEqual([{ from: JAN, units: 10, lastPeriod: null, periodsLeft: 3 }]);
  });

  it('keeps decimal units exact', () => {
    const [, second] = allowanceByPeriod({
      max: 1,
      rollover: { cap: 1, expiresAfter: 1 },
      topUps: [],
      periods: months(0.7, 0.1 + 0.2),
    });
    expect(second!.rolledIn[0]!.units).toBe(0.3);
    expect(second!.total).toBe(1.3);
    expect(poolUsage(second!.pools, second!.used).left).toBe(1);
  });

  it('refuses impossible inputs', () => {
    const input = { max: 10, rollover: null, topUps: [], periods: months(-1) };
    expect(() => allowanceByPeriod(input)).toThrow(RangeError);
    expect(() => allowanceByPeriod({ ...input, periods: months(1), max: 0 })).toThrow(RangeError);
  });
});

describe('top-ups', () => {
  it('are used after the base, earliest expiry first, a block with no expiry last', () => {
    const [jan, feb, mar] = allowanceByPeriod({
      max: 10,
      rollover: null,
      topUps: [
        block('forever', 20, '2026-01-01'),
        block('spring', 5, '2026-01-01', '2026-03-31'),
        block('winter', 5, '2026-01-10', '2026-02-28'),
      ],
      periods: months(17, 14, 0),
    });
    expect(jan!.pools.map((p) => p.id)).toEqual(['base', 'winter', 'spring', 'forever']);
    expect(jan!.total).toBe(40);
    expect(poolUsage(jan!.pools, 17).pools.map((p) => p.used)).toEqual([10, 5, 2, 0]);
    // Blocks keep what is left of them from month to month; a used-up block is still listed.
    expect(feb!.topUps).toEqual([
      { id: 'winter', units: 5, available: 0, purchased: '2026-01-10', expires: '2026-02-28' },
      { id: 'spring', units: 5, available: 3, purchased: '2026-01-01', expires: '2026-03-31' },
      { id: 'forever', units: 20, available: 20, purchased: '2026-01-01', expires: null },
    ]);
    expect(feb!.pools.map((p) => [p.id, p.units])).toEqual([
      ['base', 10],
      ['spring', 3],
      ['forever', 20],
    ]);
    // February's 14: its own 10, spring's last 3, then 1 of forever.
    expect(mar!.topUps.map((t) => [t.id, t.available])).toEqual([
      ['spring', 0],
      ['forever', 19],
    ]);
  });

  it('order blocks with the same expiry by purchase, then id', () => {
    const [jan] = allowanceByPeriod({
      max: 1,
      rollover: null,
      topUps: [
        block('b', 1, '2026-01-02', '2026-06-30'),
        block('a', 1, '2026-01-02', '2026-06-30'),
        block('c', 1, '2026-01-01', '2026-06-30'),
      ],
      periods: months(0),
    });
    expect(jan!.topUps.map((t) => t.id)).toEqual(['c', 'a', 'b']);
  });

  it('a block bought mid-period counts for that whole period, not for the one before', () => {
    const [jan, feb] = allowanceByPeriod({
      max: 10,
      rollover: null,
      topUps: [block('extra', 5, '2026-02-15')],
      periods: months(12, 12),
    });
    expect(jan!.topUps).toEqual([]);
    expect(poolUsage(jan!.pools, 12).overage).toBe(2);
    expect(feb!.total).toBe(15);
    expect(poolUsage(feb!.pools, 12)).toMatchObject({ overage: 0, left: 3 });
  });

  it('loses what is left of a block at its expiry', () => {
    const [jan, feb] = allowanceByPeriod({
      max: 10,
      rollover: null,
      topUps: [block('january-only', 10, '2026-01-01', '2026-01-31')],
      periods: months(12, 0),
    });
    expect(poolUsage(jan!.pools, 12).pools.at(-1)).toMatchObject({ used: 2, left: 8 });
    expect(feb!.topUps).toEqual([]);
    expect(feb!.total).toBe(10);
  });

  it('never roll over as rollover: only the unused base does', () => {
    const [, feb] = allowanceByPeriod({
      max: 10,
      rollover: { cap: 50, expiresAfter: 1 },
      topUps: [block('pack', 10, '2026-01-01')],
      periods: months(4, 0),
    });
    expect(feb!.rolledIn).toEqual([{ from: JAN, units: 6, lastPeriod: FEB, periodsLeft: 1 }]);
    expect(feb!.pools).toEqual([
      { source: 'rollover', id: JAN, units: 6 },
      { source: 'base', id: 'base', units: 10 },
      { source: 'top-up', id: 'pack', units: 10 },
    ]);
  });
});

describe('what came from where', () => {
  const pools = [
    { source: 'rollover' as const, id: JAN, units: 2 },
    { source: 'base' as const, id: 'base', units: 10 },
    { source: 'top-up' as const, id: 'pack-1', units: 5 },
  ];

  it('a ticket of weight 2 straddling the end of the base draws 1 from it and 1 from a top-up', () => {
    expect(drawOf(pools, 11, 2)).toEqual({
      draws: [
        { source: 'base', id: 'base', units: 1 },
        { source: 'top-up', id: 'pack-1', units: 1 },
      ],
      overage: 0,
    });
  });

  it('the first ticket draws from the rolled-in units, one past every pool is overage', () => {
    expect(drawOf(pools, 0, 1)).toEqual({
      draws: [{ source: 'rollover', id: JAN, units: 1 }],
      overage: 0,
    });
    expect(drawOf(pools, 16.5, 1.5)).toEqual({
      draws: [{ source: 'top-up', id: 'pack-1', units: 0.5 }],
      overage: 1,
    });
    expect(drawOf(pools, 20, 1)).toEqual({ draws: [], overage: 1 });
  });

  it('sums per pool what the period has used', () => {
    expect(poolUsage(pools, 18.25)).toEqual({
      pools: [
        { ...pools[0], used: 2, left: 0 },
        { ...pools[1], used: 10, left: 0 },
        { ...pools[2], used: 5, left: 0 },
      ],
      total: 17,
      used: 18.25,
      left: 0,
      overage: 1.25,
    });
  });
});
