import { DateTime } from 'luxon';

interface DaySpan {
  start: number;
  end: number;
  date: string;
}

/** The last local day seen per zone: consecutive events mostly fall on the same day. */
const lastDay = new Map<string, DaySpan>();
const LIMIT = 1024;

/** The local calendar date ('YYYY-MM-DD') of an instant in a zone. */
export function localDateOf(ms: number, zone: string): string {
  const cached = lastDay.get(zone);
  if (cached && cached.start <= ms && ms < cached.end) return cached.date;
  const day = DateTime.fromMillis(ms, { zone }).startOf('day');
  const span = {
    start: day.toMillis(),
    end: day.plus({ days: 1 }).toMillis(),
    date: day.toISODate()!,
  };
  if (lastDay.size >= LIMIT) lastDay.clear();
  lastDay.set(zone, span);
  return span.date;
}
