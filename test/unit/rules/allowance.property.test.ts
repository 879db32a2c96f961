import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowanceByPeriod,
  drawOf,
  poolUsage,
  type AllowanceInput,
  type PeriodUsage,
  type TopUpBlock,
} from '../../../worker/rules/index.js';

const thousandths = (n: number) => Math.round(n * 1000);
/** Units with up to 3 decimals, as a config or a weighted count would give them. */
const units = (min: number, max: number) =>
  fc.integer({ min: min * 1000, max: max * 1000 }).map((t) => t / 1000);

/** Day `n` counted from 2025-12-01, as a local date. */
const day = (n: number) => new Date(Date.UTC(2025, 11, 1 + n)).toISOString().slice(0, 10);

/** `count` calendar months from December 2025. */
const months = (used: number[]): PeriodUsage[] =>
  used.map((u, i) => {
    const first = new Date(Date.UTC(2025, 11 + i, 1));
    const last = new Date(Date.UTC(2025, 12 + i, 0));
    return {
      key: `month-${first.toISOString().slice(0, 10)}`,
      firstDay: first.toISOString().slice(0, 10),
      lastDay: last.toISOString().slice(0, 10),
      used: u,
    };
  });

const blocks: fc.Arbitrary<TopUpBlock[]> = fc
  .array(
    fc.record({
      units: units(0, 15),
      purchased: fc.integer({ min: 0, max: 300 }),
      life: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    }),
    { maxLength: 5 },
  )
  .map((list) =>
    list.map(({ units: u, purchased, life }, i) => ({
      id: `block-${i}`,
      units: u,
      purchased: day(purchased),
      expires: life === null ? null : day(purchased + life),
    })),
  );

const inputs: fc.Arbitrary<AllowanceInput> = fc.record({
  max: fc.integer({ min: 1, max: 20 }),
  rollover: fc.option(
    fc.record({ cap: units(0.001, 30), expiresAfter: fc.integer({ min: 1, max: 4 }) }),
    { nil: null },
  ),
  topUps: blocks,
  periods: fc.array(units(0, 40), { minLength: 1, maxLength: 10 }).map(months),
});
const runs = { numRuns: 300 };

const sum = (values: number[]) => values.reduce((a, b) => a + thousandths(b), 0);

/** Blocks in the order they must be consumed: earliest expiry (none last), purchase, id. */
const expiryRank = (b: { expires: string | null; purchased: string; id: string }) =>
  `${b.expires ?? '9999-99-99'} ${b.purchased} ${b.id}`;

describe('allowance properties', () => {
  it('(a) never rolls more than the cap into a period, and nothing into the first', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const periods = allowanceByPeriod(input);
        expect(periods[0]!.rolledIn).toEqual([]);
        for (const p of periods) {
          const cap = input.rollover ? thousandths(input.rollover.cap) : 0;
          expect(sum(p.rolledIn.map((r) => r.units))).toBeLessThanOrEqual(cap);
          for (const r of p.rolledIn) {
            expect(r.units).toBeGreaterThan(0);
            expect(r.periodsLeft).toBeGreaterThanOrEqual(1);
            expect(r.periodsLeft).toBeLessThanOrEqual(input.rollover!.expiresAfter);
          }
        }
      }),
      runs,
    );
  });

  it('(b) draws top-ups in expiry order, and each block keeps exactly what was not drawn', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const drawn = new Map<string, number>(); // thousandths drawn so far, per block
        for (const p of allowanceByPeriod(input)) {
          const open = input.topUps.filter(
            (b) => b.purchased <= p.lastDay! && (b.expires === null || b.expires >= p.firstDay),
          );
          expect(p.topUps.map((t) => t.id)).toEqual(
            [...open].sort((a, b) => (expiryRank(a) < expiryRank(b) ? -1 : 1)).map((b) => b.id),
          );
          for (const t of p.topUps) {
            expect(thousandths(t.available)).toBe(thousandths(t.units) - (drawn.get(t.id) ?? 0));
          }
          const uses = poolUsage(p.pools, p.used).pools.filter((u) => u.source === 'top-up');
          uses.forEach((use, j) => {
            // A block is drawn only once every earlier-expiring block available now is empty.
            if (use.used > 0) uses.slice(0, j).forEach((earlier) => expect(earlier.left).toBe(0));
            drawn.set(use.id, (drawn.get(use.id) ?? 0) + thousandths(use.used));
          });
        }
      }),
      runs,
    );
  });

  it('(c) conserves units: used = drawn from pools + overage, no pool negative', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        for (const p of allowanceByPeriod(input)) {
          const usage = poolUsage(p.pools, p.used);
          for (const pool of usage.pools) {
            expect(pool.used).toBeGreaterThanOrEqual(0);
            expect(pool.left).toBeGreaterThanOrEqual(0);
            expect(thousandths(pool.used) + thousandths(pool.left)).toBe(thousandths(pool.units));
          }
          expect(sum(usage.pools.map((u) => u.used)) + thousandths(usage.overage)).toBe(
            thousandths(p.used),
          );
          expect(thousandths(usage.overage)).toBe(
            Math.max(0, thousandths(p.used) - thousandths(p.total)),
          );
          // total = base + rolled in + top-ups available at the start.
          expect(thousandths(p.total)).toBe(
            thousandths(p.base) +
              sum(p.rolledIn.map((r) => r.units)) +
              sum(p.topUps.map((t) => t.available)),
          );
          expect(sum(p.pools.map((pool) => pool.units))).toBe(thousandths(p.total));
        }
      }),
      runs,
    );
  });

  it('carries a rolled-in bucket on unchanged but for what was drawn, until its last period', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const periods = allowanceByPeriod(input);
        periods.slice(1).forEach((p, i) => {
          const before = periods[i]!;
          const uses = poolUsage(before.pools, before.used).pools;
          for (const r of before.rolledIn) {
            const left = uses.find((u) => u.source === 'rollover' && u.id === r.from)!.left;
            const next = p.rolledIn.find((n) => n.from === r.from);
            if (r.periodsLeft === 1 || left === 0) expect(next).toBeUndefined();
            else expect(next).toEqual({ ...r, units: left, periodsLeft: r.periodsLeft - 1 });
          }
        });
      }),
      runs,
    );
  });

  it('tickets laid end to end draw from the pools exactly what the period used', () => {
    const weights = fc.array(units(0, 4), { maxLength: 12 });
    fc.assert(
      fc.property(inputs, weights, (input, tickets) => {
        const used = tickets.reduce((a, w) => a + thousandths(w), 0) / 1000;
        const [p] = allowanceByPeriod({ ...input, periods: months([used]) });
        const perPool = new Map<string, number>();
        let overage = 0;
        let position = 0;
        for (const weight of tickets) {
          const d = drawOf(p!.pools, position / 1000, weight);
          expect(sum(d.draws.map((x) => x.units)) + thousandths(d.overage)).toBe(
            thousandths(weight),
          );
          d.draws.forEach((x) =>
            perPool.set(x.id, (perPool.get(x.id) ?? 0) + thousandths(x.units)),
          );
          overage += thousandths(d.overage);
          position += thousandths(weight);
        }
        const usage = poolUsage(p!.pools, used);
        for (const pool of usage.pools)
          expect(perPool.get(pool.id) ?? 0).toBe(thousandths(pool.used));
        expect(overage).toBe(thousandths(usage.overage));
      }),
      runs,
    );
  });
});
