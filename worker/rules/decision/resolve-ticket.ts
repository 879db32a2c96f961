import { quotaPerOf } from '../config/contract-schema.js';
import type { TicketEvent } from '../../../connectors/core/ticket.js';
import { localDateOf } from '../calendar/local-date.js';
import type { CompiledTenant } from '../compile-tenant.js';
import type { LimitConfig, PlanConfig } from '../config/plan-schema.js';
import type { ContractConfig } from '../config/contract-schema.js';
import { createPeriodFinder, type Period } from '../quota/period-of.js';
import type { RouteResult } from '../routing/compile-router.js';
import { weighMember, type Weighing } from '../quota/weight-of.js';
import { cachedAllowanceRef, type AllowanceRef } from '../quota/allowance-history.js';
import { matchExclusion, type ExclusionMatch } from './exclusions.js';
import { recountOf, type Recount } from './reopen-count.js';
import { chainRoot, periodAnchor } from './renewal-chain.js';
import {
  endedContract,
  inForce,
  selectContract,
  type SelectedContract,
} from './select-contract.js';
import { pinnedProduct, tags } from './tags.js';

/** One quota counter this event touches: a limit's period for one contract (or account). */
export interface Counter {
  /** Ledger key, e.g. 'acme-x/tickets-month/month-2026-11-01'. */
  key: string;
  limit: LimitConfig;
  period: Period;
  /** What this event adds to the counter (the ticket id, or the reply id); null = nothing. */
  member: string | null;
  /** A ticket limit whose counting moment (first agent reply, solve) has not come yet. */
  pending: boolean;
  /** The units the member uses, and why (the limit's weights at the instant it counts). */
  weighing: Weighing;
  /** Rollover and top-ups: what the worker reads to know the period's whole allowance. */
  allowance: AllowanceRef | null;
  /** Only look the member up (an excluded ticket): counted already or not, never counted now. */
  lookupOnly?: boolean;
}

export interface Resolution {
  product: string | null;
  /** How the product was chosen. */
  productSource: 'tag' | 'rule' | 'default' | 'none';
  route: RouteResult | null;
  contract: SelectedContract | null;
  /** With no contract: the one that covered this account and product until it ended. */
  ended: ContractConfig | null;
  plan: PlanConfig | null;
  counters: Counter[];
  /** The agent's waive tag is on the ticket: its counts are released while it stays. */
  waived: boolean;
  /** The exclusion the ticket matches: then no counter counts it (`member: null`). */
  excluded: ExclusionMatch | null;
  /** A reopen after a ticket limit's window that counts the ticket again, if any. */
  recount: Recount | null;
}

type Finder = (atMs: number) => Period;

/** Period finders per contract and limit, kept as long as the (compiled) contract object lives. */
const finders = new WeakMap<ContractConfig, Map<string, Finder>>();

function finderFor(
  tenant: CompiledTenant,
  contract: ContractConfig,
  plan: PlanConfig,
  limit: LimitConfig,
): Finder {
  let byLimit = finders.get(contract);
  if (!byLimit) {
    byLimit = new Map();
    finders.set(contract, byLimit);
  }
  const key = `${plan.id}/${limit.id}`;
  let finder = byLimit.get(key);
  if (!finder) {
    finder = createPeriodFinder({
      unit: limit.per,
      reset: plan.reset,
      timeZone: tenant.rules.timeZone,
      weekStartsOn: tenant.weekStartsOn,
      contractStart: periodAnchor(tenant.rules.contracts, contract, limit.per), // renewals run on
      contractEnd: contract.end ?? null,
    });
    byLimit.set(key, finder);
  }
  return finder;
}

/**
 * Everything about a ticket event that needs no usage figures: its product, contract, plan and
 * the quota counters it touches. The ledger charges `counters`, then `decide` reads the result.
 */
