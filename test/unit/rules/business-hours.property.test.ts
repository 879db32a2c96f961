import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  compileCalendar,
  type BusinessCalendar,
  type CalendarSpec,
  type Paused,
  type Weekday,
} from '../../../worker/rules/calendar/compile-calendar.js';
import { publicHolidays } from '../../../worker/rules/calendar/public-holidays.js';

// Weekdays with a lunch break, a Friday-night shift split at midnight, and Sunday 01:00-04:00,
// which straddles every New York and Berlin clock change.
const hours: CalendarSpec['hours'] = {
  ...Object.fromEntries(
    [1, 2, 3, 4, 5].map((d) => [
      d,
      [
        { start: 540, end: 720 },
        { start: 780, end: 1080 },
      ],
    ]),
  ),
  5: [
    { start: 540, end: 720 },
    { start: 780, end: 1080 },
    { start: 1320, end: 1440 },
  ],
  6: [{ start: 0, end: 360 }],
  7: [{ start: 60, end: 240 }],
};
const holidays = [
  '2024-02-29',
  '2024-12-25',
  '2025-11-27',
  '2026-01-01',
  '2026-03-08', // the New York spring-forward Sunday
  '2026-05-04',
  '2026-12-25',
  '2027-01-01',
  '2027-10-31', // the Berlin fall-back Sunday
];
const zones = ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo'];
const calendars = zones.map((timeZone) => compileCalendar(timeZone, { timeZone, hours, holidays }));

/** Open by the wall clock, checked independently of the compiled calendar. */
function openByWallClock(c: BusinessCalendar, ms: number): boolean {
  const local = DateTime.fromMillis(ms, { zone: c.timeZone });
  if (holidays.includes(local.toISODate()!)) return false;
  const minute = local.hour * 60 + local.minute;
  const day = hours[local.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7] ?? [];
  return day.some((i) => minute >= i.start && minute < i.end);
}

const MINUTE = 60_000;
const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) });
const minutes = fc.oneof(
  fc.integer({ min: 0, max: 60 * 24 * 10 }),
  fc.double({ min: 0, max: 60 * 24 * 3, noNaN: true }),
);
// Binary fractions of a minute add up exactly, so a + b is never rounded onto a closing time.
const exactMinutes = fc.integer({ min: 0, max: 64 * 60 * 24 * 5 }).map((n) => n / 64);
const calendar = fc.constantFrom(...calendars);
/** Up to four pauses in any order, within a couple of weeks of `t`, maybe one open-ended. */
const pausesNear = (t: number) =>
  fc
    .array(
      fc.tuple(
        fc.integer({ min: -3 * 1440, max: 14 * 1440 }),
        fc.oneof(fc.integer({ min: 1, max: 3 * 1440 }), fc.constant(Infinity)),
      ),
      { maxLength: 4 },
    )
    .map((spans): Paused =>
      spans.map(([from, len]) => [t + from * MINUTE, t + (from + len) * MINUTE]),
    );
const withPauses = fc
  .tuple(calendar, instant, minutes)
  .chain(([c, t, m]) => fc.tuple(fc.constant(c), fc.constant(t), fc.constant(m), pausesNear(t)));
const runs = { numRuns: 300 };

