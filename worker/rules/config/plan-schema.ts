import { z } from 'zod';
import { prioritySchema } from '../../../connectors/core/ticket.js';
import { excludeSchema } from './exclude-schema.js';
import { reopenSchema } from './reopen-schema.js';
import { checkRollover, rolloverConfig, rolloverSchema } from './allowance-schema.js';
import { idSchema } from './ids.js';
import { limitWeightsSchema } from './weight-schema.js';

const PERIOD_UNITS = ['week', 'month', 'quarter', 'year', 'term'] as const;
const QUOTA_UNITS = ['tickets', 'responses'] as const;
export type QuotaUnit = (typeof QUOTA_UNITS)[number];
/** When a ticket counts: at creation, at its first public agent reply, or when first solved. */
const COUNT_MOMENTS = ['on-create', 'on-first-agent-reply', 'on-solve'] as const;

/** One quota limit: `max` tickets (or agent responses) per period; null = unlimited, still counted. */
const limitSchema = z
  .object({
    id: idSchema.optional(),
    unit: z.enum(QUOTA_UNITS).default('tickets'),
    max: z
      .union([z.number().int().positive(), z.literal('unlimited'), z.null()])
      .transform((max) => (max === 'unlimited' ? null : max)),
    per: z.enum(PERIOD_UNITS),
    /** For ticket limits: when a ticket counts (default on-create). */
    count: z.enum(COUNT_MOMENTS).optional(),
    /** Units one ticket (or reply) uses, by priority, channel or time of day; default 1. */
    weights: limitWeightsSchema.optional(),
    /** For ticket limits: a reopen within the window is the same ticket; after it, optionally a new count. */
    reopen: reopenSchema.optional(),
    /** Unused units carry into the next periods (see docs/config.md, Rollover). */
    rollover: rolloverSchema.optional(),
  })
  .strict()
  .superRefine((limit, ctx) => {
    checkRollover(limit, ctx);
    if (limit.unit === 'responses' && limit.count !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: 'count applies to ticket limits; a responses limit counts each public agent reply',
      });
    }
    if (limit.unit === 'responses' && limit.reopen !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['reopen'],
        message: 'reopen applies to ticket limits',
      });
    }
  })
  .transform(({ rollover, ...limit }) => ({
    ...limit,
    id: limit.id ?? `${limit.unit}-${limit.per}`,
    count: limit.count ?? ('on-create' as const),
    ...(rollover && limit.max !== null && { rollover: rolloverConfig(rollover, limit.max) }),
  }));
export type LimitConfig = z.infer<typeof limitSchema>;

const OVERAGE_ACTIONS = ['bill', 'deprioritize', 'self-help', 'hold'] as const;

const overageSchema = z
  .object({
    /**
     * bill: serve and mark billable; deprioritize: serve without SLA at `priority`; self-help:
     * point to `links`; hold: serve, awaiting an agent's approval (the `deskplan_approved` tag)
     * before it is billable.
     */
    action: z.enum(OVERAGE_ACTIONS).default('bill'),
    priority: prioritySchema.default('low'),
    links: z.array(z.object({ title: z.string().min(1), url: z.url() }).strict()).default([]),
    /** Tag the ticket so the account can be offered an upgrade. */
    upsell: z.boolean().default(true),
  })
  .strict();
export type OverageConfig = z.infer<typeof overageSchema>;

export const planSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** Omitted: unlimited for the contract term (counted, never exhausted). */
    limits: z
      .array(limitSchema)
      .min(1)
      .default([
        { id: 'tickets-term', unit: 'tickets', max: null, per: 'term', count: 'on-create' },
      ]),
    /** calendar: periods follow the tenant's calendar; anniversary: they start on the contract's start day. */
    reset: z.enum(['calendar', 'anniversary']).default('calendar'),
    /** SLA policy for tickets within quota; null = no SLA. */
    sla: idSchema.nullable().default(null),
    overage: overageSchema.default({ action: 'bill', priority: 'low', links: [], upsell: true }),
    /**
     * A usage percentage of a limit's whole allowance (max, rollover, top-ups) at which the
     * account is marked for a top-up offer: the tag deskplan_topup_suggested and an alert.
     */
    suggestTopUpAt: z.number().positive().max(1000).optional(),
    /** Usage percentages that raise an alert when crossed. */
    alerts: z.array(z.number().positive().max(1000)).default([80, 100]),
    /** Tickets none of this plan's limits count (each contract may add its own). */
    exclude: excludeSchema.optional(),
    /** Days before a contract's last day that raise an expiry alert (none for a renewed one). */
    expiryAlerts: z.array(z.number().int().positive().max(3660)).default([30, 7]),
  })
  .strict()
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.limits.forEach((limit, i) => {
      if (seen.has(limit.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['limits', i, 'id'],
          message: `duplicate limit id '${limit.id}': give limits of the same unit and period distinct ids`,
        });
      }
      seen.add(limit.id);
    });
  });
export type PlanConfig = z.infer<typeof planSchema>;
