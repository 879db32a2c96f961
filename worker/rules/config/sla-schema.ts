import { z } from 'zod';
import { PRIORITIES, statusCategorySchema } from '../../../connectors/core/ticket.js';
import { durationSchema, minutesOf } from './duration.js';
import { idSchema } from './ids.js';

const BUSINESS_DAYS = /^(\d+)\s*bd$/;

/**
 * One target: business minutes (a number or a duration such as '4h'), or whole business days
 * ('3bd' or { businessDays: 3 }): due at the close of the third open day after the day the
 * clock starts on (see BusinessCalendar.addBusinessDays).
 */
export const targetSchema = z
  .union([z.number(), z.string(), z.object({ businessDays: z.number().int().min(0) }).strict()])
  .transform((value, ctx): number | { businessDays: number } => {
    if (typeof value === 'object') return value;
    const days = typeof value === 'string' ? BUSINESS_DAYS.exec(value.trim()) : null;
    if (days) return { businessDays: Number(days[1]) };
    const minutes = minutesOf(value);
    if (minutes === null) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as 90, '45m', '1h30m', '12h' or '7d', or business days such as '3bd', got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return minutes;
  });
export type Target = z.infer<typeof targetSchema>;

/** Targets for one priority; an absent target means no guarantee for that metric. */
export const targetsSchema = z
  .object({
    firstResponse: targetSchema.optional(),
    nextResponse: targetSchema.optional(),
    resolution: targetSchema.optional(),
  })
  .strict();
export type Targets = z.infer<typeof targetsSchema>;

export const slaPolicySchema = z
  .object({
    id: idSchema,
    name: z.string().optional(),
    /** A calendar id, or '24x7' (the default) for calendar hours. */
    calendar: z.string().default('24x7'),
    /** Targets per priority; `all` applies to every priority not listed. */
    targets: z
      .object(
        Object.fromEntries(
          ['all', ...PRIORITIES].map((p) => [p, targetsSchema.optional()]),
        ) as Record<'all' | (typeof PRIORITIES)[number], z.ZodOptional<typeof targetsSchema>>,
      )
      .strict(),
    /** The priority whose targets apply when the ticket has none (Help Scout has no priority). */
    defaultPriority: z.enum(PRIORITIES).default('normal'),
    /** Status categories that stop the clock. */
    pauseOn: z.array(statusCategorySchema).default(['pending', 'hold']),
    /** When a target is missed: raise the ticket to this priority (never lowers it); null = leave it. */
    onBreach: z
      .object({ priority: z.enum(PRIORITIES).nullable().default(null) })
      .strict()
      .default({ priority: null }),
    /** Minutes before a due instant at which the worker warns (its timer); 0 = no warning. */
    warnBefore: durationSchema.default(0),
  })
  .strict();
export type SlaPolicyConfig = z.infer<typeof slaPolicySchema>;
