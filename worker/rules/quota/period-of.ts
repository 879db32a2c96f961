import { zoneNamed } from '../calendar/local-instant.js';
import {
  addDays,
  addMonths,
  civilDateAt,
  compareCivil,
  daysBetween,
  formatCivilDate,
  parseCivilDate,
  startOfCivilDay,
  type CivilDate,
} from './civil-date.js';

export type PeriodUnit = 'week' | 'month' | 'quarter' | 'year' | 'term';
export type ResetAnchor = 'calendar' | 'anniversary';

export interface PeriodRule {
  unit: PeriodUnit;
  reset: ResetAnchor;
  timeZone: string;
  /** ISO weekday a calendar week starts on, 1 = Monday. */
  weekStartsOn: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  /** The contract's first day, a local date. */
  contractStart: string;
  /** The contract's last day (inclusive), or null when open-ended. */
  contractEnd: string | null;
}

export interface Period {
  /** First instant of the first day (local midnight), epoch ms, inclusive. */
  start: number;
  /** Exclusive; Infinity for an open-ended term. */
  end: number;
  /** Stable and readable, no ':' — 'month-2026-11-01', 'amonth-2026-01-31', 'term-2026-04-01'. */
  key: string;
  /** Local dates, end inclusive (null when open). */
  label: { start: string; end: string | null };
  /** start and end as ISO instants, formatted once per period. */
  iso: { start: string; end: string | null };
}

/**
 * Periods of one rule as a sequence: period k runs from boundary(k) to boundary(k + 1), each
 * boundary counted from `base` (never from the previous boundary, so Jan 31 monthly comes back to
 * the 31st after February).
 */
interface Sequence {
  base: CivilDate;
  days: number; // step in days (weeks), or 0
  months: number; // step in months, or 0
}

const MONTHS = { month: 1, quarter: 3, year: 12 } as const;
const MONDAY: CivilDate = { year: 1970, month: 1, day: 5 };
const NEW_YEAR: CivilDate = { year: 1970, month: 1, day: 1 };

function sequenceOf(rule: PeriodRule, unit: Exclude<PeriodUnit, 'term'>): Sequence {
  const days = unit === 'week' ? 7 : 0;
  const months = unit === 'week' ? 0 : MONTHS[unit];
  // Calendar periods are anniversary periods of a fixed base: a Monday (shifted to the configured
  // first weekday) for weeks, a New Year's Day for months, quarters and years.
  const calendarBase = unit === 'week' ? addDays(MONDAY, rule.weekStartsOn - 1) : NEW_YEAR;
  const base = rule.reset === 'anniversary' ? parseCivilDate(rule.contractStart) : calendarBase;
  return { base, days, months };
}

const boundary = (s: Sequence, k: number): CivilDate =>
  s.days ? addDays(s.base, k * s.days) : addMonths(s.base, k * s.months);

/** The index of the period holding local date `date`. */
function indexOf(s: Sequence, date: CivilDate): number {
  if (s.days) return Math.floor(daysBetween(s.base, date) / s.days);
  const months = (date.year - s.base.year) * 12 + date.month - s.base.month;
  let k = Math.floor(months / s.months);
  // The estimate ignores the day of the month; correct it (at most one step) by comparing dates.
  while (compareCivil(boundary(s, k), date) > 0) k--;
  while (compareCivil(boundary(s, k + 1), date) <= 0) k++;
  return k;
}

/** A period over local dates [from, to) whose bounds are the instants `start` and `end`. */
function makePeriod(
  prefix: string,
  from: CivilDate,
  to: CivilDate | null,
  start: number,
  end: number,
): Period {
  const label = formatCivilDate(from);
  return {
    start,
    end,
    key: `${prefix}-${label}`,
    label: { start: label, end: to ? formatCivilDate(addDays(to, -1)) : null },
    iso: { start: new Date(start).toISOString(), end: to ? new Date(end).toISOString() : null },
  };
}

function computePeriod(rule: PeriodRule, atMs: number): Period {
  const zone = zoneNamed(rule.timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone '${rule.timeZone}'`);
  if (rule.unit === 'term') {
    // One period for the whole contract, whatever the instant.
    const from = parseCivilDate(rule.contractStart);
    const to = rule.contractEnd === null ? null : addDays(parseCivilDate(rule.contractEnd), 1);
    const end = to ? startOfCivilDay(zone, to) : Infinity;
    return makePeriod('term', from, to, startOfCivilDay(zone, from), end);
  }
  if (!Number.isFinite(atMs)) throw new RangeError(`not an instant: ${atMs}`);
  const s = sequenceOf(rule, rule.unit);
  let k = indexOf(s, civilDateAt(zone, atMs));
  // Check against instants too, so each period holds exactly the instants from its start to the
  // next one's, even where a DST change makes the wall-clock date step back.
  let start = startOfCivilDay(zone, boundary(s, k));
  let end = startOfCivilDay(zone, boundary(s, k + 1));
  while (atMs < start) {
    k--;
    end = start;
    start = startOfCivilDay(zone, boundary(s, k));
  }
  while (atMs >= end) {
    k++;
    start = end;
    end = startOfCivilDay(zone, boundary(s, k + 1));
  }
  const prefix = rule.reset === 'anniversary' ? `a${rule.unit}` : rule.unit;
  return makePeriod(prefix, boundary(s, k), boundary(s, k + 1), start, end);
}

/**
 * The period of a quota limit that contains instant `atMs`, in the tenant's zone. Pure. Periods
 * before the contract start exist too. A 'term' has a single period, returned for any instant.
 */
export function periodOf(rule: PeriodRule, atMs: number): Period {
  return computePeriod(rule, atMs);
}

/**
 * A finder for one rule that remembers the last period it returned: almost every event falls in
 * the current period, so most calls are two comparisons.
 */
export function createPeriodFinder(rule: PeriodRule): (atMs: number) => Period {
  let last: Period | null = null;
  return (atMs) => {
    if (last && last.start <= atMs && atMs < last.end) return last;
    last = computePeriod(rule, atMs);
    return last;
  };
}
