import { z } from 'zod';
import { attributeValueSchema } from '../../../connectors/core/ticket.js';
import { topUpsSchema } from './allowance-schema.js';
import { localDateSchema } from './clock-time.js';
import { excludeSchema } from './exclude-schema.js';
import { idSchema } from './ids.js';

/** Which accounts a contract covers: exactly one of org ids, email domains, or an attribute test. */
const accountSelectorSchema = z
  .object({
    orgIds: z.array(z.coerce.string().min(1)).min(1).optional(),
    emailDomains: z
      .array(
        z
          .string()
          .min(1)
          .transform((d) => d.toLowerCase().replace(/^@/, '')),
      )
      .min(1)
      .optional(),
    attribute: z
      .object({
        name: z.string().min(1),
        min: z.number().optional(),
        max: z.number().optional(),
        equals: attributeValueSchema.optional(),
      })
      .strict()
      .refine((a) => a.min !== undefined || a.max !== undefined || a.equals !== undefined, {
        error: 'an attribute selector needs min, max or equals',
      })
      .optional(),
  })
  .strict()
  .superRefine((selector, ctx) => {
    const set = [selector.orgIds, selector.emailDomains, selector.attribute].filter(
      (s) => s !== undefined,
    ).length;
    if (set !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'an account selector needs exactly one of orgIds, emailDomains or attribute',
      });
    }
  });
export type AccountSelector = z.infer<typeof accountSelectorSchema>;

export const contractSchema = z
  .object({
    id: idSchema,
    name: z.string().optional(),
    account: accountSelectorSchema,
    plan: idSchema,
    /** Only tickets routed to this product; omitted = any product. */
    product: idSchema.optional(),
    start: localDateSchema,
    /** Last day covered (inclusive); omitted = open-ended. */
    end: localDateSchema.optional(),
    /**
     * The contract this one renews: the chain shares one quota (same counters, so usage history
     * continues), and week/month/quarter/year anniversary periods run on from the first start.
     */
    renews: idSchema.optional(),
    /**
     * Whose tickets share one quota: the whole contract, or each matching account on its own.
     * Defaults to 'account' for attribute selectors (license tiers) and 'contract' otherwise.
     */
    quotaPer: z.enum(['contract', 'account']).optional(),
    /**
     * When several contracts cover one ticket, the higher precedence wins (default 0); then a
     * contract for the routed product beats one for any product, then the most specific account
     * selector, then the order in the file.
     */
    precedence: z.number().int().optional(),
    /** More tickets not counted, added to the plan's `exclude`. */
    exclude: excludeSchema.optional(),
    /** Purchased blocks of units, used after a period's own allowance (docs/config.md, Top-ups). */
    topUps: topUpsSchema.optional(),
  })
  .strict()
  .superRefine((contract, ctx) => {
    if (contract.end !== undefined && contract.end < contract.start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must not be before start' });
    }
  });
export type ContractConfig = z.infer<typeof contractSchema>;

/**
 * Whose tickets share one quota: `quotaPer` as written, else 'account' for an attribute selector
 * (license tiers) and 'contract' otherwise.
 */
export const quotaPerOf = (contract: Pick<ContractConfig, 'quotaPer' | 'account'>) =>
  contract.quotaPer ?? (contract.account.attribute ? 'account' : 'contract');
