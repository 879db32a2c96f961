import { DateTime } from 'luxon';

export type PeriodUnit = 'week' | 'month' | 'quarter' | 'year' | 'term';
export type ResetAnchor = 'calendar' | 'anniversary';

export interface PeriodRule {
  unit: PeriodUnit;
  reset: ResetAnchor;
  timeZone: string;
  weekStartsOn: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  /** The contract's first day, a local date. */
  contractStart: string;
  /** The contract's last day (inclusive), or null when open-ended. */
  contractEnd: string | null;
}

export interface Period {
  /** Local midnight, epoch ms, inclusive. */
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

const MONTHS: Record<'month' | 'quarter' | 'year', number> = { month: 1, quarter: 3, year: 12 };

function period(prefix: string, start: DateTime, end: DateTime | null, zone: string): Period {
  const endMs = end ? end.toMillis() : Infinity;
  return {
    start: start.toMillis(),
    end: endMs,
    key: `${prefix}-${start.toISODate()}`,
    label: {
      start: start.toISODate()!,
      end: end ? DateTime.fromMillis(endMs - 1, { zone }).toISODate() : null,
    },
    iso: {
      start: new Date(start.toMillis()).toISOString(),
      end: end ? new Date(endMs).toISOString() : null,
    },
  };
}

/** Local midnight of a calendar date in the zone (never 24 h arithmetic: days vary with DST). */
const midnight = (date: string, zone: string) => DateTime.fromISO(date, { zone }).startOf('day');

function anniversary(rule: PeriodRule, at: DateTime): Period {
  const zone = rule.timeZone;
  const base = midnight(rule.contractStart, zone);
  const unit = rule.unit as Exclude<PeriodUnit, 'term'>;
  if (unit === 'week') {
    const days = Math.round(at.startOf('day').diff(base, 'days').days);
    const k = Math.floor(days / 7);
    return period('aweek', base.plus({ days: 7 * k }), base.plus({ days: 7 * (k + 1) }), zone);
  }
  const step = MONTHS[unit];
  // Every period boundary is counted from the original start, so a 31st comes back to the 31st.
  const boundary = (k: number) => base.plus({ months: k * step });
  let k = Math.floor(((at.year - base.year) * 12 + (at.month - base.month)) / step);
  while (boundary(k) > at) k--;
  while (boundary(k + 1) <= at) k++;
  return period(`a${unit}`, boundary(k), boundary(k + 1), zone);
}

function calendar(rule: PeriodRule, at: DateTime): Period {
  const zone = rule.timeZone;
  if (rule.unit === 'week') {
    const back = (at.weekday - rule.weekStartsOn + 7) % 7;
    const start = at.startOf('day').minus({ days: back });
    return period('week', start, start.plus({ days: 7 }), zone);
  }
  const unit = rule.unit as 'month' | 'quarter' | 'year';
  const start = at.startOf(unit);
  return period(unit, start, start.plus({ months: MONTHS[unit] }), zone);
}

/** The period of a quota limit that contains the instant, in the tenant's zone. Total and pure. */
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

function computePeriod(rule: PeriodRule, atMs: number): Period {
  const zone = rule.timeZone;
  if (rule.unit === 'term') {
    const end = rule.contractEnd ? midnight(rule.contractEnd, zone).plus({ days: 1 }) : null;
    return period('term', midnight(rule.contractStart, zone), end, zone);
  }
  const at = DateTime.fromMillis(atMs, { zone });
  return rule.reset === 'anniversary' ? anniversary(rule, at) : calendar(rule, at);
}
