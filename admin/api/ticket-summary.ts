import { z } from 'zod';
import { localDateOf } from '../../worker/rules/calendar/local-date.js';
import { roundUnits } from '../../worker/rules/quota/units.js';
import type { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { dueAsOf, type SlaIndex } from '../../worker/stores/sla-index.js';
import type { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import type { LoadedTenant } from '../../worker/tenants/tenant-catalog.js';
import { counterRows, periodFilter } from './usage-counters.js';

const named = z.object({ id: z.string(), name: z.string() });

const usageSchema = z.object({
  counterKey: z.string(),
  limit: z.object({ id: z.string(), unit: z.enum(['tickets', 'responses']), per: z.string() }),
  period: z.object({ firstDay: z.string(), lastDay: z.string().nullable() }),
  used: z.number(),
  /** Everything available this period (null: unlimited). */
  allowance: z.number().nullable(),
  remaining: z.number().nullable(),
  overage: z.number(),
});

const dueSchema = z.object({
  metric: z.enum(['firstResponse', 'nextResponse', 'resolution']),
  due: z.string(),
  breached: z.boolean(),
  /** Minutes until the due instant (negative once it has passed). */
  minutesLeft: z.number().int(),
});

export const ticketSummarySchema = z.object({
  tenantId: z.string(),
  ticketId: z.string(),
  now: z.string(),
  /** The status and priority as last evaluated (null when the ticket has no open SLA target). */
  status: z.string().nullable(),
  priority: z.string().nullable(),
  contract: named.nullable(),
  plan: named.nullable(),
  /** How the ticket itself was counted: within the allowance or as overage (null: not counted). */
  counted: z.enum(['within', 'over']).nullable(),
  /** The contract's counters for the current period. */
  usage: z.array(usageSchema),
  /** over: this ticket or the period went beyond the allowance; exhausted: nothing remains. */
  overage: z.object({
    state: z.enum(['within', 'exhausted', 'over']),
    units: z.number(),
  }),
  /** Open SLA targets, soonest first. */
  dues: z.array(dueSchema),
  /** The ticket in the helpdesk's agent interface, when the connector can say. */
  link: z.string().nullable(),
  /** The tenant's dashboard page, relative to deskplan's URL. */
  dashboardPath: z.string(),
});
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

/** Where the summary is read from: what the worker stored. */
export interface TicketSummarySources {
  ledger: QuotaLedger;
  slaIndex: SlaIndex;
  ticketStates: TicketStateStore;
}

/**
 * One ticket as deskplan keeps it, for the helpdesk sidebars (the Zendesk and Freshdesk apps
 * through the admin API, Help Scout's dynamic app through admin/apps): the contract and plan it
 * was handled under, the contract's usage this period, its open SLA dues. Read from what the
 * worker stored (ticket state, SLA index, quota ledger), never from what the helpdesk says about
 * the ticket, so an agent sees what deskplan decided. Null when deskplan knows nothing of it.
 */
export async function ticketSummaryOf(
  loaded: LoadedTenant,
  ticketId: string,
  { ledger, slaIndex, ticketStates }: TicketSummarySources,
  nowMs: number,
): Promise<TicketSummary | null> {
  const [state, entry] = await Promise.all([
    ticketStates.find(loaded.id, ticketId),
    slaIndex.entry(loaded.id, ticketId),
  ]);
  if (!state && !entry) return null;
  const rules = loaded.compiled.rules;
  const quota = state?.quota ?? null;
  const today = localDateOf(nowMs, rules.timeZone);
  const rows = quota
    ? await counterRows(loaded, ledger, {
        account: quota.scopeKey,
        period: periodFilter('current', today),
      })
    : [];

  const contractId = entry?.contractId ?? rows[0]?.contract.id ?? null;
  const config = rules.contracts.find((c) => c.id === contractId);
  const contract =
    rows[0]?.contract ?? (contractId ? { id: contractId, name: config?.name ?? contractId } : null);
  const planId = quota?.planId ?? config?.plan ?? null;
  const planConfig = planId ? loaded.compiled.plans.get(planId) : undefined;
  const plan = planId ? { id: planId, name: planConfig?.name ?? planId } : null;

  const units = rows.reduce((sum, r) => sum + r.overage, 0);
  const over = quota?.verdict === 'over' || units > 0;
  const exhausted = rows.some((r) => r.remaining !== null && r.remaining <= 0);
  const dues = (entry?.dues ?? [])
    .map((d) => dueAsOf(d, nowMs))
    .sort((a, b) => Date.parse(a.due) - Date.parse(b.due));

  return {
    tenantId: loaded.id,
    ticketId,
    now: new Date(nowMs).toISOString(),
    status: entry?.status ?? null,
    priority: entry?.priority ?? null,
    contract,
    plan,
    counted: quota?.verdict ?? null,
    usage: rows.map((r) => ({
      counterKey: r.counterKey,
      limit: r.limit,
      period: { firstDay: r.period.firstDay, lastDay: r.period.lastDay },
      used: r.used,
      allowance: r.allowance,
      remaining: r.remaining,
      overage: r.overage,
    })),
    overage: {
      state: over ? ('over' as const) : exhausted ? ('exhausted' as const) : ('within' as const),
      units: roundUnits(units),
    },
    dues,
    link: loaded.connector.agentTicketUrl?.(loaded.connection, ticketId) ?? null,
    dashboardPath: `/tenants/${encodeURIComponent(loaded.id)}`,
  };
}
