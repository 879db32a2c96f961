import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar, type Weekday } from '../../../worker/rules/calendar/compile-calendar.js';

const hours = Object.fromEntries(
  [1, 2, 3, 4, 5].map((d) => [
    d,
    [
      { start: 540, end: 720 },
      { start: 780, end: 1080 },
    ],
  ]),
) as Partial<Record<Weekday, { start: number; end: number }[]>>;
const holidays = ['2026-01-01', '2026-05-04', '2026-12-25', '2027-01-01', '2025-11-27'];
const calendars = ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo'].map((zone) =>
  compileCalendar(zone, {
    timeZone: zone,
    hours: { ...hours, 6: [{ start: 0, end: 1440 }] },
    holidays,
  }),
);

const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) });
const minutes = fc.integer({ min: 0, max: 60 * 24 * 10 });
const calendar = fc.constantFrom(...calendars);
const runs = { numRuns: 300 };

describe('business-hours properties', () => {
  it('never puts a due before its start', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (c, t, m) => c.addMinutes(t, m) >= t),
      runs,
    );
  });

  it('adding a then b minutes equals adding a + b', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (c, t, a, b) => {
        expect(Math.abs(c.addMinutes(c.addMinutes(t, a), b) - c.addMinutes(t, a + b))).toBeLessThan(
          1,
        );
      }),
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

  it('never counts holidays or closed hours', () => {
    fc.assert(
      fc.property(calendar, fc.constantFrom(...holidays), (c, day) => {
        const from = Date.parse(`${day}T00:00:00Z`) - 14 * 3_600_000;
        const to = from + 48 * 3_600_000;
        let counted = 0;
        for (let t = from; t < to; t += 60_000) counted += c.isOpen(t) ? 1 : 0;
        expect(c.minutesBetween(from, to)).toBeCloseTo(counted, 6);
      }),
      { numRuns: 30 },
    );
  });

  it('never counts paused time', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        minutes,
        fc.integer({ min: 1, max: 5000 }),
        (c, t, m, pauseMinutes) => {
          const pause = [[t, t + pauseMinutes * 60_000]] as const;
          const open = c.minutesBetween(t, t + pauseMinutes * 60_000);
          expect(c.minutesBetween(t, c.addMinutes(t, m, pause), pause)).toBeCloseTo(m, 6);
          // a 0-minute target is due at its start, before any pause could move it
          if (m > 0)
            expect(c.minutesBetween(t, c.addMinutes(t, m, pause))).toBeCloseTo(m + open, 6);
        },
      ),
      runs,
    );
  });
});
