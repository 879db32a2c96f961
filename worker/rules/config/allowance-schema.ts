import { z } from 'zod';
import { localDateSchema } from './clock-time.js';
import { idSchema } from './ids.js';

// Rollover (on a plan's limit) and top-up blocks (on a contract): what adds to a period's
// allowance. The allowance itself is computed by worker/rules/quota/allowance.ts.

/** Units are counted in thousandths, so sums of them stay exact. */
const atMost3Decimals = (n: number) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6;

const CAP_MESSAGE =
  "expected a cap as a positive number of units or a percentage of the limit's max such as '50%'";
/** A percentage above 0 with up to 3 decimals: '50%', '12.5%'. */
const PERCENT = /^(?!0+(?:\.0*)?\s*%$)\d+(?:\.\d{1,3})?\s*%$/;

const unitsSchema = z
  .number()
  .positive()
  .refine(atMost3Decimals, { error: 'expected units with at most 3 decimals' });

/** How a limit's unused units carry into the next periods. */
export const rolloverSchema = z
  .object({
    /** The most units carried into one period: a number of units, or a share of max ('50%'). */
    cap: z.union([unitsSchema, z.string().regex(PERCENT, { error: CAP_MESSAGE })]),
    /** How many periods after the one they were left in the units may still be used (default 1). */
    expiresAfter: z.number().int().min(1).default(1),
  })
  .strict();
type RolloverInput = z.infer<typeof rolloverSchema>;

/** A limit's rollover with its cap in units (the form worker/rules/quota/allowance.ts takes). */
export interface RolloverConfig {
  /** Most units carried into one period, thousandths exact. */
  cap: number;
  /** Units left in period k may be used in periods k+1 … k+expiresAfter. */
  expiresAfter: number;
}

/** The cap in units: a percentage is of the limit's max, rounded down to thousandths. */
export function rolloverConfig(rollover: RolloverInput, max: number): RolloverConfig {
  const { cap, expiresAfter } = rollover;
  if (typeof cap === 'number') return { cap, expiresAfter };
  const percentThousandths = Math.round(parseFloat(cap) * 1000);
  return { cap: Math.floor((max * percentThousandths) / 100) / 1000, expiresAfter };
}

/** Rollover needs a limit that has a max and renews (limit-level check, path under the limit). */
export function checkRollover(
  limit: { max: number | null; per: string; rollover?: RolloverInput },
  ctx: z.RefinementCtx,
): void {
  if (limit.rollover === undefined) return;
  const problem = (message: string) =>
    ctx.addIssue({ code: 'custom', path: ['rollover'], message });
  if (limit.max === null) {
    problem('rollover needs a limit with a max: an unlimited limit has nothing left to carry over');
  } else if (limit.per === 'term') {
    problem('rollover needs a limit that renews: a term limit has a single period');
  } else if (
    // Refinements run even when the cap itself was refused; only a valid percentage can round to 0.
    typeof limit.rollover.cap === 'string' &&
    PERCENT.test(limit.rollover.cap) &&
    rolloverConfig(limit.rollover, limit.max).cap === 0
  ) {
    problem(`a cap of ${String(limit.rollover.cap)} of ${limit.max} is less than 0.001 units`);
  }
}

/** One purchased block of units for a contract. */
const topUpSchema = z
  .object({
    id: idSchema,
    units: unitsSchema,
    /** Local date; the block counts in every period whose last day is on or after it. */
    purchased: localDateSchema,
    /** Last local day the block may be used (inclusive); omitted = never expires. */
    expires: localDateSchema.optional(),
    /** Which of the plan's limits it tops up; required when the plan has several with a max. */
    limit: idSchema.optional(),
  })
  .strict()
  .superRefine((block, ctx) => {
    if (block.expires !== undefined && block.expires < block.purchased) {
      ctx.addIssue({
        code: 'custom',
        path: ['expires'],
        message: 'expires must not be before purchased',
      });
    }
  });
export type TopUpConfig = z.infer<typeof topUpSchema>;

export const topUpsSchema = z.array(topUpSchema).superRefine((blocks, ctx) => {
  const seen = new Set<string>();
  blocks.forEach((block, i) => {
    if (seen.has(block.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'id'],
        message: `duplicate top-up id '${block.id}'`,
      });
    }
    seen.add(block.id);
  });
});

/** The limit a block tops up: its `limit`, or else the plan's only limit with a max. */
export function topUpLimitId(
  block: { limit?: string },
  limits: readonly { id: string; max: number | null }[],
): string | null {
  if (block.limit !== undefined) return block.limit;
  const capped = limits.filter((l) => l.max !== null);
  return capped.length === 1 ? capped[0]!.id : null;
}

/** A contract's blocks for one limit, in the form worker/rules/quota/allowance.ts takes. */
export function topUpsForLimit(
  topUps: readonly TopUpConfig[] | undefined,
  limits: readonly { id: string; max: number | null }[],
  limitId: string,
): { id: string; units: number; purchased: string; expires: string | null }[] {
  return (topUps ?? [])
    .filter((block) => topUpLimitId(block, limits) === limitId)
    .map((b) => ({ id: b.id, units: b.units, purchased: b.purchased, expires: b.expires ?? null }));
}
