import { z } from 'zod';
import { PRIORITIES } from '../../../connectors/core/ticket.js';
import { idSchema } from './ids.js';

/** A weight: how many units one ticket (or reply) uses; positive, at most 3 decimals. */
const weightSchema = z
  .number()
  .positive()
  .max(1000)
  .refine((w) => Math.round(w * 1000) === w * 1000, {
    error: 'a weight has at most 3 decimals (e.g. 1.5 or 0.25)',
  });

/**
 * How much one ticket (or reply) of a limit uses, by what it is when it counts. The weights that
 * apply multiply: an urgent ticket (2) opened outside business hours (1.5) uses 3 units. Anything
 * not listed weighs 1.
 */
export const limitWeightsSchema = z
  .object({
    /** By the ticket's priority when it counts, e.g. {urgent: 2, high: 1.5}. */
    priority: z.partialRecord(z.enum(PRIORITIES), weightSchema).optional(),
    /** By the ticket's channel (email, web, api, chat, voice, …), e.g. {voice: 2}. */
    channel: z
      .record(
        z
          .string()
          .min(1)
          .transform((c) => c.toLowerCase()),
        weightSchema,
      )
      .optional(),
    /** When it counts outside the open hours of a calendar (holidays included). */
    outsideHours: z.object({ calendar: idSchema, weight: weightSchema }).strict().optional(),
  })
  .strict();
export type LimitWeights = z.infer<typeof limitWeightsSchema>;
