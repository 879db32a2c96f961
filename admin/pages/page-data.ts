// What the pages show, read through the same library functions as the admin API: the tenant
// store and catalog for configs, counterReport and the quota ledger for usage. No I/O of its own.
import type { SlaIndex } from '../../worker/stores/sla-index.js';
import { quotaPerOf, type ContractConfig } from '../../worker/rules/config/contract-schema.js';
import type { LimitConfig, PlanConfig } from '../../worker/rules/config/plan-schema.js';
import { localDateOf } from '../../worker/rules/calendar/local-date.js';
import type { CompiledTenant } from '../../worker/rules/index.js';
import { chainRoot, periodAnchor, renewalOf } from '../../worker/rules/decision/renewal-chain.js';
import { createPeriodFinder, type Period } from '../../worker/rules/quota/period-of.js';
import type { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import type { TenantStore } from '../../worker/stores/tenant-store.js';
import type { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { counterReport, type CounterReport } from '../../worker/usage/counter-report.js';
import { canSee, type Principal } from '../api/principal.js';

export interface PageDataDeps {
  tenantStore: TenantStore;
  catalog: TenantCatalog;
  ledger: QuotaLedger;
  /** Open tickets' SLA dues (kept by the worker); absent: the pages say SLA is not tracked. */
  slaIndex?: SlaIndex;
}

/** Open tickets of a tenant whose SLA target is missed, or due within `withinMs`. */
export interface SlaCounts {
  atRisk: number;
  breached: number;
}

export async function slaCounts(
  deps: PageDataDeps,
  tenantId: string,
  nowMs: number,
  withinMs = 60 * 60_000,
): Promise<SlaCounts | null> {
  if (!deps.slaIndex) return null;
  const entries = await deps.slaIndex.dueBefore(tenantId, nowMs + withinMs);
  let breached = 0;
  for (const e of entries) {
    if (e.dues.some((d) => d.breached || Date.parse(d.due) <= nowMs)) breached++;
  }
  return { atRisk: entries.length - breached, breached };
}

/** Colour of a usage bar: below the plan's first alert, from it, at or over 100 %, unlimited. */
export type UsageLevel = 'ok' | 'warn' | 'over' | 'none';

/** One period's figures, for the history chart. */
export interface PeriodPoint {
  periodKey: string;
  firstDay: string;
  lastDay: string | null;
  used: number;
  /** Everything available (max, rollover, top-ups); null: unlimited. */
  allowance: number | null;
  overage: number;
}

export interface LimitUsage {
  limit: Pick<LimitConfig, 'id' | 'unit' | 'per' | 'max'>;
  report: CounterReport;
  /** used / allowance in %, or null when unlimited. */
  percent: number | null;
  level: UsageLevel;
  /** When the allowance was used up in this period (the counted item that reached it), if it was. */
  exhaustedAtMs: number | null;
  /** Used up a week or more before the period's end (scenario S4), on a plan that flags upsells. */
  upsell: boolean;
  /** The last periods, oldest first, the current one last (only when asked for). */
  history: PeriodPoint[];
}

export interface ScopeUsage {
  scopeKey: string;
  /** The account, for a contract whose accounts each have their own quota. */
  account: string | null;
  limits: LimitUsage[];
}

export interface ContractUsage {
  id: string;
  name: string;
  plan: { id: string; name: string };
  start: string;
  end: string | null;
  state: 'active' | 'upcoming';
  /** Each matching account has its own quota (then usage is per account, and not shareable). */
  perAccount: boolean;
  /** Days from today to the last day when that is within EXPIRY_WINDOW_DAYS and no renewal follows. */
  expiresInDays: number | null;
  /** The plan's alert thresholds (%), sorted. */
  thresholds: number[];
  scopes: ScopeUsage[];
}

export interface TenantUsage {
  tenantId: string;
  name: string;
  timeZone: string;
  locale: 'en' | 'ja';
  version: number;
  savedAt: string | null;
  today: string;
  contracts: ContractUsage[];
}

export const EXPIRY_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
const UPSELL_MARGIN_MS = 7 * DAY_MS;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The tenants a principal may see, sorted. */
export async function visibleTenantIds(deps: PageDataDeps, principal: Principal) {
  return (await deps.tenantStore.tenantIds()).filter((id) => canSee(principal, id)).sort();
}

export function perAccount(contract: ContractConfig): boolean {
  return quotaPerOf(contract) === 'account';
}

/** A contract still in force (or about to start) whose usage is one figure: what a customer link may show. */
export function shareableContract(
  compiled: CompiledTenant,
  contractId: string,
  nowMs: number,
): ContractConfig | null {
  const contract = compiled.rules.contracts.find((c) => c.id === contractId);
  if (!contract || ended(contract, localDateOf(nowMs, compiled.rules.timeZone))) return null;
  return compiled.plans.has(contract.plan) && !perAccount(contract) ? contract : null;
}

const ended = (contract: ContractConfig, today: string) =>
  contract.end !== undefined && contract.end < today;

function levelOf(percent: number | null, thresholds: number[]): UsageLevel {
  if (percent === null) return 'none';
  if (percent >= 100) return 'over';
  return percent >= (thresholds[0] ?? 80) ? 'warn' : 'ok';
}

/** When the counted items first reached the allowance (in counted order), or null. */
function exhaustedAt(report: CounterReport): number | null {
  if (report.allowance === null || report.used < report.allowance) return null;
  let total = 0;
  for (const entry of report.entries) {
    total += entry.weight;
    if (total >= report.allowance - 1e-9) return entry.atMs;
  }
  return null;
}

interface LimitContext {
  tenantId: string;
  compiled: CompiledTenant;
  contract: ContractConfig;
  plan: PlanConfig;
  limit: LimitConfig;
  periodAt: (ms: number) => Period;
  thresholds: number[];
}

async function limitUsage(
  deps: PageDataDeps,
  c: LimitContext,
  scopeKey: string,
  nowMs: number,
  historyPeriods: number,
): Promise<LimitUsage | null> {
  const current = c.periodAt(nowMs);
  const key = (p: Period) => `${scopeKey}/${c.limit.id}/${p.key}`;
  const report = await counterReport(c.tenantId, c.compiled, deps.ledger, key(current));
  if (!report) return null;
  const percent =
    report.allowance === null
      ? null
      : report.allowance === 0
        ? report.used > 0
          ? 100
          : 0
        : (report.used / report.allowance) * 100;
  const exhaustedAtMs = exhaustedAt(report);
  const history: PeriodPoint[] = [];
  if (historyPeriods > 0) {
    const anchor = periodAnchor(c.compiled.rules.contracts, c.contract, c.limit.per);
    const periods = [current];
    while (periods.length < historyPeriods && c.limit.per !== 'term') {
      const earlier = c.periodAt(periods[0]!.start - 1);
      if (earlier.key === periods[0]!.key || (earlier.label.end ?? '') < anchor) break;
      periods.unshift(earlier);
    }
    const reports = await Promise.all(
      periods.map((period) =>
        period === current
          ? report
          : counterReport(c.tenantId, c.compiled, deps.ledger, key(period)),
      ),
    );
    for (const [i, period] of periods.entries()) {
      const r = reports[i];
      if (!r) continue;
      history.push({
        periodKey: period.key,
        firstDay: r.period.firstDay,
        lastDay: r.period.lastDay,
        used: r.used,
        allowance: r.allowance,
        overage: r.overage,
      });
    }
  }
  return {
    limit: { id: c.limit.id, unit: c.limit.unit, per: c.limit.per, max: c.limit.max },
    report,
    percent,
    level: levelOf(percent, c.thresholds),
    exhaustedAtMs,
    upsell:
      c.plan.overage.upsell &&
      exhaustedAtMs !== null &&
      current.end !== Infinity &&
      current.end - exhaustedAtMs >= UPSELL_MARGIN_MS,
    history,
  };
}

/**
 * A tenant's contracts in force today (and those about to start) with each limit's current
 * period: the counter report, the bar's level, expiry and upsell flags and, with
 * `historyPeriods`, the figures of the last periods. Null for an unknown tenant.
 */
export async function tenantUsage(
  deps: PageDataDeps,
  tenantId: string,
  nowMs: number,
  options: { historyPeriods?: number; contractId?: string } = {},
): Promise<TenantUsage | null> {
  const loaded = await deps.catalog.get(tenantId);
  if (!loaded) return null;
  const compiled = loaded.compiled;
  const { rules } = compiled;
  const today = localDateOf(nowMs, rules.timeZone);
  const keys = await deps.ledger.counterKeys(tenantId, undefined, nowMs);
  const savedAt = loaded.savedAt;
  const scopeUsage = async (
    contract: ContractConfig,
    plan: PlanConfig,
    thresholds: number[],
    scopeKey: string,
  ): Promise<ScopeUsage> => {
    const usages = await Promise.all(
      plan.limits.map((limit) => {
        const periodAt = createPeriodFinder({
          unit: limit.per,
          reset: plan.reset,
          timeZone: rules.timeZone,
          weekStartsOn: compiled.weekStartsOn,
          contractStart: periodAnchor(rules.contracts, contract, limit.per),
          contractEnd: contract.end ?? null,
        });
        return limitUsage(
          deps,
          { tenantId, compiled, contract, plan, limit, periodAt, thresholds },
          scopeKey,
          nowMs,
          options.historyPeriods ?? 0,
        );
      }),
    );
    const account = scopeKey.includes('~') ? scopeKey.slice(scopeKey.indexOf('~') + 1) : null;
    return { scopeKey, account, limits: usages.filter((u) => u !== null) };
  };
  const contractUsage = async (contract: ContractConfig): Promise<ContractUsage | null> => {
    if (options.contractId !== undefined && contract.id !== options.contractId) return null;
    if (ended(contract, today)) return null;
    const plan = compiled.plans.get(contract.plan);
    if (!plan) return null;
    const state = contract.start > today ? 'upcoming' : 'active';
    const thresholds = [...plan.alerts].sort((a, b) => a - b);
    const daysLeft = contract.end === undefined ? null : daysBetween(today, contract.end);
    const expiresInDays =
      daysLeft !== null &&
      daysLeft <= EXPIRY_WINDOW_DAYS &&
      renewalOf(rules.contracts, contract) === null
        ? daysLeft
        : null;
    const root = chainRoot(rules.contracts, contract).id;
    const scopeKeys =
      state !== 'active'
        ? []
        : perAccount(contract)
          ? [...new Set(keys.map((k) => k.split('/')[0]!).filter((s) => s.startsWith(`${root}~`)))]
          : [root];
    const scopes = await Promise.all(
      scopeKeys.sort().map((scopeKey) => scopeUsage(contract, plan, thresholds, scopeKey)),
    );
    return {
      id: contract.id,
      name: contract.name ?? contract.id,
      plan: { id: plan.id, name: plan.name },
      start: contract.start,
      end: contract.end ?? null,
      state,
      perAccount: perAccount(contract),
      expiresInDays,
      thresholds,
      scopes,
    };
  };
  // Every contract's, scope's and limit's counters read at once: one wait for Redis, not one
  // per counter.
  const contracts = (await Promise.all(rules.contracts.map(contractUsage))).filter(
    (c) => c !== null,
  );
  return {
    tenantId,
    name: rules.name ?? tenantId,
    timeZone: rules.timeZone,
    locale: rules.locale,
    version: loaded.version,
    savedAt,
    today,
    contracts,
  };
}
