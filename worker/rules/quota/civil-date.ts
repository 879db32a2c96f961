import type { Zone } from 'luxon';
import { firstInstantAt } from '../calendar/local-instant.js';

/** A calendar date with no zone attached (month 1-12). */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

// Dates are stepped as UTC midnights. UTC has no DST, so these are pure calendar steps; instants
// in a tenant's zone only come from firstInstantAt, never from adding milliseconds.
const utcMs = (year: number, month: number, day: number): number =>
  new Date(0).setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0-99 stay as given

function fromUtcMs(ms: number): CivilDate {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const UTC_DAY_MS = 86_400_000; // only ever applied to UTC midnights, where every day has this length

/** 'YYYY-MM-DD' → date; throws on anything else, including impossible dates like 2026-02-30. */
export function parseCivilDate(text: string): CivilDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!date || formatCivilDate(fromUtcMs(utcMs(date.year, date.month, date.day))) !== text) {
    throw new RangeError(`expected a date as YYYY-MM-DD, got '${text}'`);
  }
  return date;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const formatCivilDate = (d: CivilDate): string =>
  `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;

export const addDays = (d: CivilDate, days: number): CivilDate =>
  fromUtcMs(utcMs(d.year, d.month, d.day + days));

/** Whole months later (or earlier); the day is clamped to the target month, so Jan 31 + 1 = Feb 28. */
export function addMonths(d: CivilDate, months: number): CivilDate {
  const index = d.year * 12 + d.month - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const lastDay = new Date(utcMs(year, month + 1, 0)).getUTCDate();
  return { year, month, day: Math.min(d.day, lastDay) };
}

/** Calendar days from `a` to `b` (negative when b is earlier). */
export const daysBetween = (a: CivilDate, b: CivilDate): number =>
  Math.round((utcMs(b.year, b.month, b.day) - utcMs(a.year, a.month, a.day)) / UTC_DAY_MS);

/** Negative, zero or positive as `a` is before, on or after `b`. */
export const compareCivil = (a: CivilDate, b: CivilDate): number =>
  a.year - b.year || a.month - b.month || a.day - b.day;

/** The date on the wall in `zone` at instant `ms`. */
export const civilDateAt = (zone: Zone, ms: number): CivilDate =>
  fromUtcMs(ms + zone.offset(ms) * 60_000);

/**
 * The first instant of a local date: its midnight, or when midnight is skipped by a DST jump the
 * moment of the jump, or when midnight happens twice the first time.
 */
export const startOfCivilDay = (zone: Zone, d: CivilDate): number =>
  firstInstantAt(zone, utcMs(d.year, d.month, d.day));
