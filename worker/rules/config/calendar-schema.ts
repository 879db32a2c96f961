import { IANAZone } from 'luxon';
import { z } from 'zod';
import { byStart, subtract } from '../calendar/compile-calendar.js';
import { holidayRegionProblem } from '../calendar/public-holidays.js';
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

/**
 * Holidays: a list of local dates (closed all day), or public holidays of a country (and state,
 * region) from date-holidays, with dates of its own to close (`dates`) and to keep open (`open`).
 * Either way the result is the object form.
 */
const holidaysObjectSchema = z
  .object({
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected a country code such as JP, US or DE')
      .optional()
      .meta({ description: 'ISO 3166-1 alpha-2 country: its public holidays close the calendar.' }),
    state: z
      .string()
      .optional()
      .meta({ description: "The country's state or province (ISO 3166-2 suffix: NY, BY)." }),
    region: z.string().optional().meta({ description: "A region of the state (date-holidays')." }),
    dates: z
      .array(localDateSchema)
      .default([])
      .meta({ description: 'More local dates closed all day.' }),
    open: z
      .array(localDateSchema)
      .default([])
      .meta({ description: "Public holidays worked anyway: the weekday's hours apply." }),
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.country !== undefined) {
      const problem = holidayRegionProblem({
        country: h.country,
        state: h.state,
        region: h.region,
      });
      if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    } else if (h.state !== undefined || h.region !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['country'],
        message: 'a state or region needs its country',
      });
    }
    if (h.country === undefined && h.open.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['open'],
        message: 'open dates keep a public holiday open: give the country whose holidays they are',
      });
    }
    const closed = new Set(h.dates);
    h.open.forEach((date, i) => {
      if (closed.has(date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['open', i],
          message: `${date} is also in holidays.dates: keep it in one list`,
        });
      }
    });
  });
const holidaysSchema = z
  .union([z.array(localDateSchema), holidaysObjectSchema])
  .default([])
  .transform((h) => (Array.isArray(h) ? { dates: h, open: [] as string[] } : h));

/** Closed spans inside the opening hours: one list for every day, or lists per weekday. */
const breaksSchema = z
  .union([
    z.array(openIntervalSchema),
    z
      .object(
        Object.fromEntries(
          WEEKDAY_NAMES.map((d) => [d, z.array(openIntervalSchema).optional()]),
        ) as Record<WeekdayName, z.ZodOptional<z.ZodArray<typeof openIntervalSchema>>>,
      )
      .strict(),
  ])
  .default([])
  .transform(
    (b): Record<WeekdayName, { start: number; end: number }[]> =>
      Object.fromEntries(
        WEEKDAY_NAMES.map((d) => [d, Array.isArray(b) ? b : (b[d] ?? [])]),
      ) as Record<WeekdayName, { start: number; end: number }[]>,
  )
  .meta({
    description:
      "Closed spans inside the day's hours, e.g. ['12:00-13:00'] (every day) or { mon: [...] }.",
  });

/** Weekly opening hours per weekday, holidays as local dates, in the calendar's own zone. */
export const calendarSchema = z
  .object({
    id: idSchema,
    name: z.string().optional(),
    /** Defaults to the tenant's time zone. */
    timeZone: timeZoneSchema.optional(),
    hours: weekHoursSchema,
    breaks: breaksSchema,
    holidays: holidaysSchema,
    specialHours: z.record(localDateSchema, dayHoursSchema).default({}).meta({
      description:
        "Hours of one date that replace its weekday's (breaks not applied): a half day, a Saturday opening; [] closes it.",
    }),
  })
  .superRefine((calendar, ctx) => {
    const listed = new Set(calendar.holidays.dates);
    const open = new Set(calendar.holidays.open);
    for (const date of Object.keys(calendar.specialHours)) {
      if (listed.has(date) || open.has(date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['specialHours', date],
          message: `${date} is also listed in holidays: special hours already decide that date`,
        });
      }
    }
    // Breaks can close what the hours open: the week still needs an opening after them. (A week
    // without any hours is reported by weekHoursSchema alone, whose issue does not stop this check.)
    const anyOpenHours = WEEKDAY_NAMES.some((d) => calendar.hours[d].length > 0);
    const stillOpen = WEEKDAY_NAMES.some(
      (d) => subtract(calendar.hours[d], byStart(calendar.breaks[d])).length > 0,
    );
    if (anyOpenHours && !stillOpen) {
      ctx.addIssue({
        code: 'custom',
        path: ['breaks'],
        message: 'the breaks close every opening of the week: the calendar would never be open',
      });
    }
  });
export type CalendarConfig = z.infer<typeof calendarSchema>;

/** The built-in calendar that is always open. */
export const ALWAYS_OPEN_ID = '24x7';
