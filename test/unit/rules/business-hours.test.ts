import { describe, expect, it } from 'vitest';
import {
  alwaysOpenCalendar,
  compileCalendar,
  type CalendarSpec,
  type OpenInterval,
  type Weekday,
} from '../../../worker/rules/calendar/compile-calendar.js';

type Hours = CalendarSpec['hours'];
const weekdays = (...intervals: OpenInterval[]) =>
  Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, intervals])) as Hours;
const nineToSix = weekdays({ start: 540, end: 1080 });
const on = (day: Weekday, start: number, end: number): Hours => ({ [day]: [{ start, end }] });
const calendar = (timeZone: string, hours: Hours, holidays: string[] = []) =>
  compileCalendar(timeZone, { timeZone, hours, holidays });
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 60;

const tokyo = calendar('Asia/Tokyo', nineToSix);
const newYork = calendar('America/New_York', nineToSix, ['2026-05-25']); // Memorial Day
const berlin = calendar('Europe/Berlin', nineToSix, ['2026-04-06']); // Easter Monday

describe('due dates in business hours', () => {
  it('a ticket at 17:30 on Friday with a 1 h target in Tokyo 09:00-18:00 is due 09:30 Monday', () => {
    expect(iso(tokyo.addMinutes(at('2026-11-20T17:30:00+09:00'), HOUR))).toBe(
      '2026-11-23T00:30:00.000Z',
    );
  });

  it('a ticket at 09:00 with a 9 h target is due at 18:00 the same day, not at the next opening', () => {
    expect(iso(tokyo.addMinutes(at('2026-11-24T09:00:00+09:00'), 9 * HOUR))).toBe(
      '2026-11-24T09:00:00.000Z',
    );
  });

  it('a ticket created outside hours starts its clock at the next opening', () => {
    // 06:00 on a Tuesday, 30 min → 09:30 the same day
    expect(iso(tokyo.addMinutes(at('2026-11-24T06:00:00+09:00'), 30))).toBe(
      '2026-11-24T00:30:00.000Z',
    );
    // Saturday noon, 1 h → Monday 10:00
    expect(iso(tokyo.addMinutes(at('2026-11-21T12:00:00+09:00'), HOUR))).toBe(
      '2026-11-23T01:00:00.000Z',
    );
    // Friday 20:00, 1 h → Monday 10:00
    expect(iso(tokyo.addMinutes(at('2026-11-20T20:00:00+09:00'), HOUR))).toBe(
      '2026-11-23T01:00:00.000Z',
    );
    // exactly at closing time on Friday, 1 min → Monday 09:01
    expect(iso(tokyo.addMinutes(at('2026-11-20T18:00:00+09:00'), 1))).toBe(
      '2026-11-23T00:01:00.000Z',
    );
  });

  it('a holiday on a Monday is skipped', () => {
    // Berlin, Friday 3 Apr 2026 17:00 + 2 h: 1 h Friday, Easter Monday closed, 1 h Tuesday → 10:00
    expect(iso(berlin.addMinutes(at('2026-04-03T17:00:00+02:00'), 2 * HOUR))).toBe(
      '2026-04-07T08:00:00.000Z',
    );
    // New York, Friday 22 May 2026 17:00 + 2 h, Memorial Day closed → Tuesday 10:00 EDT
    expect(iso(newYork.addMinutes(at('2026-05-22T17:00:00-04:00'), 2 * HOUR))).toBe(
      '2026-05-26T14:00:00.000Z',
    );
    expect(
      berlin.minutesBetween(at('2026-04-06T00:00:00+02:00'), at('2026-04-07T00:00:00+02:00')),
    ).toBe(0);
    expect(berlin.isOpen(at('2026-04-06T10:00:00+02:00'))).toBe(false);
    expect(berlin.isOpen(at('2026-04-07T10:00:00+02:00'))).toBe(true);
  });

  it('Feb 29 is an ordinary working day, or a holiday when listed as one', () => {
    // Wednesday 28 Feb 2024 17:00 + 2 h → Thursday 29 Feb 10:00
    expect(iso(tokyo.addMinutes(at('2024-02-28T17:00:00+09:00'), 2 * HOUR))).toBe(
      '2024-02-29T01:00:00.000Z',
    );
    expect(iso(tokyo.addMinutes(at('2028-02-28T17:00:00+09:00'), 2 * HOUR))).toBe(
      '2028-02-29T01:00:00.000Z',
    );
    const leapHoliday = calendar('Asia/Tokyo', nineToSix, ['2024-02-29']);
    expect(iso(leapHoliday.addMinutes(at('2024-02-28T17:00:00+09:00'), 2 * HOUR))).toBe(
      '2024-03-01T01:00:00.000Z',
    );
  });

  it('Tokyo has no DST: every week of 2026 has exactly 45 business hours', () => {
    for (let week = 0; week < 52; week++) {
      const monday = at('2026-01-05T00:00:00+09:00') + week * 7 * 86_400_000;
      expect(tokyo.minutesBetween(monday, monday + 7 * 86_400_000)).toBe(45 * HOUR);
    }
  });

  it('an overnight shift split as 22:00-24:00 + 00:00-06:00 runs through midnight', () => {
    const night = calendar('Asia/Tokyo', {
      1: [{ start: 1320, end: 1440 }],
      2: [{ start: 0, end: 360 }],
    });
    // Monday 23:00 + 3 h: 1 h to midnight, 2 h Tuesday morning → 02:00
    expect(iso(night.addMinutes(at('2026-11-23T23:00:00+09:00'), 3 * HOUR))).toBe(
      '2026-11-23T17:00:00.000Z',
    );
    expect(
      night.minutesBetween(at('2026-11-23T22:00:00+09:00'), at('2026-11-24T06:00:00+09:00')),
    ).toBe(8 * HOUR);
    expect(night.isOpen(at('2026-11-24T00:00:00+09:00'))).toBe(true);
    expect(night.isOpen(at('2026-11-24T05:59:00+09:00'))).toBe(true);
    expect(night.isOpen(at('2026-11-24T06:00:00+09:00'))).toBe(false);
    expect(night.isOpen(at('2026-11-23T21:59:59+09:00'))).toBe(false);
  });

  it('a 0-minute target on a ticket created while closed is due at the next opening, not at once', () => {
    // Saturday 20:00 → Monday 09:00; Friday 18:00 (closing time) → Monday 09:00
    expect(iso(tokyo.addMinutes(at('2026-11-21T20:00:00+09:00'), 0))).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect(iso(tokyo.addMinutes(at('2026-11-20T18:00:00+09:00'), 0))).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    // Before opening on a Tuesday → 09:00 the same day; a holiday Monday → Tuesday 09:00
    expect(iso(tokyo.addMinutes(at('2026-11-24T06:00:00+09:00'), 0))).toBe(
      '2026-11-24T00:00:00.000Z',
    );
    expect(iso(berlin.addMinutes(at('2026-04-06T10:00:00+02:00'), 0))).toBe(
      '2026-04-07T07:00:00.000Z',
    );
    // While open, and exactly at opening time: that very instant
    const open = at('2026-11-24T10:00:00+09:00');
    expect(tokyo.addMinutes(open, 0)).toBe(open);
    expect(tokyo.addMinutes(at('2026-11-24T09:00:00+09:00'), 0)).toBe(
      at('2026-11-24T09:00:00+09:00'),
    );
    // Nothing is counted between the start and a 0-minute due.
    expect(tokyo.minutesBetween(open, tokyo.addMinutes(open, 0))).toBe(0);
  });

  it('a 0-minute target while the clock is paused is due when the pause ends in open hours', () => {
    const local = (time: string) => at(`2026-11-24T${time}:00+09:00`);
    // Paused 10:00-11:00, asked at 10:30 → 11:00
    expect(iso(tokyo.addMinutes(local('10:30'), 0, [[local('10:00'), local('11:00')]]))).toBe(
      iso(local('11:00')),
    );
    // Paused until 20:00 (after closing) → Wednesday 09:00
    expect(iso(tokyo.addMinutes(local('17:00'), 0, [[local('16:00'), local('20:00')]]))).toBe(
      '2026-11-25T00:00:00.000Z',
    );
    // Closed now, a pause over the next opening → when that pause ends
    expect(iso(tokyo.addMinutes(local('07:00'), 0, [[local('08:00'), local('09:15')]]))).toBe(
      iso(local('09:15')),
    );
    // A pause that starts later changes nothing; a pause that never ends: never due
    expect(tokyo.addMinutes(local('10:30'), 0, [[local('11:00'), Infinity]])).toBe(local('10:30'));
    expect(tokyo.addMinutes(local('10:30'), 0, [[local('10:00'), Infinity]])).toBe(Infinity);
    expect(
      alwaysOpenCalendar().addMinutes(local('10:30'), 0, [[local('10:00'), local('11:00')]]),
    ).toBe(local('11:00'));
  });

  it('fractions of a minute count', () => {
    const start = at('2026-11-24T10:00:00+09:00');
    expect(tokyo.addMinutes(start, 0.5)).toBe(start + 30_000);
    expect(tokyo.addMinutes(start, 1.25)).toBe(start + 75_000);
    // 15 s before Friday's close, 30 s → 15 s into Monday
    expect(iso(tokyo.addMinutes(at('2026-11-20T17:59:45+09:00'), 0.5))).toBe(
      '2026-11-23T00:00:15.000Z',
    );
    expect(tokyo.minutesBetween(start, start + 90_000)).toBe(1.5);
  });

  it('minutesBetween is 0 when the end is not after the start', () => {
    const t = at('2026-11-24T10:00:00+09:00');
    expect(tokyo.minutesBetween(t, t)).toBe(0);
    expect(tokyo.minutesBetween(t + 60_000, t)).toBe(0);
  });
});

