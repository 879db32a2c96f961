import { DateTime } from 'luxon';
import { normalizePaused, walkSegment, type Paused } from './open-time-walk.js';

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
  /** The instant `minutes` business minutes after startMs; Infinity if the clock never gets there. */
  addMinutes(startMs: number, minutes: number, paused?: Paused): number;
  /** Business minutes between two instants, closed and paused time removed. */
  minutesBetween(fromMs: number, toMs: number, paused?: Paused): number;
  isOpen(ms: number): boolean;
}

const DAY_MS = 86_400_000;
const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday of a day number (days since 1970-01-01, a Thursday). */
const weekdayOf = (day: number) => ((((day % 7) + 7 + 3) % 7) + 1) as Weekday;

interface Day {
  /** Local midnight as epoch ms. */
  start: number;
  /** Open spans as epoch-ms pairs, in order. */
  open: number[];
}

type Walk = (
  fromMs: number,
  paused: Paused,
  consume: (t: number, len: number) => boolean,
) => unknown;

/** addMinutes and minutesBetween over any way of walking open time. */
function measures(walk: Walk) {
  return {
    addMinutes(startMs: number, minutes: number, paused: Paused = []) {
      if (!(minutes > 0)) return startMs;
      let left = minutes * 60_000;
      let due = Infinity;
      walk(startMs, paused, (t, len) => {
        if (len < left) {
          left -= len;
          return false;
        }
        due = t + left;
        return true;
      });
      return due;
    },
    minutesBetween(fromMs: number, toMs: number, paused: Paused = []) {
      if (!(toMs > fromMs)) return 0;
      let total = 0;
      walk(fromMs, paused, (t, len) => {
        if (t >= toMs) return true;
        total += Math.min(len, toMs - t);
        return t + len >= toMs;
      });
      return total / 60_000;
    },
  };
}

/** Stop walking when this many days in a row are closed past the last holiday. */
const NEVER_OPEN_AFTER_DAYS = 8;

/**
 * Compiles a weekly calendar with holidays in its own zone. Days are built lazily (luxon only
 * then) and memoised as UTC spans, so a deadline is a walk over a few cached days.
 */
export function compileCalendar(id: string, spec: CalendarSpec): BusinessCalendar {
  const zone = spec.timeZone;
  const holidays = new Set(spec.holidays);
  const lastHoliday = spec.holidays.reduce(
    (max, d) => Math.max(max, Date.parse(`${d}T00:00:00Z`) / DAY_MS),
    -Infinity,
  );
  const anyHours = Object.values(spec.hours).some((h) => h && h.length > 0);
  const days = new Map<number, Day>();

  const localMs = (day: number, minute: number) => {
    const date = new Date(day * DAY_MS);
    return DateTime.fromObject(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: Math.floor(minute / 60),
        minute: minute % 60,
      },
      { zone },
    ).toMillis();
  };

  const dayStart = (day: number) => dayInfo(day).start;

  function dayInfo(day: number): Day {
    let info = days.get(day);
    if (info) return info;
    const start = localMs(day, 0);
    const open: number[] = [];
    if (!holidays.has(isoDate(day))) {
      for (const { start: from, end: to } of spec.hours[weekdayOf(day)] ?? []) {
        const a = localMs(day, from);
        const b = to >= 1440 ? localMs(day + 1, 0) : localMs(day, to);
        if (b > a) open.push(a, b);
      }
    }
    info = { start, open };
    days.set(day, info);
    return info;
  }

  /** The local day an instant falls on. */
  function dayOf(ms: number): number {
    let day = Math.floor(ms / DAY_MS);
    while (ms < dayStart(day)) day--;
    while (ms >= dayStart(day + 1)) day++;
    return day;
  }

  /** Feeds each counted stretch at or after `fromMs` to `consume` until it returns true. */
  function walk(fromMs: number, paused: Paused, consume: (t: number, len: number) => boolean) {
    const spans = normalizePaused(paused);
    const state = { pause: 0 };
    let closedRun = 0;
    for (let day = dayOf(fromMs); ; day++) {
      const { open } = dayInfo(day);
      closedRun = open.length === 0 ? closedRun + 1 : 0;
      if (!anyHours || (closedRun >= NEVER_OPEN_AFTER_DAYS && day > lastHoliday)) {
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
    ...measures(walk),
    isOpen(ms) {
      const { open } = dayInfo(dayOf(ms));
      for (let i = 0; i < open.length; i += 2) if (ms >= open[i]! && ms < open[i + 1]!) return true;
      return false;
    },
  };
}

/** The built-in calendar that never closes: plain arithmetic, minus paused spans. */
export function alwaysOpenCalendar(id = '24x7'): BusinessCalendar {
  function walk(fromMs: number, paused: Paused, consume: (t: number, len: number) => boolean) {
    return walkSegment(fromMs, Infinity, normalizePaused(paused), { pause: 0 }, consume);
  }
  return {
    id,
    timeZone: 'UTC',
    ...measures(walk),
    isOpen: () => true,
  };
}
