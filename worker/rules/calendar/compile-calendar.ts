import { dayClock, zoneNamed } from './local-instant.js';
import {
  measures,
  walkSegment,
  type Consume,
  type Paused,
  type WalkEnd,
} from './open-time-walk.js';

export type { Paused } from './open-time-walk.js';
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: 1 = Monday
export interface OpenInterval {
  start: number; // minutes from local midnight
  end: number; // exclusive, at most 1440
}
export interface CalendarSpec {
  timeZone: string;
  hours: Partial<Record<Weekday, OpenInterval[]>>;
  /** Local dates 'YYYY-MM-DD' closed all day. */
  holidays: string[];
}
export interface BusinessCalendar {
  readonly id: string;
  readonly timeZone: string;
  /**
   * The instant `minutes` business minutes after startMs, skipping closed, holiday and paused
   * time. The clock starts at the first open, unpaused instant at or after startMs, so 0 minutes
   * gives that instant (startMs itself when open and not paused); Infinity if the clock is paused
   * for good first, or never opens again.
   */
  addMinutes(startMs: number, minutes: number, paused?: Paused): number;
  /** Business minutes between two instants (0 if toMs <= fromMs), closed and paused time removed. */
  minutesBetween(fromMs: number, toMs: number, paused?: Paused): number;
  /** Whether the instant falls in open hours on a day that is not a holiday. */
  isOpen(ms: number): boolean;
}

const DAY_MS = 86_400_000;
/** ISO weekday of a day number (days since 1970-01-01, a Thursday). */
const weekdayOf = (day: number) => ((((day % 7) + 7 + 3) % 7) + 1) as Weekday;
/** A walk that finds this many closed ordinary days in a row (past every holiday) gives up. */
const NEVER_OPEN_AFTER_DAYS = 14;
/** Memoised days per calendar; the cache is dropped when it grows past this. */
const MAX_CACHED_DAYS = 20_000;

/** One local date: its first instant and its open spans as epoch-ms pairs, in order. */
interface Day {
  start: number;
  open: number[];
}

/**
 * Compiles a weekly calendar with holidays in its own zone. Day numbers count local dates from
 * 1970-01-01; each day is built once, lazily (the only place luxon is used), and memoised as UTC
 * spans, so a deadline is a walk over a few cached days. Local times map to the first instant
 * the wall clock shows them (see firstInstantAt), so open time is real elapsed time.
 */
export function compileCalendar(id: string, spec: CalendarSpec): BusinessCalendar {
  const zone = spec.timeZone;
  const luxonZone = zoneNamed(zone);
  if (!luxonZone.isValid) throw new Error(`calendar ${id}: unknown zone ${zone}`);
  const holidays = new Set(
    spec.holidays.map((d) => Date.parse(`${d}T00:00:00Z`) / DAY_MS).filter(Number.isInteger),
  );
  const lastHoliday = [...holidays].reduce((a, b) => Math.max(a, b), -Infinity);
  const weekly = ([1, 2, 3, 4, 5, 6, 7] as const).map((d) =>
    [...(spec.hours[d] ?? [])].sort((a, b) => a.start - b.start),
  );
  const everOpen = weekly.some((intervals) => intervals.some((i) => i.end > i.start));
  const days = new Map<number, Day>();

  function build(day: number): Day {
    const localMs = dayClock(luxonZone, day * DAY_MS);
    const start = localMs(0);
    const next = localMs(1440); // the next local midnight
    const open: number[] = [];
    if (!holidays.has(day)) {
      for (const interval of weekly[weekdayOf(day) - 1]!) {
        // Clamp to the day itself (a day skipped by a zone change has no time of its own).
        const a = Math.max(start, localMs(interval.start));
        const b = Math.min(next, localMs(Math.min(interval.end, 1440)));
        if (!(b > a)) continue;
        const last = open.length - 1;
        if (last > 0 && a <= open[last]!) open[last] = Math.max(open[last]!, b);
        else open.push(a, b);
      }
    }
    return { start, open };
  }

  function dayInfo(day: number): Day {
    let info = days.get(day);
    if (!info) {
      if (days.size >= MAX_CACHED_DAYS) days.clear();
      info = build(day);
      days.set(day, info);
    }
    return info;
  }

  /** The local day an instant falls on. */
  function dayOf(ms: number): number {
    let day = Math.floor(ms / DAY_MS);
    while (ms < dayInfo(day).start) day--;
    while (ms >= dayInfo(day + 1).start) day++;
    return day;
  }

  function walk(fromMs: number, spans: [number, number][], consume: Consume): WalkEnd {
    const state = { pause: 0 };
    let closedRun = 0;
    for (let day = dayOf(fromMs); ; day++) {
      const { open } = dayInfo(day);
      closedRun = open.length === 0 ? closedRun + 1 : 0;
      if (closedRun >= NEVER_OPEN_AFTER_DAYS && day - NEVER_OPEN_AFTER_DAYS >= lastHoliday) {
        return 'never-open';
      }
      for (let i = 0; i < open.length; i += 2) {
        const end = open[i + 1]!;
        if (end <= fromMs) continue;
        const result = walkSegment(Math.max(open[i]!, fromMs), end, spans, state, consume);
        if (result !== 'continue') return result;
      }
    }
  }

  return {
    id,
    timeZone: zone,
    ...measures(walk, everOpen),
    isOpen(ms) {
      if (!Number.isFinite(ms)) return false;
      const { open } = dayInfo(dayOf(ms));
      for (let i = 0; i < open.length; i += 2) if (ms >= open[i]! && ms < open[i + 1]!) return true;
      return false;
    },
  };
}

/** The built-in calendar that never closes: plain arithmetic, minus paused spans. */
export function alwaysOpenCalendar(id = '24x7'): BusinessCalendar {
  return {
    id,
    timeZone: 'UTC',
    ...measures(
      (fromMs, spans, consume) => walkSegment(fromMs, Infinity, spans, { pause: 0 }, consume),
      true,
    ),
    isOpen: () => true,
  };
}
