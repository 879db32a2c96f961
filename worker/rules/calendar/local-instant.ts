import { Info, type Zone } from 'luxon';

const HOUR_MS = 3_600_000;

/** The luxon zone for an IANA name; invalid names give a zone whose offsets are NaN. */
export const zoneNamed = (name: string): Zone => Info.normalizeZone(name);

/** The zone's UTC offset in ms at an instant (NaN for an invalid zone or instant). */
function offsetAt(zone: Zone, ms: number): number {
  return zone.isValid ? zone.offset(ms) * 60_000 : NaN;
}

/**
 * The first instant at which the clock on the wall in `zone` shows `wall` or later, where `wall`
 * is a local date-time written as epoch ms as if the zone were UTC. So an ordinary time maps to
 * its one instant, a time repeated when clocks go back maps to its first occurrence, and a time
 * skipped when clocks go forward maps to the end of the gap (the moment the clocks jump).
 */
export function firstInstantAt(zone: Zone, wall: number): number {
  const before = offsetAt(zone, wall - 30 * HOUR_MS);
  const after = offsetAt(zone, wall + 30 * HOUR_MS);
  let best = NaN;
  for (const offset of before === after ? [before] : [before, after]) {
    const ms = wall - offset;
    if (offsetAt(zone, ms) === offset && !(ms >= best)) best = ms;
  }
  if (!Number.isNaN(best)) return best;
  if (!(after > before)) return wall - before; // two changes within a day or so: rare, approximate
  // A gap: before the jump the wall reads earlier than `wall`, after it later. Find the jump.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + offsetAt(zone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * firstInstantAt for the minutes of one local day (0..1440) starting at wall time `midnight`.
 * When the offset is the same from 30 h before to 30 h after the day, as on all but a few days
 * a year, this is plain arithmetic; otherwise each time is resolved on its own.
 */
export function dayClock(zone: Zone, midnight: number): (minute: number) => number {
  const offset = offsetAt(zone, midnight - 30 * HOUR_MS);
  if (offset === offsetAt(zone, midnight + 54 * HOUR_MS)) {
    return (minute) => midnight + minute * 60_000 - offset;
  }
  return (minute) => firstInstantAt(zone, midnight + minute * 60_000);
}
