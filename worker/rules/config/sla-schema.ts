import { z } from 'zod';
import { PRIORITIES, statusCategorySchema } from '../../../connectors/core/ticket.js';
import { durationSchema } from './duration.js';
import { idSchema } from './ids.js';

/** Targets for one priority; an absent target means no guarantee for that metric. */
export const targetsSchema = z
  .object({
    firstResponse: durationSchema.optional(),
    nextResponse: durationSchema.optional(),
    resolution: durationSchema.optional(),
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
