import { describe, expect, it } from 'vitest';
import {
  alwaysOpenCalendar,
  compileCalendar,
  type OpenInterval,
  type Weekday,
} from '../../../worker/rules/calendar/compile-calendar.js';

const weekdays = (interval: OpenInterval) =>
  Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [interval]])) as Partial<
    Record<Weekday, OpenInterval[]>
  >;
const nineToSix = weekdays({ start: 540, end: 1080 });
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const tokyo = compileCalendar('tokyo', { timeZone: 'Asia/Tokyo', hours: nineToSix, holidays: [] });
const newYork = compileCalendar('ny', {
  timeZone: 'America/New_York',
  hours: nineToSix,
  holidays: [],
});
const berlin = compileCalendar('berlin', {
  timeZone: 'Europe/Berlin',
  hours: nineToSix,
  holidays: ['2026-04-06'], // Easter Monday
});

describe('business hours', () => {
  it('carries a Friday 17:30 ticket with a 1 h target in Tokyo to Monday 09:30', () => {
    expect(iso(tokyo.addMinutes(at('2026-11-20T17:30:00+09:00'), 60))).toBe(
      '2026-11-23T00:30:00.000Z',
    );
  });

  it('starts the clock at the next opening for a ticket created outside hours', () => {
    expect(iso(tokyo.addMinutes(at('2026-11-24T06:00:00+09:00'), 30))).toBe(
      '2026-11-24T00:30:00.000Z',
    );
    expect(iso(tokyo.addMinutes(at('2026-11-21T12:00:00+09:00'), 60))).toBe(
      '2026-11-23T01:00:00.000Z',
    ); // Saturday
  });

  it('skips a holiday on a Monday', () => {
    // Friday 3 Apr 2026 17:00 + 2 h: 1 h Friday, Easter Monday closed, 1 h Tuesday → 10:00 CEST
    expect(iso(berlin.addMinutes(at('2026-04-03T17:00:00+02:00'), 120))).toBe(
      '2026-04-07T08:00:00.000Z',
    );
    expect(
      berlin.minutesBetween(at('2026-04-06T00:00:00+02:00'), at('2026-04-07T00:00:00+02:00')),
    ).toBe(0);
  });

  it('counts real elapsed minutes across the New York DST start and end', () => {
    const allDay = compileCalendar('ny24', {
      timeZone: 'America/New_York',
      hours: { 7: [{ start: 0, end: 1440 }] },
      holidays: [],
    });
    // Sunday 8 Mar 2026 is 23 h long; Sunday 1 Nov 2026 is 25 h long
    expect(allDay.minutesBetween(at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'))).toBe(
      23 * 60,
    );
    expect(allDay.minutesBetween(at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'))).toBe(
      25 * 60,
    );
    // Friday before the spring change: 17:00 EST + 2 h → Monday 10:00 EDT (14:00Z)
    expect(iso(newYork.addMinutes(at('2026-03-06T17:00:00-05:00'), 120))).toBe(
      '2026-03-09T14:00:00.000Z',
    );
  });

  it('keeps opening hours at local time across the Berlin DST end', () => {
    // Friday 23 Oct 2026 17:30 CEST + 1 h → Monday 26 Oct 09:30 CET (08:30Z)
    expect(iso(berlin.addMinutes(at('2026-10-23T17:30:00+02:00'), 60))).toBe(
      '2026-10-26T08:30:00.000Z',
    );
  });

  it('keeps opening hours at local time across the Berlin DST start', () => {
    // Friday 27 Mar 2026 17:30 CET + 1 h → Monday 30 Mar 09:30 CEST (07:30Z)
    expect(iso(berlin.addMinutes(at('2026-03-27T17:30:00+01:00'), 60))).toBe(
      '2026-03-30T07:30:00.000Z',
    );
  });

  it('handles Feb 29 as an ordinary working day', () => {
    expect(iso(tokyo.addMinutes(at('2028-02-28T17:00:00+09:00'), 120))).toBe(
      '2028-02-29T01:00:00.000Z',
    );
  });

  it('follows an overnight shift split at midnight', () => {
    const night = compileCalendar('night', {
      timeZone: 'Asia/Tokyo',
      hours: { 1: [{ start: 1320, end: 1440 }], 2: [{ start: 0, end: 360 }] },
      holidays: [],
    });
    // Monday 23:00 + 3 h: 1 h to midnight, 2 h Tuesday morning → 02:00
    expect(iso(night.addMinutes(at('2026-11-23T23:00:00+09:00'), 180))).toBe(
      '2026-11-23T17:00:00.000Z',
    );
    expect(night.isOpen(at('2026-11-24T05:59:00+09:00'))).toBe(true);
    expect(night.isOpen(at('2026-11-24T06:00:00+09:00'))).toBe(false);
  });

  it('returns the start for a 0-minute target and handles fractions of a minute', () => {
    const start = at('2026-11-24T10:00:00+09:00');
    expect(tokyo.addMinutes(start, 0)).toBe(start);
    expect(tokyo.addMinutes(at('2026-11-24T20:00:00+09:00'), 0)).toBe(
      at('2026-11-24T20:00:00+09:00'),
    );
    expect(tokyo.addMinutes(start, 0.5)).toBe(start + 30_000);
  });

  it('removes paused spans, and never arrives while paused for good', () => {
    const start = at('2026-11-24T09:00:00+09:00');
    const paused = [[at('2026-11-24T10:00:00+09:00'), at('2026-11-24T12:00:00+09:00')]] as const;
    expect(iso(tokyo.addMinutes(start, 180, paused))).toBe('2026-11-24T05:00:00.000Z'); // 14:00
    expect(tokyo.minutesBetween(start, at('2026-11-24T14:00:00+09:00'), paused)).toBe(180);
    expect(tokyo.addMinutes(start, 180, [[at('2026-11-24T10:00:00+09:00'), Infinity]])).toBe(
      Infinity,
    );
    expect(iso(alwaysOpenCalendar().addMinutes(0, 60, [[600_000, 1_200_000]]))).toBe(
      '1970-01-01T01:10:00.000Z',
    );
  });

  it('gives Infinity, not a hang, for a calendar that is never open', () => {
    const closed = compileCalendar('closed', { timeZone: 'UTC', hours: {}, holidays: [] });
    expect(closed.addMinutes(0, 10)).toBe(Infinity);
    const allHolidays = compileCalendar('h', {
      timeZone: 'UTC',
      hours: nineToSix,
      holidays: Array.from({ length: 40 }, (_, i) =>
        new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
      ),
    });
    expect(iso(allHolidays.addMinutes(at('2026-01-01T00:00:00Z'), 60))).toBe(
      '2026-02-10T10:00:00.000Z',
    );
  });
});
