import type { CalendarConfig } from '../config/calendar-schema.js';
import { WEEKDAY_NAMES } from '../config/calendar-schema.js';
import type { CalendarSpec, OpenInterval, Weekday } from './compile-calendar.js';

/** The compiler's view of a parsed calendar: weekdays as ISO numbers, the zone filled in. */
export function calendarSpec(calendar: CalendarConfig, tenantZone: string): CalendarSpec {
  const byWeekday = (perName: Record<(typeof WEEKDAY_NAMES)[number], OpenInterval[]>) =>
    Object.fromEntries(WEEKDAY_NAMES.map((d, i) => [(i + 1) as Weekday, perName[d]]));
  const { country, state, region, dates, open } = calendar.holidays;
  return {
    timeZone: calendar.timeZone ?? tenantZone,
    hours: byWeekday(calendar.hours),
    breaks: byWeekday(calendar.breaks),
    holidays: dates,
    ...(country === undefined
      ? {}
      : { publicHolidays: { country, state, region }, openDates: open }),
    specialHours: calendar.specialHours,
  };
}
