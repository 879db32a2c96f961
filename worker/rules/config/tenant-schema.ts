import { z } from 'zod';
import {
  ALWAYS_OPEN_ID,
  calendarSchema,
  timeZoneSchema,
  WEEKDAY_NAMES,
} from './calendar-schema.js';
import { callbacksSchema } from './callback-schema.js';
import { contractSchema } from './contract-schema.js';
import { checkReferences } from './check-references.js';
import { idSchema } from './ids.js';
import { planSchema } from './plan-schema.js';
import { productSchema, routingSchema } from './routing-schema.js';
import { slaPolicySchema } from './sla-schema.js';

const LOCALES = ['en', 'ja'] as const;

/** The rules part of one tenant's configuration (one tenant = one client helpdesk). */
export const tenantRulesObject = z
  .object({
    id: idSchema,
    name: z.string().optional(),
    /** Periods, notes and dates are in this zone. */
    timeZone: timeZoneSchema,
    /** Language of the internal notes. */
    locale: z.enum(LOCALES).default('en'),
    /** First day of a calendar week for weekly quotas. */
    weekStartsOn: z.enum(WEEKDAY_NAMES).default('mon'),
    calendars: z.array(calendarSchema).default([]),
    slaPolicies: z.array(slaPolicySchema).default([]),
    plans: z.array(planSchema).min(1),
    products: z.array(productSchema).default([]),
    contracts: z.array(contractSchema).default([]),
    routing: routingSchema.default({ rules: [], default: null }),
    /** Signed outgoing callbacks (docs/callbacks.md). */
    callbacks: callbacksSchema,
  })
  .strict();

export const tenantRulesSchema = tenantRulesObject.superRefine(checkReferences);
export type TenantRules = z.infer<typeof tenantRulesSchema>;
export type TenantRulesInput = z.input<typeof tenantRulesSchema>;
export { ALWAYS_OPEN_ID };
