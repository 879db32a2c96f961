import { describe, expect, it } from 'vitest';
import {
  createPeriodFinder,
  periodOf,
  type Period,
  type PeriodRule,
} from '../../../worker/rules/quota/period-of.js';

const rule = (overrides: Partial<PeriodRule>): PeriodRule => ({
  unit: 'month',
  reset: 'calendar',
  timeZone: 'Asia/Tokyo',
  weekStartsOn: 1,
  contractStart: '2026-01-31',
  contractEnd: null,
  ...overrides,
});
const at = (r: Partial<PeriodRule>, iso: string) => periodOf(rule(r), Date.parse(iso));
const label = (r: Partial<PeriodRule>, iso: string) => at(r, iso).label;
const hours = (p: Period) => (p.end - p.start) / 3_600_000;

/** `count` consecutive periods, the first one holding `iso`, as 'start..end' labels. */
function walk(r: Partial<PeriodRule>, iso: string, count: number): string[] {
  const labels: string[] = [];
  let p = at(r, iso);
  for (let i = 0; i < count; i++, p = periodOf(rule(r), p.end)) {
    labels.push(`${p.label.start}..${p.label.end}`);
  }
  return labels;
}

describe('calendar quota periods', () => {
  it('counts a ticket at 23:30 on Nov 30 in Tokyo in November', () => {
    const p = at({}, '2026-11-30T23:30:00+09:00');
    expect(p.key).toBe('month-2026-11-01');
    expect(p.label).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    expect(p.iso).toEqual({ start: '2026-10-31T15:00:00.000Z', end: '2026-11-30T15:00:00.000Z' });
  });

  it('turns the year at New Year in the tenant zone, not in UTC', () => {
    // 02:00 UTC on Jan 1 is still Dec 31 in New York...
    expect(at({ unit: 'year', timeZone: 'America/New_York' }, '2027-01-01T02:00:00Z').key).toBe(
      'year-2026-01-01',
    );
    // ...and 16:00 UTC on Dec 31 is already Jan 1 in Tokyo.
    expect(label({ unit: 'year' }, '2026-12-31T16:00:00Z')).toEqual({
      start: '2027-01-01',
      end: '2027-12-31',
    });
  });

  it('makes the Berlin week of the DST end 169 hours long, from local midnight Monday', () => {
    const p = at({ unit: 'week', timeZone: 'Europe/Berlin' }, '2026-10-25T12:00:00Z');
    expect(p.key).toBe('week-2026-10-19');
    expect(p.label).toEqual({ start: '2026-10-19', end: '2026-10-25' });
    expect(p.iso.start).toBe('2026-10-18T22:00:00.000Z'); // 00:00 CEST
    expect(p.iso.end).toBe('2026-10-25T23:00:00.000Z'); // 00:00 CET
    expect(hours(p)).toBe(169);
  });

  it('makes the Berlin week of the DST start 167 hours long', () => {
    const p = at({ unit: 'week', timeZone: 'Europe/Berlin' }, '2026-03-29T12:00:00Z');
    expect(p.label).toEqual({ start: '2026-03-23', end: '2026-03-29' });
    expect(hours(p)).toBe(167);
  });

  it('starts weeks on Sunday in New York, across the DST start on 2026-03-08', () => {
    const r = { unit: 'week' as const, weekStartsOn: 7 as const, timeZone: 'America/New_York' };
    const p = at(r, '2026-03-10T12:00:00Z');
    expect(p.key).toBe('week-2026-03-08');
    expect(p.label).toEqual({ start: '2026-03-08', end: '2026-03-14' });
    expect(p.iso.start).toBe('2026-03-08T05:00:00.000Z'); // midnight EST
    expect(hours(p)).toBe(167);
    // Saturday night 23:59 local still belongs to the week before.
    expect(at(r, '2026-03-07T23:59:00-05:00').key).toBe('week-2026-03-01');
  });

  it('makes the Lord Howe week of its half-hour DST start 167.5 hours long', () => {
    const p = at({ unit: 'week', timeZone: 'Australia/Lord_Howe' }, '2026-10-04T12:00:00+11:00');
    expect(p.label).toEqual({ start: '2026-09-28', end: '2026-10-04' });
    expect(hours(p)).toBe(167.5);
  });

  it('runs calendar quarters Jan, Apr, Jul, Oct whatever the contract start', () => {
    expect(walk({ unit: 'quarter' }, '2026-05-15T00:00:00+09:00', 4)).toEqual([
      '2026-04-01..2026-06-30',
      '2026-07-01..2026-09-30',
      '2026-10-01..2026-12-31',
      '2027-01-01..2027-03-31',
    ]);
  });
});

