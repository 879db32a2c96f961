import Holidays from 'date-holidays';
import { localDateOf } from './local-date.js';

/** Where public holidays come from: a country and, optionally, its state and region. */
export interface HolidayRegion {
  country: string;
  state?: string;
  region?: string;
}

const DAY_MS = 86_400_000;
/** Holiday dates per region and year, shared by every calendar that names the same region. */
const byRegionYear = new Map<string, ReadonlySet<string>>();
const MAX_CACHED_YEARS = 2_000;
const engines = new Map<string, Holidays>();

const keyOf = (r: HolidayRegion) => [r.country, r.state ?? '', r.region ?? ''].join('/');

function engine(region: HolidayRegion): Holidays {
  const key = keyOf(region);
  let hd = engines.get(key);
  if (!hd) {
    // Public holidays only: observances, optional, school and bank days keep their hours.
    // (init accepts any name; the config schema checks the region with holidayRegionProblem.)
    hd = new Holidays(region.country, region.state ?? '', region.region ?? '', {
      types: ['public'],
    });
    engines.set(key, hd);
  }
  return hd;
}

/**
 * The local dates ('YYYY-MM-DD') of the region's public holidays in one year, as the region
 * keeps them (a holiday that starts at noon closes its whole date, one that spans days closes
 * each of them). Computed once per region and year, on first use.
 */
export function publicHolidays(region: HolidayRegion, year: number): ReadonlySet<string> {
  const key = `${keyOf(region)}@${year}`;
  let dates = byRegionYear.get(key);
  if (!dates) {
    const set = new Set<string>();
    const hd = engine(region);
    // The zone date-holidays computes the region's holidays in (none: the process's own zone).
    const zone = hd.getTimezones()[0] ?? 'local';
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const first = h.date.slice(0, 10);
      // Every local date from the first to the one holding the last instant (end is exclusive).
      // Counted as dates, not 24-hour steps, so a 25-hour day at a DST change stays one date.
      set.add(first);
      const last = localDateOf(h.end.getTime() - 1, zone);
      for (let date = plusDays(first, 1); date <= last; date = plusDays(date, 1)) set.add(date);
    }
    if (region.country === 'JP') addCitizensHolidays(set);
    dates = set;
    if (byRegionYear.size >= MAX_CACHED_YEARS) byRegionYear.clear();
    byRegionYear.set(key, dates);
  }
  return dates;
}

const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * Japan's law makes a day between two national holidays a holiday too (国民の休日). date-holidays
 * knows the ones up to 2026 but misses later ones (2032-09-21, 2049-09-21, found by comparing
 * with @holiday-jp/holiday_jp), so the rule is applied here; a Sunday is left as it is.
 */
function addCitizensHolidays(set: Set<string>): void {
  for (const date of [...set]) {
    const between = plusDays(date, 1);
    if (set.has(between) || !set.has(plusDays(date, 2))) continue;
    if (new Date(`${between}T00:00:00Z`).getUTCDay() !== 0) set.add(between);
  }
}

/** What is wrong with a region, and which of its fields it is about; null when date-holidays knows it. */
export function holidayRegionProblem(
  region: HolidayRegion,
): { path: keyof HolidayRegion; message: string } | null {
  const hd = new Holidays();
  const countries = hd.getCountries('en');
  if (!(region.country in countries)) {
    return {
      path: 'country',
      message: `unknown country '${region.country}' for public holidays (ISO 3166-1 alpha-2, such as JP, US, DE)`,
    };
  }
  if (region.state !== undefined) {
    const states = hd.getStates(region.country, 'en') ?? {};
    if (!(region.state in states)) {
      const list = Object.keys(states).slice(0, 12).join(', ');
      return {
        path: 'state',
        message: `unknown state '${region.state}' of ${region.country}${list ? ` (known: ${list}${Object.keys(states).length > 12 ? ', …' : ''})` : ': it has none'}`,
      };
    }
  }
  if (region.region !== undefined) {
    if (region.state === undefined) return { path: 'region', message: 'a region needs its state' };
    const regions = hd.getRegions(region.country, region.state, 'en') ?? {};
    if (!(region.region in regions)) {
      return {
        path: 'region',
        message: `unknown region '${region.region}' of ${region.country}-${region.state}`,
      };
    }
  }
  return null;
}
