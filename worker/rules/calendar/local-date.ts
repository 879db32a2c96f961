import { DateTime } from 'luxon';

/**
 * Local dates per zone by 15-minute UTC bucket: every zone's offset is a multiple of 15 minutes,
 * so local midnight always falls on a bucket boundary and a bucket has one local date. Bounded.
 */
const buckets = new Map<string, Map<number, string>>();
const LIMIT = 20_000;

/** The local calendar date ('YYYY-MM-DD') of an instant in a zone. */
export function localDateOf(ms: number, zone: string): string {
  let zoneBuckets = buckets.get(zone);
  if (!zoneBuckets) {
    zoneBuckets = new Map();
    buckets.set(zone, zoneBuckets);
  }
  const bucket = Math.floor(ms / 900_000);
  let date = zoneBuckets.get(bucket);
  if (date === undefined) {
    date = DateTime.fromMillis(bucket * 900_000, { zone }).toISODate()!;
    if (zoneBuckets.size >= LIMIT) zoneBuckets.clear();
    zoneBuckets.set(bucket, date);
  }
  return date;
}
