// A business-hours deadline on a compiled calendar vs stepping minute by minute, same run.
import {
  compileCalendar,
  type BusinessCalendar,
  type Weekday,
} from '../../worker/rules/calendar/compile-calendar.js';

const HOLIDAYS = Array.from({ length: 30 }, (_, i) =>
  new Date(Date.UTC(2026, 0, 1 + Math.floor((i * 365) / 30))).toISOString().slice(0, 10),
);

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

function micros(iterations: number, fn: (i: number) => number): number {
  let sink = 0;
  for (let i = 0; i < Math.min(iterations, 200); i++) sink += fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += fn(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  if (sink === 42) console.log(''); // keep the work observable
  return us;
}

export async function benchDeadline() {
  const weekday = { start: 540, end: 1080 };
  const calendar = compileCalendar('bench', {
    timeZone: 'America/New_York',
    hours: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [weekday]])) as Partial<
      Record<Weekday, { start: number; end: number }[]>
    >,
    holidays: HOLIDAYS,
  });
  // Deterministic pseudo-random starts across 2026.
  let seed = 7;
  const starts = Array.from({ length: 4096 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Date.UTC(2026, 0, 1) + (seed % (364 * 24 * 60)) * 60_000;
  });
  const target = 8 * 60;
  for (const s of starts.slice(0, 50)) {
    if (calendar.addMinutes(s, target) !== naiveAddMinutes(calendar, s, target)) {
      throw new Error('compiled and naive deadlines disagree');
    }
  }
  const compiledMicros = micros(200_000, (i) => calendar.addMinutes(starts[i % 4096]!, target));
  const fiveDayMicros = micros(100_000, (i) => calendar.addMinutes(starts[i % 4096]!, 5 * 9 * 60));
  const naiveMicros = micros(300, (i) => naiveAddMinutes(calendar, starts[i % 4096]!, target));
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    holidays: HOLIDAYS.length,
    targetMinutes: target,
    compiledMicros: round(compiledMicros),
    fiveBusinessDaysMicros: round(fiveDayMicros),
    naiveMicros: round(naiveMicros),
    speedup: Math.round(naiveMicros / compiledMicros),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchDeadline());
