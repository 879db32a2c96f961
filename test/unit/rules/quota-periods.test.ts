import { describe, expect, it } from 'vitest';
import { periodOf, type PeriodRule } from '../../../worker/rules/quota/period-of.js';

const rule = (overrides: Partial<PeriodRule>): PeriodRule => ({
  unit: 'month',
  reset: 'calendar',
  timeZone: 'Asia/Tokyo',
  weekStartsOn: 1,
  contractStart: '2026-01-31',
  contractEnd: null,
  ...overrides,
});
const label = (r: Partial<PeriodRule>, iso: string) => periodOf(rule(r), Date.parse(iso)).label;

describe('quota periods', () => {
  it('counts a ticket late on the last day of the month in that month, in the tenant zone', () => {
    const p = periodOf(rule({}), Date.parse('2026-11-30T23:30:00+09:00'));
    expect(p.key).toBe('month-2026-11-01');
    expect(p.label).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    expect(new Date(p.start).toISOString()).toBe('2026-10-31T15:00:00.000Z');
  });

  it('puts New Year at local midnight, not UTC midnight', () => {
    expect(label({ unit: 'year', timeZone: 'America/New_York' }, '2027-01-01T02:00:00Z')).toEqual({
      start: '2026-01-01',
      end: '2026-12-31',
    });
    expect(label({ unit: 'year' }, '2026-12-31T16:00:00Z')).toEqual({
      start: '2027-01-01',
      end: '2027-12-31',
    });
  });

  it('makes the Berlin week of the DST end 169 hours long, from local midnight Monday', () => {
    const p = periodOf(
      rule({ unit: 'week', timeZone: 'Europe/Berlin' }),
      Date.parse('2026-10-25T12:00:00Z'),
    );
    expect(p.label).toEqual({ start: '2026-10-19', end: '2026-10-25' });
    expect((p.end - p.start) / 3_600_000).toBe(169);
    expect(new Date(p.start).toISOString()).toBe('2026-10-18T22:00:00.000Z');
  });

  it('makes the Berlin week of the DST start 167 hours long', () => {
    const p = periodOf(
      rule({ unit: 'week', timeZone: 'Europe/Berlin' }),
      Date.parse('2026-03-29T12:00:00Z'),
    );
    expect(p.label).toEqual({ start: '2026-03-23', end: '2026-03-29' });
    expect((p.end - p.start) / 3_600_000).toBe(167);
  });

  it('makes the New York week of the DST start 167 hours long, with weeks starting Sunday', () => {
    const p = periodOf(
      rule({ unit: 'week', weekStartsOn: 7, timeZone: 'America/New_York' }),
      Date.parse('2026-03-10T12:00:00Z'),
    );
    expect(p.label).toEqual({ start: '2026-03-08', end: '2026-03-14' });
    expect((p.end - p.start) / 3_600_000).toBe(167);
  });

  it('renews a contract starting Jan 31 on the last day of shorter months, then the 31st again', () => {
    const a = { reset: 'anniversary' as const };
    expect(label(a, '2026-02-10T10:00:00+09:00')).toEqual({
      start: '2026-01-31',
      end: '2026-02-27',
    });
    expect(label(a, '2026-03-30T10:00:00+09:00')).toEqual({
      start: '2026-02-28',
      end: '2026-03-30',
    });
    expect(label(a, '2026-03-31T00:00:00+09:00')).toEqual({
      start: '2026-03-31',
      end: '2026-04-29',
    });
    expect(periodOf(rule(a), Date.parse('2026-03-31T00:00:00+09:00')).key).toBe(
      'amonth-2026-03-31',
    );
  });

  it('renews a leap-day contract on Feb 28, and on Feb 29 in leap years', () => {
    const r = { unit: 'year' as const, reset: 'anniversary' as const, contractStart: '2028-02-29' };
    expect(label(r, '2029-03-01T00:00:00+09:00')).toEqual({
      start: '2029-02-28',
      end: '2030-02-27',
    });
    expect(label(r, '2032-03-01T00:00:00+09:00').start).toBe('2032-02-29');
  });

  it('runs quarters by calendar and by anniversary', () => {
    expect(label({ unit: 'quarter' }, '2026-05-15T00:00:00+09:00')).toEqual({
      start: '2026-04-01',
      end: '2026-06-30',
    });
    expect(
      label(
        { unit: 'quarter', reset: 'anniversary', contractStart: '2026-02-15' },
        '2026-05-15T00:00:00+09:00',
      ),
    ).toEqual({
      start: '2026-05-15',
      end: '2026-08-14',
    });
  });

  it('counts anniversary weeks from the start day', () => {
    expect(
      label(
        { unit: 'week', reset: 'anniversary', contractStart: '2026-11-04' },
        '2026-11-24T10:00:00+09:00',
      ),
    ).toEqual({
      start: '2026-11-18',
      end: '2026-11-24',
    });
  });

  it('covers the whole contract for a term, with or without an end', () => {
    expect(periodOf(rule({ unit: 'term', contractEnd: '2026-12-31' }), 0)).toMatchObject({
      key: 'term-2026-01-31',
      label: { start: '2026-01-31', end: '2026-12-31' },
      end: Date.parse('2027-01-01T00:00:00+09:00'),
    });
    expect(periodOf(rule({ unit: 'term' }), 0)).toMatchObject({
      end: Infinity,
      label: { end: null },
    });
  });
});
