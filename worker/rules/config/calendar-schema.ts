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

/**
 * The week's opening hours. A week without a single opening (no days, only empty days) would
 * leave every SLA on the calendar waiting for an opening that never comes, reported as paused,
 * so it is rejected. Zero-length spans ('09:00-09:00') are already refused per interval, and
 * holidays are a finite list, so any week with an opening opens again after the last holiday.
 */
const weekHoursSchema = z
  .object(
    Object.fromEntries(WEEKDAY_NAMES.map((d) => [d, dayHoursSchema])) as Record<
      WeekdayName,
      typeof dayHoursSchema
    >,
  )
  .strict()
  .superRefine((week, ctx) => {
    // Runs only when every interval parsed: a malformed one is reported on its own instead.
    const open = Object.values(week).some((day) => day.some((i) => i.end > i.start));
    if (!open) {
      ctx.addIssue({
        code: 'custom',
        message:
          "the calendar is never open: give at least one opening, such as mon: ['09:00-18:00']",
      });
    }
  })
  .meta({
    description: 'Opening hours per weekday; at least one day must have an opening.',
    // The JSON Schema's view of the same rule, so an editor flags a week without an opening.
    anyOf: WEEKDAY_NAMES.map((d) => ({ required: [d], properties: { [d]: { minItems: 1 } } })),
  });

/** Weekly opening hours per weekday, holidays as local dates, in the calendar's own zone. */
export const calendarSchema = z.object({
  id: idSchema,
  name: z.string().optional(),
  /** Defaults to the tenant's time zone. */
  timeZone: timeZoneSchema.optional(),
  hours: weekHoursSchema,
  holidays: z.array(localDateSchema).default([]),
});
export type CalendarConfig = z.infer<typeof calendarSchema>;

/** The built-in calendar that is always open. */
export const ALWAYS_OPEN_ID = '24x7';
