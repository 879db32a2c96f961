// A tenant's quota counters as the usage endpoint and the billing report show them: one row per
// contract, limit and period, with each counted ticket or reply (from worker/usage/counter-report).
import { z } from 'zod';
import { counterKeysOn, describeCounter, type CounterInfo } from '../../worker/rules/index.js';
import type { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import type { LoadedTenant } from '../../worker/tenants/tenant-catalog.js';
import { roundUnits } from '../../worker/rules/quota/units.js';
import { counterReport } from '../../worker/usage/counter-report.js';

export const countedItemSchema = z.object({
  kind: z.enum(['ticket', 'reply']),
  /** The ticket's (or reply's) id in the helpdesk. */
  id: z.string(),
  member: z.string(),
  eventId: z.string(),
  countedAt: z.string(),
  weight: z.number(),
  /** Its units beyond the allowance. */
  overage: z.number(),
  configVersion: z.number().int().nullable(),
});

export const counterRowSchema = z.object({
  counterKey: z.string(),
  contract: z.object({ id: z.string(), name: z.string() }),
  /** The account key of a per-account contract (org-123, domain-acme.example), else null. */
  account: z.string().nullable(),
  plan: z.object({ id: z.string(), name: z.string() }),
  limit: z.object({ id: z.string(), unit: z.enum(['tickets', 'responses']), per: z.string() }),
  period: z.object({
    key: z.string(),
    firstDay: z.string(),
    lastDay: z.string().nullable(),
    start: z.string(),
    end: z.string().nullable(),
  }),
  /** The limit's max (null: unlimited). */
  included: z.number().nullable(),
  rollover: z.number(),
  topUps: z.number(),
  allowance: z.number().nullable(),
  used: z.number(),
  remaining: z.number().nullable(),
  overage: z.number(),
  items: z.array(countedItemSchema),
});
export type CounterRow = z.infer<typeof counterRowSchema>;

export interface CounterFilter {
  account?: string;
  contract?: string;
  limit?: string;
  /** Which periods (read from the counter alone, before any usage is read). */
  period: (period: Pick<CounterInfo['period'], 'key' | 'label'>) => boolean;
}

const sum = (values: number[]) => roundUnits(values.reduce((a, b) => a + b, 0));

/** The tenant's kept counters that pass the filter, with their usage explained. */
export async function counterRows(
  loaded: LoadedTenant,
  ledger: QuotaLedger,
  filter: CounterFilter,
  /** Local dates whose contract-wide counters are listed even with nothing counted yet. */
  alsoOn: readonly string[] = [],
): Promise<CounterRow[]> {
  const kept = await ledger.counterKeys(loaded.id);
  const empty = alsoOn.flatMap((day) => counterKeysOn(loaded.compiled, day));
  const wanted = [...new Set([...kept, ...empty])].sort().flatMap((key) => {
    const [scope = '', limitId] = key.split('/');
    const [root = '', account = null] = scope.split('~');
    if (filter.account !== undefined && account !== filter.account && scope !== filter.account) {
      return [];
    }
    if (filter.limit !== undefined && limitId !== filter.limit) return [];
    const info = describeCounter(loaded.compiled, key);
    if (!info || !filter.period(info.period)) return [];
    if (filter.contract !== undefined && ![root, info.contract.id].includes(filter.contract)) {
      return [];
    }
    return [{ key, account }];
  });
  // Every counter's reads at once: one wait for Redis, not one per counter.
  const reports = await Promise.all(
    wanted.map(({ key }) => counterReport(loaded.id, loaded.compiled, ledger, key)),
  );
  return wanted.flatMap(({ key, account }, i): CounterRow[] => {
    const report = reports[i];
    if (!report) return [];
    return [
      {
        counterKey: key,
        contract: report.contract,
        account,
        plan: report.plan,
        limit: { id: report.limit.id, unit: report.limit.unit, per: report.limit.per },
        period: {
          key: report.period.key,
          firstDay: report.period.firstDay,
          lastDay: report.period.lastDay,
          start: report.period.start,
          end: report.period.end,
        },
        included: report.limit.max,
        rollover: sum(report.detail?.rolledIn.map((r) => r.units) ?? []),
        topUps: sum(report.detail?.topUps.map((t) => t.available) ?? []),
        allowance: report.allowance,
        used: report.used,
        remaining: report.remaining,
        overage: report.overage,
        items: report.entries.map((e) => {
          const dash = e.member.indexOf('-');
          return {
            kind: e.member.startsWith('reply-') ? ('reply' as const) : ('ticket' as const),
            id: dash < 0 ? e.member : e.member.slice(dash + 1),
            member: e.member,
            eventId: e.eventId,
            countedAt: new Date(e.atMs).toISOString(),
            weight: e.weight,
            overage: e.overage,
            configVersion: e.configVersion,
          };
        }),
      },
    ];
  });
}

/** Which periods `period=` selects: current, a month (YYYY-MM), a day, or a period key. */
export function periodFilter(
  period: string,
  today: string,
): (period: Pick<CounterInfo['period'], 'key' | 'label'>) => boolean {
  const covers = (first: string, last: string) => (p: Pick<CounterInfo['period'], 'label'>) =>
    p.label.start <= last && (p.label.end === null || p.label.end >= first);
  if (period === 'current') return covers(today, today);
  if (/^\d{4}-\d{2}$/.test(period)) return covers(`${period}-01`, `${period}-31`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return covers(period, period);
  return (p) => p.key === period;
}

/** The last day of a month 'YYYY-MM', as a local date. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The local dates whose contract-wide counters a `period=` query lists even when empty. */
export function datesOf(period: string, today: string): string[] {
  if (period === 'current') return [today];
  if (/^\d{4}-\d{2}$/.test(period)) return [`${period}-01`, lastDayOf(period)];
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return [period];
  return [];
}