describe('DST', () => {
  const nyAllSunday = calendar('America/New_York', on(7, 0, 1440));
  const berlinAllSunday = calendar('Europe/Berlin', on(7, 0, 1440));

  it('a day open 00:00-24:00 counts the real 23 h or 25 h when clocks change', () => {
    // New York: 8 Mar 2026 (clocks forward), 1 Nov 2026 (clocks back)
    expect(nyAllSunday.minutesBetween(at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'))).toBe(
      23 * HOUR,
    );
    expect(nyAllSunday.minutesBetween(at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'))).toBe(
      25 * HOUR,
    );
    // Berlin: 29 Mar 2026 and 25 Oct 2026
    expect(
      berlinAllSunday.minutesBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z')),
    ).toBe(23 * HOUR);
    expect(
      berlinAllSunday.minutesBetween(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z')),
    ).toBe(25 * HOUR);
    expect(iso(nyAllSunday.addMinutes(at('2026-03-08T05:00:00Z'), 23 * HOUR))).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });

  it('New York 09:00-18:00 stays at local 09:00-18:00 across the DST start and end', () => {
    // Friday 6 Mar 17:00 EST + 2 h → Monday 9 Mar 10:00 EDT (14:00Z)
    expect(iso(newYork.addMinutes(at('2026-03-06T17:00:00-05:00'), 2 * HOUR))).toBe(
      '2026-03-09T14:00:00.000Z',
    );
    // Friday 30 Oct 17:00 EDT + 2 h → Monday 2 Nov 10:00 EST (15:00Z)
    expect(iso(newYork.addMinutes(at('2026-10-30T17:00:00-04:00'), 2 * HOUR))).toBe(
      '2026-11-02T15:00:00.000Z',
    );
  });

  it('Berlin 09:00-18:00 stays at local 09:00-18:00 across the DST start and end', () => {
    // Friday 27 Mar 17:30 CET + 1 h → Monday 30 Mar 09:30 CEST (07:30Z)
    expect(iso(berlin.addMinutes(at('2026-03-27T17:30:00+01:00'), HOUR))).toBe(
      '2026-03-30T07:30:00.000Z',
    );
    // Friday 23 Oct 17:30 CEST + 1 h → Monday 26 Oct 09:30 CET (08:30Z)
    expect(iso(berlin.addMinutes(at('2026-10-23T17:30:00+02:00'), HOUR))).toBe(
      '2026-10-26T08:30:00.000Z',
    );
  });

  it('a night shift over the clock change is 7 real hours in spring and 9 in autumn', () => {
    const night = calendar('America/New_York', {
      6: [{ start: 1320, end: 1440 }],
      7: [{ start: 0, end: 360 }],
    });
    expect(night.minutesBetween(at('2026-03-07T12:00:00Z'), at('2026-03-08T18:00:00Z'))).toBe(
      7 * HOUR,
    );
    expect(night.minutesBetween(at('2026-10-31T12:00:00Z'), at('2026-11-01T18:00:00Z'))).toBe(
      9 * HOUR,
    );
    // Saturday 22:00 EST + 7 h lands on the Sunday 06:00 EDT close
    expect(iso(night.addMinutes(at('2026-03-07T22:00:00-05:00'), 7 * HOUR))).toBe(
      '2026-03-08T10:00:00.000Z',
    );
  });

  it('an opening time skipped by the spring gap opens when the clocks jump', () => {
    // New York, 8 Mar 2026: 02:00 EST jumps to 03:00 EDT (07:00Z); open 02:30-05:00 → 03:00-05:00
    const ny = calendar('America/New_York', on(7, 150, 300));
    expect(ny.minutesBetween(at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(
      2 * HOUR,
    );
    expect(ny.isOpen(at('2026-03-08T07:00:00Z'))).toBe(true);
    expect(ny.isOpen(at('2026-03-08T06:59:59Z'))).toBe(false);
    expect(iso(ny.addMinutes(at('2026-03-08T00:00:00Z'), 1))).toBe('2026-03-08T07:01:00.000Z');
    // Berlin, 29 Mar 2026: 02:00-03:00 does not exist, so that Sunday has no open time
    const de = calendar('Europe/Berlin', on(7, 120, 180));
    expect(de.minutesBetween(at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(0);
    expect(iso(de.addMinutes(at('2026-03-28T12:00:00Z'), 30))).toBe('2026-04-05T00:30:00.000Z');
  });

  it('an opening time repeated in the autumn takes its first occurrence', () => {
    // New York, 1 Nov 2026: 01:00-01:30 happens twice; only the first (EDT) one is open
    const ny = calendar('America/New_York', on(7, 60, 90));
    expect(ny.isOpen(at('2026-11-01T05:15:00Z'))).toBe(true);
    expect(ny.isOpen(at('2026-11-01T06:15:00Z'))).toBe(false);
    expect(ny.minutesBetween(at('2026-11-01T00:00:00Z'), at('2026-11-02T00:00:00Z'))).toBe(30);
  });
});

describe('paused intervals', () => {
  const start = at('2026-11-24T09:00:00+09:00');
  const local = (time: string) => at(`2026-11-24T${time}:00+09:00`);

  it('a closed pause stops the clock for its length within open hours', () => {
    const paused = [[local('10:00'), local('12:00')]] as const;
    expect(iso(tokyo.addMinutes(start, 3 * HOUR, paused))).toBe('2026-11-24T05:00:00.000Z'); // 14:00
    expect(tokyo.minutesBetween(start, local('14:00'), paused)).toBe(3 * HOUR);
  });

  it('a pause over closed time changes nothing', () => {
    const overnight = [[local('19:00'), at('2026-11-25T08:00:00+09:00')]] as const;
    const due = tokyo.addMinutes(at('2026-11-24T17:00:00+09:00'), 2 * HOUR);
    expect(tokyo.addMinutes(at('2026-11-24T17:00:00+09:00'), 2 * HOUR, overnight)).toBe(due);
  });

  it('unsorted, overlapping pauses are merged', () => {
    const paused = [
      [local('11:00'), local('12:00')],
      [local('10:00'), local('11:30')],
      [local('15:00'), local('15:30')],
    ] as const;
    // 09:00-10:00, 12:00-15:00, 15:30-16:30 → 5 h counted
    expect(iso(tokyo.addMinutes(start, 5 * HOUR, paused))).toBe(iso(local('16:30')));
    expect(tokyo.minutesBetween(start, local('16:30'), paused)).toBe(5 * HOUR);
  });

  it('an open-ended pause means the ticket is never due, and stops minutesBetween', () => {
    expect(tokyo.addMinutes(start, 3 * HOUR, [[local('10:00'), Infinity]])).toBe(Infinity);
    expect(tokyo.addMinutes(start, 30, [[local('10:00'), Infinity]])).toBe(local('09:30'));
    expect(tokyo.addMinutes(start, 30, [[start - 86_400_000, Infinity]])).toBe(Infinity);
    expect(tokyo.minutesBetween(start, local('17:00'), [[local('10:00'), Infinity]])).toBe(HOUR);
    expect(tokyo.minutesBetween(start, Infinity, [[local('10:00'), Infinity]])).toBe(HOUR);
    expect(tokyo.minutesBetween(start, Infinity)).toBe(Infinity);
  });

  it('the 24/7 calendar is plain arithmetic minus pauses', () => {
    const always = alwaysOpenCalendar();
    expect(always.id).toBe('24x7');
    expect(iso(always.addMinutes(0, 60, [[600_000, 1_200_000]]))).toBe('1970-01-01T01:10:00.000Z');
    expect(always.addMinutes(start, 90)).toBe(start + 90 * 60_000);
    expect(always.minutesBetween(start, start + 90 * 60_000, [[start, start + 60_000]])).toBe(89);
    expect(always.addMinutes(start, 10, [[start + 60_000, Infinity]])).toBe(Infinity);
    expect(always.isOpen(start)).toBe(true);
  });
});

describe('calendars that are rarely or never open', () => {
  it('gives Infinity, not a hang, for a calendar with no open hours', () => {
    const closed = calendar('UTC', {});
    expect(closed.addMinutes(0, 10)).toBe(Infinity);
    expect(closed.addMinutes(0, 0)).toBe(Infinity);
    expect(closed.minutesBetween(0, 86_400_000 * 400)).toBe(0);
    expect(closed.isOpen(0)).toBe(false);
  });

  it('walks through a long stretch of holidays', () => {
    const days = (from: string, count: number) =>
      Array.from({ length: count }, (_, i) =>
        new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
      );
    const closedJanuary = calendar('UTC', nineToSix, days('2026-01-01', 40));
    expect(iso(closedJanuary.addMinutes(at('2026-01-01T00:00:00Z'), HOUR))).toBe(
      '2026-02-10T10:00:00.000Z',
    );
    // Open on Wednesdays only, holidays until Thursday 22 Jan: the next Wednesday is 28 Jan
    const wednesdays = calendar('UTC', on(3, 540, 1080), days('2026-01-01', 22));
    expect(iso(wednesdays.addMinutes(at('2026-01-01T00:00:00Z'), HOUR))).toBe(
      '2026-01-28T10:00:00.000Z',
    );
  });

  it('passes odd inputs through instead of looping', () => {
    expect(tokyo.addMinutes(Number.NaN, 10)).toBeNaN();
    expect(tokyo.addMinutes(at('2026-11-24T10:00:00+09:00'), Infinity)).toBe(Infinity);
    expect(tokyo.addMinutes(at('2026-11-24T10:00:00+09:00'), -5)).toBe(
      at('2026-11-24T10:00:00+09:00'),
    );
    expect(tokyo.isOpen(Number.NaN)).toBe(false);
    expect(() => calendar('Mars/Olympus', nineToSix)).toThrow(/unknown zone/);
  });
});