export function resolveTicket(tenant: CompiledTenant, event: TicketEvent): Resolution {
  const { ticket } = event;
  const pinned = pinnedProduct(ticket.tags, tenant.productNames.keys());
  const route = pinned === null ? tenant.router.route(ticket.subject) : null;
  const product = pinned ?? route?.product ?? null;
  const productSource =
    pinned !== null ? 'tag' : route?.ruleIndex != null ? 'rule' : product ? 'default' : 'none';

  const createdMs = Date.parse(ticket.createdAt);
  const localDate = localDateOf(createdMs, tenant.rules.timeZone);
  const contract = selectContract(tenant.rules.contracts, ticket.account, product, localDate);
  const plan = contract ? (tenant.plans.get(contract.contract.plan) ?? null) : null;
  const ended = contract
    ? null
    : endedContract(tenant.rules.contracts, ticket.account, product, localDate);
  const waived = ticket.tags.includes(tags.waive);
  if (!contract || !plan || ticket.status.category === 'spam') {
    const none = { counters: [], excluded: null, recount: null, waived };
    return { product, productSource, route, contract, ended, plan, ...none };
  }

  const reply = event.kind === 'ticket.agent_replied' && event.reply?.public ? event.reply : null;
  const countedAt = (limit: LimitConfig): number | null => {
    if (limit.count === 'on-create') return createdMs;
    if (limit.count === 'on-first-agent-reply') {
      const first = ticket.firstAgentReplyAt ?? reply?.at ?? null;
      return first === null ? null : Date.parse(first);
    }
    const solved = ticket.status.category === 'solved' || ticket.status.category === 'closed';
    const at = ticket.firstSolvedAt ?? ticket.solvedAt ?? (solved ? ticket.updatedAt : null);
    return at === null ? null : Date.parse(at);
  };
  const excluded = matchExclusion(plan, contract.contract, ticket);
  const recounts = plan.limits.map((l) =>
    excluded ? null : recountOf(l, ticket.id, ticket.reopens),
  );
  const contractHasTopUps =
    contract.contract.topUps !== undefined || contract.contract.renews !== undefined;
  const counters = plan.limits.map((limit, i): Counter => {
    const byReply = limit.unit === 'responses';
    const recount = recounts[i] ?? null;
    // A ticket limit counts at its moment, in that moment's period; until then it only reads
    // the current period's count.
    const moment = byReply ? null : recount ? Date.parse(recount.at) : countedAt(limit);
    const at = byReply
      ? reply
        ? Date.parse(reply.at)
        : Date.parse(event.occurredAt)
      : (moment ?? Date.parse(event.occurredAt));
    const periodAt = finderFor(tenant, contract.contract, plan, limit);
    const period = periodAt(at);
    return {
      key: `${contract.scopeKey}/${limit.id}/${period.key}`,
      limit,
      period,
      member: byReply
        ? reply
          ? `reply-${reply.id}`
          : null
        : moment === null
          ? null
          : (recount?.member ?? `ticket-${ticket.id}`),
      pending: !byReply && moment === null,
      weighing: weighMember(limit.weights, ticket, at, tenant.calendars),
      allowance:
        limit.rollover || contractHasTopUps
          ? cachedAllowanceRef({
              contracts: tenant.rules.contracts,
              contract: contract.contract,
              plan,
              limit,
              scopeKey: contract.scopeKey,
              period,
              periodAt,
              plans: tenant.plans,
            })
          : null,
    };
  });
  // An excluded ticket counts nowhere (nor do its replies): its counters only look it up, so
  // one counted already (before the exclusion matched, or again after a waive) stays counted.
  if (excluded) for (const c of counters) Object.assign(c, { lookupOnly: true, pending: false });
  const more = { excluded, recount: recounts.find((r) => r !== null) ?? null, waived };
  return { product, productSource, route, contract, ended: null, plan, counters, ...more };
}

/** What a counter key stands for: its contract (the one of its chain in force), plan, limit, period. */
export interface CounterInfo {
  scopeKey: string;
  contract: ContractConfig;
  plan: PlanConfig;
  limit: LimitConfig;
  period: Period;
  allowance: AllowanceRef | null;
}

