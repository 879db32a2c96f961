import { dayClock, zoneNamed } from './local-instant.js';
import {
  measures,
  normalizePaused,
  walkSegment,
  type Consume,
  type Paused,
  type WalkEnd,
} from './open-time-walk.js';
import { publicHolidays, type HolidayRegion } from './public-holidays.js';

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
  /** Closed spans inside the weekday's hours (lunch); not applied on a date with special hours. */
  breaks?: Partial<Record<Weekday, OpenInterval[]>>;
  /** A region whose public holidays (date-holidays) close their whole local date. */
  publicHolidays?: HolidayRegion;
  /** Local dates open with their weekday's hours even though a public holiday falls on them. */
  openDates?: string[];
  /** Local dates whose open spans replace the weekday's hours ([] closes the date). */
  specialHours?: Record<string, OpenInterval[]>;
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
  /**
   * The close of the `days`-th open day after the day the clock starts on (see addMinutes), as
   * a count of local dates: 0 is the close of that first day, 1 the close of the next open day,
   * and so on. A day counts only when the clock is running at its close (its last open instant
   * is not paused), so a pause over a closing time carries the due to a later day. Breaks,
   * special hours and holidays shape the days; DST only moves the closing instant. Infinity when
   * paused for good first, or never open.
   */
  addBusinessDays(startMs: number, days: number, paused?: Paused): number;
  /** Whether the instant falls in open hours on a day that is not a holiday. */
  isOpen(ms: number): boolean;
  /** The open spans [fromMs, toMs) of one local date 'YYYY-MM-DD', in order. */
  openSpansOn(date: string): [number, number][];
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** A week of public holidays could in theory close every opening for a while; not for a year. */
const NEVER_OPEN_AFTER_DAYS_WITH_PUBLIC_HOLIDAYS = 400;

/** Intervals in order of their start (a copy). */
export const byStart = <T extends OpenInterval>(intervals: readonly T[]): T[] =>
  [...intervals].sort((a, b) => a.start - b.start);

/**
 * The intervals minus the closed spans, as the pieces left of each interval in turn. `closed`
 * must be sorted by start (it may overlap); sorted, non-overlapping intervals give sorted output.
 */
export function subtract(
  intervals: readonly OpenInterval[],
  closed: readonly OpenInterval[],
): OpenInterval[] {
  const out: OpenInterval[] = [];
  for (const { start, end } of intervals) {
    let from = start;
    for (const b of closed) {
      if (b.end <= from || b.start >= end) continue;
      if (b.start > from) out.push({ start: from, end: b.start });
      from = Math.max(from, b.end);
    }
    if (end > from) out.push({ start: from, end });
  }
  return out;
}

/** What decides a local date's hours (see dayKind). */
export type DayKind = 'special' | 'holiday' | 'public-holiday-open' | 'public-holiday' | 'weekday';

/** A spec's date lists as sets, built once per spec. */
const dateSets = new WeakMap<CalendarSpec, { holidays: Set<string>; open: Set<string> }>();
function datesOf(spec: CalendarSpec): { holidays: Set<string>; open: Set<string> } {
  let sets = dateSets.get(spec);
  if (!sets) {
    sets = { holidays: new Set(spec.holidays), open: new Set(spec.openDates ?? []) };
    dateSets.set(spec, sets);
  }
  return sets;
}

/**
 * What decides the hours of a local date 'YYYY-MM-DD', the first that applies: its special hours,
 * a listed holiday (closed), a public holiday worked anyway (its weekday's hours), a public
 * holiday (closed), else its weekday's hours.
 */
