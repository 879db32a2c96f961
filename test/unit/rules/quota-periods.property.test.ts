import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  createPeriodFinder,
  periodOf,
  type PeriodRule,
} from '../../../worker/rules/quota/period-of.js';

// Santiago skips midnight when DST starts and Havana repeats it when DST ends; Lord Howe moves
// by half an hour.
const zones = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Havana',
];

const dates = fc
  .record({
    y: fc.integer({ min: 2020, max: 2030 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(28, 29, 30, 31)),
  })
  .map(({ y, m, d }) => DateTime.utc(y, m, Math.min(d, DateTime.utc(y, m).daysInMonth!)));

const rules = fc.record({
  unit: fc.constantFrom('week', 'month', 'quarter', 'year') as fc.Arbitrary<PeriodRule['unit']>,
  reset: fc.constantFrom('calendar', 'anniversary') as fc.Arbitrary<PeriodRule['reset']>,
  timeZone: fc.constantFrom(...zones),
  weekStartsOn: fc.integer({ min: 1, max: 7 }) as fc.Arbitrary<PeriodRule['weekStartsOn']>,
  contractStart: dates.map((d) => d.toISODate()!),
  contractEnd: fc.constant(null),
});
const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 11, 31) });
const runs = { numRuns: 300 };

/** Every UTC offset change in `zone` from 2020 to 2032, found by daily steps then bisection. */
function offsetChanges(zone: string): number[] {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const changes: number[] = [];
  for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2033, 0, 1); t += 86_400_000) {
    let [lo, hi] = [t, t + 86_400_000];
    if (offset(lo) === offset(hi)) continue;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
  }
  return changes;
}

const localDate = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISODate();
const MONTHS = { month: 1, quarter: 3, year: 12 } as const;

describe('quota period properties', () => {
  it('contains the instant, and is the same period from its first to its last instant', () => {
    fc.assert(
      fc.property(rules, instants, (r, t) => {
        const p = periodOf(r, t);
        expect(p.start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(p.end);
        expect(periodOf(r, p.start)).toEqual(p);
        expect(periodOf(r, p.end - 1)).toEqual(p);
      }),
      runs,
    );
  });

  it('tiles time: the next period starts where this one ends, the previous ends where it starts', () => {
    fc.assert(
      fc.property(rules, instants, (r, t) => {
        const p = periodOf(r, t);
        expect(periodOf(r, p.end).start).toBe(p.end);
        expect(periodOf(r, p.start - 1).end).toBe(p.start);
      }),
      runs,
    );
  });

  it('gives distinct keys to consecutive periods, each its unit and local start date', () => {
    fc.assert(
      fc.property(rules, instants, (r, t) => {
        const keys = new Set<string>();
        let p = periodOf(r, t);
        for (let i = 0; i < 6; i++, p = periodOf(r, p.end)) {
          const prefix = r.reset === 'anniversary' ? `a${r.unit}` : r.unit;
          expect(p.key).toBe(`${prefix}-${p.label.start}`);
          expect(p.key).not.toContain(':');
          keys.add(p.key);
        }
        expect(keys.size).toBe(6);
      }),
      runs,
    );
  });

  it('gives the same period, key included, for every instant in it and on every call', () => {
    fc.assert(
      fc.property(rules, instants, fc.double({ min: 0, max: 1, noNaN: true }), (r, t, f) => {
        const p = periodOf(r, t);
        const inside = Math.floor(p.start + f * (p.end - p.start - 1));
        expect(periodOf({ ...r }, inside)).toEqual(p);
      }),
      runs,
    );
  });

  it('labels local dates: the start day, and the day before the end (inclusive)', () => {
    fc.assert(
      fc.property(rules, instants, (r, t) => {
        const p = periodOf(r, t);
        expect(p.label.start).toBe(localDate(p.start, r.timeZone));
        expect(p.label.end).toBe(localDate(p.end - 1, r.timeZone));
        expect(localDate(p.start - 1, r.timeZone)).not.toBe(p.label.start);
        expect(p.iso).toEqual({
          start: new Date(p.start).toISOString(),
          end: new Date(p.end).toISOString(),
        });
      }),
      runs,
    );
  });

  it('starts calendar periods on the calendar boundary of the local date', () => {
    fc.assert(
      fc.property(rules, instants, (r, t) => {
        const rule = { ...r, reset: 'calendar' as const };
        const local = DateTime.fromMillis(t, { zone: r.timeZone });
        const expected =
          rule.unit === 'week'
            ? local.minus({ days: (local.weekday - rule.weekStartsOn + 7) % 7 })
            : local.startOf(rule.unit as 'month' | 'quarter' | 'year');
        expect(periodOf(rule, t).label.start).toBe(expected.toISODate());
      }),
      runs,
    );
  });

  it('steps anniversary periods from the original start date, never from the previous period', () => {
    fc.assert(
      fc.property(rules, instants, (r, t) => {
        const rule = { ...r, reset: 'anniversary' as const };
        const start = DateTime.fromISO(rule.contractStart, { zone: 'utc' });
        const from = DateTime.fromISO(periodOf(rule, t).label.start, { zone: 'utc' });
        if (rule.unit === 'week') {
          expect(Math.abs(from.diff(start, 'days').days % 7)).toBe(0);
        } else {
          const step = MONTHS[rule.unit as keyof typeof MONTHS];
          const k = Math.round(from.diff(start, 'months').months / step);
          expect(start.plus({ months: k * step }).toISODate()).toBe(from.toISODate());
        }
      }),
      runs,
    );
  });

  it('contains and tiles around DST changes, with periods starting on the day of the change', () => {
    const changes = zones.flatMap((zone) => offsetChanges(zone).map((at) => ({ zone, at })));
    const cases = fc
      .record({
        change: fc.constantFrom(...changes),
        shift: fc.integer({ min: -8 * 86_400_000, max: 8 * 86_400_000 }),
        startShift: fc.integer({ min: -1, max: 1 }),
        rule: rules,
      })
      .map(({ change, shift, startShift, rule }) => {
        // Half the contracts start within a day of the change, so anniversaries meet it head on.
        const day = DateTime.fromMillis(change.at, { zone: change.zone }).plus({
          days: startShift,
        });
        const contractStart = shift % 2 === 0 ? day.toISODate()! : rule.contractStart;
        return { r: { ...rule, timeZone: change.zone, contractStart }, t: change.at + shift };
      });
    fc.assert(
      fc.property(cases, ({ r, t }) => {
        const p = periodOf(r, t);
        expect(p.start <= t && t < p.end).toBe(true);
        expect(periodOf(r, p.end).start).toBe(p.end);
        expect(periodOf(r, p.start - 1).end).toBe(p.start);
        expect(p.label.start).toBe(localDate(p.start, r.timeZone));
        expect(localDate(p.start - 1, r.timeZone)).not.toBe(p.label.start);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the same periods through a finder as through periodOf', () => {
    fc.assert(
      fc.property(rules, fc.array(instants, { minLength: 1, maxLength: 20 }), (r, ts) => {
        const find = createPeriodFinder(r);
        for (const t of ts.sort((a, b) => a - b)) expect(find(t)).toEqual(periodOf(r, t));
      }),
      { numRuns: 100 },
    );
  });
});
