import { IANAZone } from 'luxon';
import { z } from 'zod';
import { localDateSchema, openIntervalSchema } from './clock-time.js';
import { idSchema } from './ids.js';

export const timeZoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  error: (issue) =>
    `expected an IANA time zone such as Asia/Tokyo, got ${JSON.stringify(issue.input)}`,
});

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

const dayHoursSchema = z
  .array(openIntervalSchema)
  .default([])
  .superRefine((intervals, ctx) => {
    const sorted = [...intervals].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.start < sorted[i - 1]!.end) {
        ctx.addIssue({ code: 'custom', message: 'opening hours on one day must not overlap' });
        return;
      }
    }
  })
  .transform((intervals) => [...intervals].sort((a, b) => a.start - b.start));

/** Weekly opening hours per weekday, holidays as local dates, in the calendar's own zone. */
export const calendarSchema = z.object({
  id: idSchema,
  name: z.string().optional(),
  /** Defaults to the tenant's time zone. */
  timeZone: timeZoneSchema.optional(),
  hours: z
    .object(
      Object.fromEntries(WEEKDAY_NAMES.map((d) => [d, dayHoursSchema])) as Record<
        WeekdayName,
        typeof dayHoursSchema
      >,
    )
    .strict(),
  holidays: z.array(localDateSchema).default([]),
});
export type CalendarConfig = z.infer<typeof calendarSchema>;

/** The built-in calendar that is always open. */
export const ALWAYS_OPEN_ID = '24x7';
