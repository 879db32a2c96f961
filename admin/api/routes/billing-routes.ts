import { z } from 'zod';
import { ApiError } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { toCsv } from '../to-csv.js';
import { counterRows, countedItemSchema, counterRowSchema, lastDayOf } from '../usage-counters.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date: 2026-11-30' });

const billingRowSchema = counterRowSchema.omit({ items: true, remaining: true }).extend({
  tenantId: z.string(),
  /** The period ended within the range: its figures are final. False: still running (to date). */
  final: z.boolean(),
  /** The tickets and replies whose units are beyond the allowance, with those units. */
  overageItems: z.array(countedItemSchema),
});

export const BILLING_CSV_HEADER = [
  'tenant',
  'contract',
  'contract_name',
  'account',
  'plan',
  'limit',
  'unit',
  'period_first_day',
  'period_last_day',
  'final',
  'included',
  'rollover',
  'top_ups',
  'allowance',
  'used',
  'overage',
  'overage_items',
];

/**
 * The agency's billing report: every tenant's contracts and limits over a month (or from–to local
 * dates). A period is billed in the range its last day falls in (final figures); periods that
 * overlap the range but end after it (or never) are listed to date with `final: false`.
 */
export function registerBillingRoutes(
  registry: RouteRegistry,
  { tenantStore, catalog, ledger, logger }: AdminDeps,
): void {
  registry.add({
    method: 'get',
    path: '/reports/billing',
    summary:
      'Billing report for every tenant: included units, used, overage and the tickets behind it, for the periods ending in a month (?month=2026-11) or range (?from=&to=); ?format=csv',
    tag: 'reports',
    access: 'agency',
    query: z
      .object({
        month: z
          .string()
          .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'expected a month: 2026-11' })
          .optional(),
        from: day.optional(),
        to: day.optional(),
        format: z.enum(['json', 'csv']).default('json'),
      })
      .strict()
      .superRefine((q, ctx) => {
        if (q.month === undefined && (q.from === undefined || q.to === undefined)) {
          ctx.addIssue({ code: 'custom', message: 'give month, or both from and to' });
        }
        if (q.month !== undefined && (q.from !== undefined || q.to !== undefined)) {
          ctx.addIssue({ code: 'custom', message: 'give month, or from and to, not both' });
        }
        if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
          ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
        }
      }),
    alsoProduces: ['text/csv'],
    response: z.object({
      from: z.string(),
      to: z.string(),
      rows: z.array(billingRowSchema),
      /** Tenants whose config cannot be read now (left out of the rows). */
      skipped: z.array(z.object({ tenantId: z.string(), reason: z.string() })),
    }),
    handler: async ({ query }) => {
      const from = query.month ? `${query.month}-01` : query.from!;
      const to = query.month ? lastDayOf(query.month) : query.to!;
      if (!from || !to) throw new ApiError(422, 'give month, or both from and to');
      type BillingRow = z.infer<typeof billingRowSchema>;
      type Skipped = { tenantId: string; reason: string };
      // Every tenant's counters read at once, not one tenant after another.
      const billed = async (
        tenantId: string,
      ): Promise<{ rows: BillingRow[]; skipped?: Skipped }> => {
        let loaded;
        try {
          loaded = await catalog.get(tenantId);
        } catch (error) {
          logger.warn({ tenant: tenantId, err: error }, 'billing report: tenant unreadable');
          return { rows: [], skipped: { tenantId, reason: (error as Error).message } };
        }
        if (!loaded) return { rows: [] };
        const counters = await counterRows(
          loaded,
          ledger,
          {
            // Ends in the range, or overlaps it and ends after it (to date).
            period: ({ label }) => label.start <= to && (label.end === null || label.end >= from),
          },
          // Contracts with nothing counted are billed too (their included units).
          [from, to],
        );
        return {
          rows: counters.map(({ items, remaining: _r, ...c }) => ({
            tenantId,
            ...c,
            final: c.period.lastDay !== null && c.period.lastDay <= to,
            overageItems: items.filter((i) => i.overage > 0),
          })),
        };
      };
      const tenants = await Promise.all((await tenantStore.tenantIds()).map(billed));
      const rows = tenants.flatMap((t) => t.rows);
      const skipped = tenants.flatMap((t) => (t.skipped ? [t.skipped] : []));
      if (query.format === 'csv') {
        const csvRows = rows.map((r) => [
          r.tenantId,
          r.contract.id,
          r.contract.name,
          r.account,
          r.plan.id,
          r.limit.id,
          r.limit.unit,
          r.period.firstDay,
          r.period.lastDay,
          r.final,
          r.included,
          r.rollover,
          r.topUps,
          r.allowance,
          r.used,
          r.overage,
          r.overageItems.map((i) => `${i.kind} ${i.id} (${i.overage})`).join('; '),
        ]);
        return {
          raw: toCsv(BILLING_CSV_HEADER, csvRows),
          contentType: 'text/csv; charset=utf-8',
          filename: `billing-${query.month ?? `${from}-${to}`}.csv`,
        };
      }
      return { from, to, rows, skipped };
    },
  });
}