/**
 * Reads a counter key ('<scope>/<limit id>/<period key>') back into its contract, plan, limit and
 * period, for usage reports; null when the tenant's config no longer has them.
 */
export function describeCounter(tenant: CompiledTenant, counterKey: string): CounterInfo | null {
  const [scopeKey, limitId, periodKey] = counterKey.split('/');
  if (!scopeKey || !limitId || !periodKey) return null;
  const day = /(\d{4}-\d{2}-\d{2})$/.exec(periodKey)?.[1];
  if (!day) return null;
  const scopeId = scopeKey.split('~')[0]!;
  const contracts = tenant.rules.contracts;
  // The chain's contract in force on the period's first day (or the first of the chain).
  const chain = contracts
    .filter((c) => chainRoot(contracts, c).id === scopeId)
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  const contract = chain.filter((c) => c.start <= day).at(-1) ?? chain[0];
  const plan = contract ? tenant.plans.get(contract.plan) : undefined;
  const limit = plan?.limits.find((l) => l.id === limitId);
  if (!contract || !plan || !limit) return null;
  const periodAt = finderFor(tenant, contract, plan, limit);
  const noon = Date.parse(`${day}T12:00:00Z`);
  // The period whose first local day is `day`: look around noon UTC of that date.
  const period = [noon, noon - 86_400_000, noon + 86_400_000]
    .map((ms) => periodAt(ms))
    .find((p) => p.key === periodKey);
  if (!period) return null;
  const allowance = cachedAllowanceRef({
    contracts,
    contract,
    plan,
    limit,
    scopeKey,
    period,
    periodAt,
    plans: tenant.plans,
  });
  return { scopeKey, contract, plan, limit, period, allowance };
}

/**
 * The counter keys of every contract-wide quota in force on a local date: what a usage report
 * lists for that day even when nothing has been counted yet. Per-account quotas are left out
 * (their accounts are known only from what was counted).
 */
export function counterKeysOn(tenant: CompiledTenant, localDate: string): string[] {
  const keys: string[] = [];
  const contracts = tenant.rules.contracts;
  for (const contract of contracts) {
    if (!inForce(contract, localDate)) continue;
    const perAccount = quotaPerOf(contract) === 'account';
    const plan = tenant.plans.get(contract.plan);
    if (perAccount || !plan) continue;
    const scopeKey = chainRoot(contracts, contract).id;
    const noon = Date.parse(`${localDate}T12:00:00Z`);
    for (const limit of plan.limits) {
      const periodAt = finderFor(tenant, contract, plan, limit);
      const period = [noon, noon - 86_400_000, noon + 86_400_000]
        .map((ms) => periodAt(ms))
        .find(
          (p) => p.label.start <= localDate && (p.label.end === null || p.label.end >= localDate),
        );
      if (period) keys.push(`${scopeKey}/${limit.id}/${period.key}`);
    }
  }
  return keys;
}

/**
 * The earliest start (epoch ms) of the periods in progress at `nowMs`, over every contract in
 * force that day and every limit of its plan (or only the limits `which` picks): where a
 * backfill of the current periods begins. Null when no contract (with such a limit) is in force.
 */
export function currentPeriodsStart(
  tenant: CompiledTenant,
  nowMs: number,
  which: (limit: LimitConfig) => boolean = () => true,
): number | null {
  const today = localDateOf(nowMs, tenant.rules.timeZone);
  let earliest: number | null = null;
  for (const contract of tenant.rules.contracts) {
    if (!inForce(contract, today)) continue;
    const plan = tenant.plans.get(contract.plan);
    if (!plan) continue;
    for (const limit of plan.limits) {
      if (!which(limit)) continue;
      const { start } = finderFor(tenant, contract, plan, limit)(nowMs);
      if (earliest === null || start < earliest) earliest = start;
    }
  }
  return earliest;
}
