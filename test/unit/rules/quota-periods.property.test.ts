import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodOf, type PeriodRule } from '../../../worker/rules/quota/period-of.js';

const rules = fc.record({
  unit: fc.constantFrom('week', 'month', 'quarter', 'year') as fc.Arbitrary<PeriodRule['unit']>,
  reset: fc.constantFrom('calendar', 'anniversary') as fc.Arbitrary<PeriodRule['reset']>,
  timeZone: fc.constantFrom(
    'America/New_York',
    'Europe/Berlin',
    'Asia/Tokyo',
    'Australia/Lord_Howe',
  ),
  weekStartsOn: fc.integer({ min: 1, max: 7 }) as fc.Arbitrary<PeriodRule['weekStartsOn']>,
  contractStart: fc
    .record({
      y: fc.integer({ min: 2020, max: 2030 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.constantFrom(1, 15, 28, 29, 30, 31),
    })
    .map(({ y, m, d }) => {
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
    }),
  contractEnd: fc.constant(null),
});
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 11, 31) });
const runs = { numRuns: 300 };

describe('quota period properties', () => {
  it('contains the instant', () => {
    fc.assert(
      fc.property(rules, instant, (r, t) => {
        const p = periodOf(r, t);
        return p.start <= t && t < p.end;
      }),
      runs,
    );
  });

  it('tiles time with no gap or overlap', () => {
    fc.assert(
      fc.property(rules, instant, (r, t) => {
        const p = periodOf(r, t);
        const next = periodOf(r, p.end);
        const previous = periodOf(r, p.start - 1);
        expect(next.start).toBe(p.end);
        expect(previous.end).toBe(p.start);
        expect(new Set([previous.key, p.key, next.key]).size).toBe(3);
      }),
      runs,
    );
  });

  it('gives the same key for every instant of a period', () => {
    fc.assert(
      fc.property(rules, instant, fc.double({ min: 0, max: 1, noNaN: true }), (r, t, f) => {
        const p = periodOf(r, t);
        const inside = Math.floor(p.start + f * (p.end - p.start - 1));
        expect(periodOf(r, inside).key).toBe(p.key);
      }),
      runs,
    );
  });
});
