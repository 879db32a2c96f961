// A business-hours deadline on a compiled calendar vs stepping minute by minute, same run.
// Run alone: npx tsx bench/rules/deadline.ts
import {
  compileCalendar,
  type BusinessCalendar,
  type CalendarSpec,
} from '../../worker/rules/calendar/compile-calendar.js';
import { check, SMOKE } from '../mode.js';

const HOLIDAYS = Array.from({ length: 30 }, (_, i) =>
  new Date(Date.UTC(2026, 0, 1 + Math.floor((i * 365) / 30))).toISOString().slice(0, 10),
);
const SPEC: CalendarSpec = {
  timeZone: 'America/New_York',
  hours: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: 540, end: 1080 }]])),
  holidays: HOLIDAYS,
};
// The same week with what support teams keep: 40 holidays, a lunch break and a short afternoon
// one, and special days (half days, Saturday openings) every few weeks.
const FORTY_HOLIDAYS = Array.from({ length: 40 }, (_, i) =>
  new Date(Date.UTC(2026, 0, 2 + Math.floor((i * 365) / 40))).toISOString().slice(0, 10),
);
const SPECIAL_HOURS = Object.fromEntries(
  Array.from({ length: 24 }, (_, i) => [
    new Date(Date.UTC(2026, 0, 6 + i * 15)).toISOString().slice(0, 10),
    i % 2 ? [{ start: 540, end: 720 }] : [{ start: 600, end: 840 }],
  ]),
);
const FULL_SPEC: CalendarSpec = {
  ...SPEC,
  holidays: FORTY_HOLIDAYS.filter((d) => !(d in SPECIAL_HOURS)),
  breaks: Object.fromEntries(
    [1, 2, 3, 4, 5].map((d) => [
      d,
      [
        { start: 720, end: 780 },
        { start: 930, end: 945 },
      ],
    ]),
  ),
  specialHours: SPECIAL_HOURS,
};
const EIGHT_HOURS = 8 * 60;
const FIVE_DAYS = 5 * 9 * 60;

/** The baseline: walk one minute at a time, counting the open ones. */
function naiveAddMinutes(calendar: BusinessCalendar, startMs: number, minutes: number): number {
  let t = startMs;
  let left = minutes;
  while (left > 0) {
    if (calendar.isOpen(t)) left--;
    t += 60_000;
  }
  return t;
}

/** Mean microseconds per call, after a warm-up (a twentieth of the iterations in smoke mode). */
function micros(fullIterations: number, fn: (i: number) => number): number {
  const iterations = SMOKE ? Math.ceil(fullIterations / 20) : fullIterations;
  let sink = 0;
  for (let i = 0; i < Math.min(iterations, 200); i++) sink += fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += fn(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  if (sink === 42) console.log(''); // keeps the work observable
  return us;
}

export async function benchDeadline() {
  const calendar = compileCalendar('bench', SPEC);
  const full = compileCalendar('bench-full', FULL_SPEC);
  // Deterministic pseudo-random whole-minute starts across 2026.
  let seed = 7;
  const starts = Array.from({ length: 4096 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Date.UTC(2026, 0, 1) + (seed % (364 * 24 * 60)) * 60_000;
  });
  const start = (i: number) => starts[i % starts.length]!;
  for (let i = 0; i < 100; i++) {
    for (const cal of [calendar, full]) {
      for (const target of [EIGHT_HOURS, FIVE_DAYS]) {
        const compiled = cal.addMinutes(start(i), target);
        check(
          compiled === naiveAddMinutes(cal, start(i), target),
          `${cal.id}: compiled and naive deadlines disagree from ${new Date(start(i)).toISOString()}`,
        );
        check(compiled > start(i), 'a deadline before its start');
      }
    }
    const due = full.addBusinessDays(start(i), 3);
    check(full.isOpen(due - 1) && !full.isOpen(due), 'a business-day due that is not a close');
  }
  const compiledMicros = micros(200_000, (i) => calendar.addMinutes(start(i), EIGHT_HOURS));
  const fiveDayMicros = micros(100_000, (i) => calendar.addMinutes(start(i), FIVE_DAYS));
  // A fresh calendar per call: compiling plus building the few days one deadline touches.
  const coldMicros = micros(500, (i) =>
    compileCalendar('cold', SPEC).addMinutes(start(i), EIGHT_HOURS),
  );
  const naiveMicros = micros(300, (i) => naiveAddMinutes(calendar, start(i), EIGHT_HOURS));
  const fullMicros = micros(200_000, (i) => full.addMinutes(start(i), EIGHT_HOURS));
  const fullNaiveMicros = micros(300, (i) => naiveAddMinutes(full, start(i), EIGHT_HOURS));
  const threeBusinessDaysMicros = micros(100_000, (i) => full.addBusinessDays(start(i), 3));
  const fullColdMicros = micros(500, (i) =>
    compileCalendar('cold', FULL_SPEC).addMinutes(start(i), EIGHT_HOURS),
  );
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    holidays: HOLIDAYS.length,
    targetMinutes: EIGHT_HOURS,
    compiledMicros: round(compiledMicros),
    naiveMicros: round(naiveMicros),
    speedup: Math.round(naiveMicros / compiledMicros),
    fiveBusinessDaysMicros: round(fiveDayMicros),
    coldCompileAndDeadlineMicros: round(coldMicros),
    // The same, with 40 holidays, two breaks a day and 24 special days (half days, Saturdays).
    withBreaks: `${FORTY_HOLIDAYS.length} holidays, ${Object.keys(SPECIAL_HOURS).length} special days`,
    withBreaksCompiledMicros: round(fullMicros),
    withBreaksNaiveMicros: round(fullNaiveMicros),
    withBreaksSpeedup: Math.round(fullNaiveMicros / fullMicros),
    threeBusinessDaysMicros: round(threeBusinessDaysMicros),
    withBreaksColdCompileAndDeadlineMicros: round(fullColdMicros),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchDeadline());