export function dayKind(spec: CalendarSpec, date: string): DayKind {
  if (spec.specialHours && Object.hasOwn(spec.specialHours, date)) return 'special';
  const { holidays, open } = datesOf(spec);
  if (holidays.has(date)) return 'holiday';
  const region = spec.publicHolidays;
  if (!region || !publicHolidays(region, Number(date.slice(0, 4))).has(date)) return 'weekday';
  return open.has(date) ? 'public-holiday-open' : 'public-holiday';
}

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
  const dayNumbers = (dates: string[] | undefined) =>
    new Set((dates ?? []).map(dayNumber).filter(Number.isInteger));
  const holidays = dayNumbers(spec.holidays);
  const openDates = dayNumbers(spec.openDates);
  const specials = new Map<number, OpenInterval[]>();
  for (const [date, intervals] of Object.entries(spec.specialHours ?? {})) {
    const day = dayNumber(date);
    if (Number.isInteger(day)) specials.set(day, byStart(intervals));
  }
  const region = spec.publicHolidays;
  // Past the last listed date, a long enough closed run means the calendar never opens again.
  const lastListed = [...holidays, ...openDates, ...specials.keys()].reduce(
    (a, b) => Math.max(a, b),
    -Infinity,
  );
  const giveUpAfter = region ? NEVER_OPEN_AFTER_DAYS_WITH_PUBLIC_HOLIDAYS : NEVER_OPEN_AFTER_DAYS;
  const weekly = ([1, 2, 3, 4, 5, 6, 7] as const).map((d) =>
    subtract(byStart(spec.hours[d] ?? []), byStart(spec.breaks?.[d] ?? [])),
  );
  const everOpen = [...weekly, ...specials.values()].some((intervals) =>
    intervals.some((i) => i.end > i.start),
  );

  function intervalsOn(day: number): OpenInterval[] {
    switch (dayKind(spec, dateOfDay(day))) {
      case 'special':
        return specials.get(day)!;
      case 'holiday':
      case 'public-holiday':
        return [];
      default:
        return weekly[weekdayOf(day) - 1]!;
    }
  }
  const days = new Map<number, Day>();

  function build(day: number): Day {
    const localMs = dayClock(luxonZone, day * DAY_MS);
    const start = localMs(0);
    const next = localMs(1440); // the next local midnight
    const open: number[] = [];
    for (const interval of intervalsOn(day)) {
      // Clamp to the day itself (a day skipped by a zone change has no time of its own).
      const a = Math.max(start, localMs(interval.start));
      const b = Math.min(next, localMs(Math.min(interval.end, 1440)));
      if (!(b > a)) continue;
      const last = open.length - 1;
      if (last > 0 && a <= open[last]!) open[last] = Math.max(open[last]!, b);
      else open.push(a, b);
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
      if (closedRun >= giveUpAfter && day - giveUpAfter >= lastListed) {
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
    addBusinessDays(startMs, days, paused = []) {
      if (!(days >= 0) || !Number.isFinite(startMs)) return startMs;
      if (days === Infinity || !everOpen) return Infinity;
      const n = Math.floor(days);
      let firstDay = NaN;
      let counted = 0;
      let due = Infinity;
      // Each counted stretch lies inside one open span of one day: a stretch that ends at the
      // day's last open instant means the clock is running at that day's close.
      walk(startMs, normalizePaused(paused), (t, len) => {
        const day = dayOf(t);
        if (Number.isNaN(firstDay)) firstDay = day;
        const { open } = dayInfo(day);
        if (t + len !== open[open.length - 1]) return false;
        if (day !== firstDay) counted++;
        if (counted < n) return false;
        due = t + len;
        return true;
      });
      return due;
    },
    isOpen(ms) {
      if (!Number.isFinite(ms)) return false;
      const { open } = dayInfo(dayOf(ms));
      for (let i = 0; i < open.length; i += 2) if (ms >= open[i]! && ms < open[i + 1]!) return true;
      return false;
    },
    openSpansOn(date) {
      const day = dayNumber(date);
      if (!Number.isInteger(day)) return [];
      const { open } = dayInfo(day);
      const spans: [number, number][] = [];
      for (let i = 0; i < open.length; i += 2) spans.push([open[i]!, open[i + 1]!]);
      return spans;
    },
  };
}

/**
 * The built-in calendar that never closes: plain arithmetic, minus paused spans. With no closing
 * time, a business day here is 24 hours of running clock (3 business days = '3d').
 */
export function alwaysOpenCalendar(id = '24x7'): BusinessCalendar {
  const measured = measures(
    (fromMs, spans, consume) => walkSegment(fromMs, Infinity, spans, { pause: 0 }, consume),
    true,
  );
  return {
    id,
    timeZone: 'UTC',
    ...measured,
    addBusinessDays: (startMs, days, paused) =>
      measured.addMinutes(startMs, Math.floor(days) * 1440, paused),
    isOpen: () => true,
    openSpansOn(date) {
      const day = dayNumber(date);
      return Number.isInteger(day) ? [[day * DAY_MS, (day + 1) * DAY_MS]] : [];
    },
  };
}
