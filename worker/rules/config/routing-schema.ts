import { z } from 'zod';
import { idSchema } from './ids.js';

export const productSchema = z.object({ id: idSchema, name: z.string().min(1) }).strict();

export const routingRuleSchema = z
  .object({
    product: idSchema,
    keywords: z.array(z.string().trim().min(1, { error: 'a keyword must not be empty' })).min(1),
    /** any: one keyword is enough; all: every keyword must occur. */
    match: z.enum(['any', 'all']).default('any'),
    /** Only count hits not surrounded by letters or digits (for short Latin keywords). */
    wholeWord: z.boolean().default(false),
  })
  .strict();

export const routingSchema = z
  .object({
    rules: z.array(routingRuleSchema).default([]),
    /** Product for subjects no rule matches; null = none. */
    default: idSchema.nullable().default(null),
  })
  .strict();
export type RoutingConfig = z.infer<typeof routingSchema>;
