import { z } from 'zod';
import { localDateOf } from '../../../worker/rules/calendar/local-date.js';
import { idSchema } from '../../../worker/rules/config/ids.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { loadedTenant } from '../tenant-lookup.js';
import { toCsv } from '../to-csv.js';
import { counterRows, counterRowSchema, datesOf, periodFilter } from '../usage-counters.js';

const PERIOD = /^(current|\d{4}-\d{2}|\d{4}-\d{2}-\d{2}|[a-z]+-\d{4}-\d{2}-\d{2})$/;

export const USAGE_CSV_HEADER = [
  'tenant',
  'contract',
  'account',
  'limit',
  'period_first_day',
  'period_last_day',
  'kind',
  'id',
  'event_id',
  'counted_at',
  'weight',
  'overage_units',
  'config_version',
];

/** A tenant's quota usage: per contract, limit and period, with each counted ticket or reply. */
export function registerUsageRoutes(
  registry: RouteRegistry,
  { catalog, ledger }: AdminDeps,
  now: () => number = Date.now,
): void {
  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/usage',
    summary:
      "A tenant's usage per contract and limit: allowance (included, rollover, top-ups), used, remaining, overage and each counted ticket or reply (?format=csv: one row per count)",
    tag: 'usage',
    access: 'tenant',
    params: z.object({ tenantId: idSchema }),
    query: z
      .object({
        account: z.string().min(1).optional(),
        contract: z.string().min(1).optional(),
        limit: z.string().min(1).optional(),
        period: z
          .string()
          .regex(PERIOD, {
            error:
              'expected current, a month (2026-10), a day (2026-10-15) or a period key (month-2026-10-01)',
          })
          .default('current'),
        format: z.enum(['json', 'csv']).default('json'),
      })
      .strict(),
    alsoProduces: ['text/csv'],
    response: z.object({
      tenantId: z.string(),
      period: z.string(),
      counters: z.array(counterRowSchema),
    }),
    handler: async ({ params, query }) => {
      const loaded = await loadedTenant(catalog, params.tenantId);
      const today = localDateOf(now(), loaded.compiled.rules.timeZone);
      const counters = await counterRows(
        loaded,
        ledger,
        {
          account: query.account,
          contract: query.contract,
          limit: query.limit,
          period: periodFilter(query.period, today),
        },
        datesOf(query.period, today),
      );
      if (query.format === 'csv') {
        const rows = counters.flatMap((c) =>
          c.items.map((i) => [
            loaded.id,
            c.contract.id,
            c.account,
            c.limit.id,
            c.period.firstDay,
            c.period.lastDay,
            i.kind,
            i.id,
            i.eventId,
            i.countedAt,
            i.weight,
            i.overage,
            i.configVersion,
          ]),
        );
        return {
          raw: toCsv(USAGE_CSV_HEADER, rows),
          contentType: 'text/csv; charset=utf-8',
          filename: `${loaded.id}-usage-${query.period}.csv`,
        };
      }
      return { tenantId: loaded.id, period: query.period, counters };
    },
  });
}