describe('anniversary quota periods', () => {
  const a = { reset: 'anniversary' as const };

  it('renews a contract starting Jan 31 on the last day of short months, then the 31st again', () => {
    expect(walk(a, '2026-01-31T00:00:00+09:00', 5)).toEqual([
      '2026-01-31..2026-02-27',
      '2026-02-28..2026-03-30',
      '2026-03-31..2026-04-29',
      '2026-04-30..2026-05-30',
      '2026-05-31..2026-06-29',
    ]);
    expect(at(a, '2026-03-31T00:00:00+09:00').key).toBe('amonth-2026-03-31');
    expect(at(a, '2026-03-30T23:59:59+09:00').key).toBe('amonth-2026-02-28');
  });

  it('renews a leap-day contract yearly on Feb 28, and on Feb 29 in leap years', () => {
    const r = { ...a, unit: 'year' as const, contractStart: '2028-02-29' };
    expect(walk(r, '2028-02-29T00:00:00+09:00', 5)).toEqual([
      '2028-02-29..2029-02-27',
      '2029-02-28..2030-02-27',
      '2030-02-28..2031-02-27',
      '2031-02-28..2032-02-28',
      '2032-02-29..2033-02-27',
    ]);
    expect(at(r, '2032-03-01T00:00:00+09:00').key).toBe('ayear-2032-02-29');
  });

  it('renews quarterly from the contract start, clamping to short months', () => {
    const r = { ...a, unit: 'quarter' as const, contractStart: '2026-11-30' };
    expect(walk(r, '2026-12-01T00:00:00+09:00', 4)).toEqual([
      '2026-11-30..2027-02-27',
      '2027-02-28..2027-05-29',
      '2027-05-30..2027-08-29',
      '2027-08-30..2027-11-29',
    ]);
  });

  it('counts anniversary weeks from the weekday the contract started on', () => {
    // 2026-11-04 is a Wednesday.
    const r = { ...a, unit: 'week' as const, contractStart: '2026-11-04' };
    expect(at(r, '2026-11-24T10:00:00+09:00')).toMatchObject({
      key: 'aweek-2026-11-18',
      label: { start: '2026-11-18', end: '2026-11-24' },
    });
  });

  it('still gives a period before the contract start, counting back from it', () => {
    expect(label(a, '2025-12-15T12:00:00+09:00')).toEqual({
      start: '2025-11-30',
      end: '2025-12-30',
    });
    expect(
      at({ ...a, unit: 'week', contractStart: '2026-11-04' }, '2026-11-03T12:00:00Z').key,
    ).toBe('aweek-2026-10-28');
  });
});

describe('quota periods where midnight itself moves', () => {
  it('starts a day whose midnight is skipped (Santiago, 2026-09-06) when the clocks jump', () => {
    const r = { reset: 'anniversary' as const, timeZone: 'America/Santiago' };
    const p = at({ ...r, contractStart: '2026-09-06' }, '2026-09-20T12:00:00Z');
    expect(p.label).toEqual({ start: '2026-09-06', end: '2026-10-05' });
    expect(p.iso.start).toBe('2026-09-06T04:00:00.000Z'); // 00:00 -04 = 01:00 -03
    expect(p.iso.end).toBe('2026-10-06T03:00:00.000Z'); // an ordinary midnight, -03
  });

  it('starts a day whose midnight happens twice (Havana, 2025-11-02) at the first one', () => {
    const r = { unit: 'week' as const, weekStartsOn: 7 as const, timeZone: 'America/Havana' };
    const first = at(r, '2025-11-02T04:30:00Z'); // 00:30 CDT
    const second = at(r, '2025-11-02T05:30:00Z'); // 00:30 CST, an hour later
    expect(first).toEqual(second);
    expect(first.iso.start).toBe('2025-11-02T04:00:00.000Z');
    expect(at(r, '2025-11-02T03:59:59Z').key).toBe('week-2025-10-26');
  });
});

describe('term quota periods', () => {
  it('covers the whole contract, to the end of its last day', () => {
    const p = at({ unit: 'term', contractEnd: '2026-12-31' }, '2026-06-01T00:00:00Z');
    expect(p).toMatchObject({
      key: 'term-2026-01-31',
      label: { start: '2026-01-31', end: '2026-12-31' },
      start: Date.parse('2026-01-31T00:00:00+09:00'),
      end: Date.parse('2027-01-01T00:00:00+09:00'),
      iso: { end: '2026-12-31T15:00:00.000Z' },
    });
  });

  it('is open-ended without an end date, whatever the reset anchor', () => {
    for (const reset of ['calendar', 'anniversary'] as const) {
      expect(at({ unit: 'term', reset }, '2030-01-01T00:00:00Z')).toMatchObject({
        key: 'term-2026-01-31',
        end: Infinity,
        label: { end: null },
        iso: { end: null },
      });
    }
  });
});

describe('period finder and input checks', () => {
  it('gives the same periods as periodOf, reusing the last one', () => {
    const find = createPeriodFinder(rule({ unit: 'week' }));
    const a = find(Date.parse('2026-11-16T10:00:00Z'));
    expect(find(Date.parse('2026-11-17T10:00:00Z'))).toBe(a);
    expect(a).toEqual(periodOf(rule({ unit: 'week' }), Date.parse('2026-11-16T10:00:00Z')));
    expect(find(a.end).start).toBe(a.end);
  });

  it('rejects malformed dates, unknown zones and non-instants', () => {
    expect(() => at({ reset: 'anniversary', contractStart: '2026-02-30' }, '2026-03-01')).toThrow(
      RangeError,
    );
    expect(() => at({ timeZone: 'Mars/Olympus' }, '2026-03-01')).toThrow(RangeError);
    expect(() => periodOf(rule({}), NaN)).toThrow(RangeError);
  });
});