describe('business-hours properties', () => {
  it('never puts a due before its start', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (c, t, m) => c.addMinutes(t, m) >= t),
      runs,
    );
  });

  // b > 0: a due may fall on a closing time, and 0 more minutes from there is the next opening.
  it('adding a then b minutes equals adding a + b', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        exactMinutes,
        exactMinutes.map((b) => b + 1 / 64),
        (c, t, a, b) => {
          const stepwise = c.addMinutes(c.addMinutes(t, a), b);
          expect(Math.abs(stepwise - c.addMinutes(t, a + b))).toBeLessThan(1);
        },
      ),
      runs,
    );
  });

  it('counts exactly the minutes it added', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (c, t, m) => {
        expect(c.minutesBetween(t, c.addMinutes(t, m))).toBeCloseTo(m, 6);
      }),
      runs,
    );
  });

  it('isOpen agrees with the wall clock, DST days included', () => {
    fc.assert(
      fc.property(calendar, instant, (c, t) => {
        expect(c.isOpen(t)).toBe(openByWallClock(c, t));
      }),
      { numRuns: 1000 },
    );
  });

  it('any instant strictly inside (start, due) where the clock runs is open and not paused', () => {
    fc.assert(
      fc.property(withPauses, fc.double({ min: 0, max: 1, noNaN: true }), ([c, t, m, p], f) => {
        const due = c.addMinutes(t, m, p);
        fc.pre(due < Infinity && due - t > 2);
        const u = Math.floor(Math.min(due - 1, Math.max(t + 1, t + f * (due - t))));
        const counted = c.minutesBetween(u, u + 1, p) * MINUTE;
        const paused = p.some(([a, b]) => u >= a && u < b);
        expect(counted).toBeCloseTo(c.isOpen(u) && !paused ? 1 : 0, 6);
        if (counted > 0) expect(openByWallClock(c, u)).toBe(true);
      }),
      runs,
    );
  });

  it('a holiday counts nothing, whatever part of it is measured', () => {
    fc.assert(
      fc.property(
        calendar,
        fc.constantFrom(...holidays),
        fc.nat(1440),
        fc.nat(1440),
        (c, d, x, y) => {
          const midnight = DateTime.fromISO(d, { zone: c.timeZone }).toMillis();
          const nextMidnight = DateTime.fromISO(d, { zone: c.timeZone })
            .plus({ days: 1 })
            .toMillis();
          const [from, to] = [Math.min(x, y), Math.max(x, y)].map((n) =>
            Math.min(nextMidnight, midnight + n * MINUTE),
          ) as [number, number];
          expect(c.minutesBetween(from, to)).toBe(0);
          expect(c.minutesBetween(midnight, nextMidnight)).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('counts the same minutes as stepping through a day minute by minute', () => {
    fc.assert(
      fc.property(calendar, fc.integer({ min: 0, max: 4 * 365 }), (c, dayIndex) => {
        const from = Date.UTC(2024, 0, 1) + dayIndex * 86_400_000;
        const to = from + 48 * 3_600_000;
        let counted = 0;
        for (let t = from; t < to; t += MINUTE) counted += openByWallClock(c, t) ? 1 : 0;
        expect(c.minutesBetween(from, to)).toBe(counted);
      }),
      { numRuns: 20 },
    );
  });

  it('adding 0 minutes gives the first open, unpaused instant at or after the start', () => {
    const closed = compileCalendar('closed', { timeZone: 'Asia/Tokyo', hours: {}, holidays });
    fc.assert(
      fc.property(withPauses, ([c, t, , p]) => {
        const due = c.addMinutes(t, 0, p);
        expect(due).toBeGreaterThanOrEqual(t);
        expect(closed.addMinutes(t, 0, p)).toBe(Infinity);
        if (due === Infinity) {
          // No opening left: every open instant from t on is paused for good.
          expect(p.some(([a, b]) => b === Infinity && c.minutesBetween(t, a, p) === 0)).toBe(true);
          return;
        }
        expect(c.isOpen(due)).toBe(true);
        expect(openByWallClock(c, due)).toBe(true);
        expect(p.some(([a, b]) => due >= a && due < b)).toBe(false);
        // The first such instant: no open, unpaused time lies between t and it.
        expect(c.minutesBetween(t, due, p)).toBe(0);
        if (due === t) return;
        expect(c.isOpen(due - 1) && !p.some(([a, b]) => due - 1 >= a && due - 1 < b)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('never counts paused time', () => {
    fc.assert(
      fc.property(withPauses, ([c, t, m, p]) => {
        const due = c.addMinutes(t, m, p);
        const forever = p.find(([, b]) => b === Infinity);
        if (due === Infinity) {
          // Only a pause that never ends can keep a ticket from falling due (even at 0 minutes,
          // whose clock must still reach an open, unpaused instant).
          expect(forever).toBeDefined();
          if (m > 0) expect(c.minutesBetween(t, forever![0], p)).toBeLessThan(m);
          else expect(c.minutesBetween(t, forever![0], p)).toBe(0);
          return;
        }
        expect(c.minutesBetween(t, due, p)).toBeCloseTo(m, 6);
        for (const [a, b] of p) expect(c.minutesBetween(a, Math.min(b, a + 1e10), p)).toBe(0);
        // Ignoring the pauses counts the open time inside them on top of m.
        let inside = 0;
        for (const [a, b] of p) inside += c.minutesBetween(Math.max(a, t), Math.min(b, due));
        if (m > 0 && p.length === 0) expect(c.minutesBetween(t, due)).toBeCloseTo(m, 6);
        expect(c.minutesBetween(t, due)).toBeGreaterThanOrEqual(m - 1e-6);
        expect(c.minutesBetween(t, due)).toBeLessThanOrEqual(m + inside + 1e-6);
      }),
      runs,
    );
  });
});

// Breaks (one across the spring-forward hour on Sundays), special days (DST Sundays among
// them), listed holidays, public holidays of each zone's region and a worked public holiday.
const featureHours: CalendarSpec['hours'] = {
  ...Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: 480, end: 1140 }]])),
  6: [{ start: 600, end: 840 }],
  7: [{ start: 60, end: 240 }],
};
const featureBreaks: CalendarSpec['breaks'] = {
  ...Object.fromEntries(
    [1, 2, 3, 4, 5].map((d) => [
      d,
      [
        { start: 720, end: 780 },
        { start: 900, end: 915 },
      ],
    ]),
  ),
  7: [{ start: 120, end: 150 }],
};
const specialHours: Record<string, { start: number; end: number }[]> = {
  '2024-12-24': [{ start: 540, end: 720 }],
  '2025-03-30': [{ start: 0, end: 300 }], // Berlin spring-forward Sunday
  '2025-11-02': [{ start: 30, end: 180 }], // New York fall-back Sunday
  '2026-03-08': [{ start: 60, end: 240 }], // New York spring-forward Sunday
  '2026-10-25': [{ start: 60, end: 240 }], // Berlin fall-back Sunday
  '2026-12-24': [{ start: 540, end: 720 }],
  '2026-12-26': [{ start: 600, end: 840 }],
  '2027-01-04': [],
};
const regions = {
  'America/New_York': { country: 'US', state: 'NY' },
  'Europe/Berlin': { country: 'DE', state: 'BE' },
  'Asia/Tokyo': { country: 'JP' },
} as const;
const featureHolidays = ['2025-12-31', '2026-12-31'];
const openDates = ['2025-10-13', '2026-05-01', '2026-11-03'];
const featureCalendars = zones.map((timeZone) =>
  compileCalendar(`${timeZone}+`, {
    timeZone,
    hours: featureHours,
    breaks: featureBreaks,
    holidays: featureHolidays,
    publicHolidays: regions[timeZone as keyof typeof regions],
    openDates,
    specialHours,
  }),
);

/** The intervals a wall-clock date opens for, from the spec alone. */
type Span = { start: number; end: number };
function featureIntervals(
  c: BusinessCalendar,
  date: string,
  weekday: number,
): (Span & { breaks?: Span[] })[] {
  const special = specialHours[date];
  if (special) return special;
  if (featureHolidays.includes(date)) return [];
  const region = regions[c.timeZone as keyof typeof regions];
  if (!openDates.includes(date) && publicHolidays(region, Number(date.slice(0, 4))).has(date)) {
    return [];
  }
  const breaks = featureBreaks![weekday as Weekday] ?? [];
  return (featureHours[weekday as Weekday] ?? []).map((i) => ({ ...i, breaks }));
}
function featureOpenByWallClock(c: BusinessCalendar, ms: number): boolean {
  const local = DateTime.fromMillis(ms, { zone: c.timeZone });
  const minute = local.hour * 60 + local.minute;
  return featureIntervals(c, local.toISODate()!, local.weekday).some(
    (i) =>
      minute >= i.start &&
      minute < i.end &&
      !(i.breaks ?? []).some((b) => minute >= b.start && minute < b.end),
  );
}
const featureCalendar = fc.constantFrom(...featureCalendars);
const businessDays = fc.integer({ min: 0, max: 12 });

describe('business-hours properties with breaks, special days and public holidays', () => {
  it('isOpen agrees with the wall clock', () => {
    fc.assert(
      fc.property(featureCalendar, instant, (c, t) => {
        expect(c.isOpen(t)).toBe(featureOpenByWallClock(c, t));
      }),
      { numRuns: 1000 },
    );
  });

  it('adding a then b minutes equals adding a + b', () => {
    fc.assert(
      fc.property(
        featureCalendar,
        instant,
        exactMinutes,
        exactMinutes.map((b) => b + 1 / 64),
        (c, t, a, b) => {
          const stepwise = c.addMinutes(c.addMinutes(t, a), b);
          expect(Math.abs(stepwise - c.addMinutes(t, a + b))).toBeLessThan(1);
        },
      ),
      runs,
    );
  });

  it('never counts closed time: the minutes between equal stepping minute by minute', () => {
    fc.assert(
      fc.property(featureCalendar, fc.integer({ min: 0, max: 4 * 365 }), (c, dayIndex) => {
        const from = Date.UTC(2024, 0, 1) + dayIndex * 86_400_000;
        const to = from + 48 * 3_600_000;
        let counted = 0;
        for (let t = from; t < to; t += MINUTE) counted += featureOpenByWallClock(c, t) ? 1 : 0;
        expect(c.minutesBetween(from, to)).toBe(counted);
      }),
      { numRuns: 20 },
    );
  });

  it('counts exactly the minutes it added, pauses included', () => {
    fc.assert(
      fc.property(
        featureCalendar.chain((c) =>
          fc
            .tuple(fc.constant(c), instant, minutes)
            .chain(([c, t, m]) =>
              fc.tuple(fc.constant(c), fc.constant(t), fc.constant(m), pausesNear(t)),
            ),
        ),
        ([c, t, m, p]) => {
          const due = c.addMinutes(t, m, p);
          if (due < Infinity) expect(c.minutesBetween(t, due, p)).toBeCloseTo(m, 6);
        },
      ),
      runs,
    );
  });

  it('a business-day due is the close of the n-th open day after the start day', () => {
    fc.assert(
      fc.property(featureCalendar, instant, businessDays, (c, t, n) => {
        const due = c.addBusinessDays(t, n);
        const start = c.addMinutes(t, 0);
        expect(due).toBeGreaterThan(start);
        expect(c.isOpen(due - 1)).toBe(true);
        const dueDay = DateTime.fromMillis(due - 1, { zone: c.timeZone }).startOf('day');
        expect(c.minutesBetween(due, dueDay.plus({ days: 1 }).toMillis())).toBe(0);
        // Open days after the start's day, up to and including the due's: exactly n.
        let day = DateTime.fromMillis(start, { zone: c.timeZone }).startOf('day');
        let open = 0;
        while (day < dueDay) {
          day = day.plus({ days: 1 });
          if (featureIntervals(c, day.toISODate()!, day.weekday).length > 0) open++;
        }
        expect(open).toBe(n);
      }),
      runs,
    );
  });

  it('adding a then b business days (from the last open instant of the first due) is a + b', () => {
    fc.assert(
      fc.property(featureCalendar, instant, businessDays, businessDays, (c, t, a, b) => {
        expect(c.addBusinessDays(c.addBusinessDays(t, a) - 1, b)).toBe(c.addBusinessDays(t, a + b));
      }),
      runs,
    );
  });
});
