import { roundUnits } from '../quota/units.js';
import { PRIORITIES, type Priority, type TicketEvent } from '../../../connectors/core/ticket.js';
import type { CompiledTenant } from '../compile-tenant.js';
import type { PeriodAllowance } from '../quota/allowance.js';
import type { PeriodUnit } from '../quota/period-of.js';
import { composeNote } from './compose-note.js';
import { recountNoteOf, sameCount, type Recount } from './reopen-count.js';
import { expiryAlerts, type ExpiryAlert } from './contract-expiry.js';
import type { Counter, Resolution } from './resolve-ticket.js';
import { computeSla, SLA_METRICS, type SlaOutcome } from './sla-deadlines.js';
import { isOwnTag, tags } from './tags.js';
import {
  alertKey,
  EMPTY_MEMORY,
  effectKeys,
  type QuotaVerdict,
  type TicketMemory,
} from './ticket-memory.js';

/** What the ledger says about one counter after this event was charged (or not). */
export interface CounterUsage {
  /** How many members (tickets or replies) the counter holds now. */
  count: number;
  /** The units in use: the sum of its members' weights (= count when every weight is 1). */
  units: number;
  /**
   * The units the counter held when this event's member was counted (its place in the queue);
   * null when this event counts nothing here, or its member is counted under another contract,
   * or is waived. Later waives do not move it.
   */
  position: number | null;
  /** True when this very event added the member (a retry of the same event still says true). */
  chargedNow: boolean;
  /**
   * Set when the member is counted under another contract scope and stays there (a ticket that
   * moved after its period ended, or a reply counted before the move): it is not counted here.
   */
  countedUnder?: string;
  /** The ticket is waived (the agent's waive tag): nothing of it counts. */
  waived?: boolean;
  /**
   * What the period offers beyond the limit's own max (rollover, top-ups), when the limit has
   * either: its total and where it comes from; absent = the limit's max.
   */
  allowance?: PeriodAllowance;
}
export type Usage = Readonly<Record<string, CounterUsage>>;

export interface LimitUsage {
  limitId: string;
  unit: 'tickets' | 'responses';
  per: PeriodUnit;
  /** The limit's own allowance per period; null = unlimited. */
  max: number | null;
  /** Everything available this period: max plus rollover and top-ups; null = unlimited. */
  allowance: number | null;
  /** Units used (tickets or replies times their weights). */
  used: number;
  /** How many tickets or replies are counted. */
  count: number;
  remaining: number | null;
  overage: number;
  /** The limit weighs its members: figures are units, not tickets. */
  weighted: boolean;
  /** Beyond max, what the allowance holds this period (rollover, top-ups); null when neither. */
  extra: { rolledIn: number; topUps: number } | null;
  /** The weight this event's member counted with, when it counted here. */
  weight: number | null;
  counterKey: string;
  period: {
    key: string;
    start: string;
    end: string | null;
    firstDay: string;
    lastDay: string | null;
  };
  anniversary: boolean;
}

export type Alert = QuotaAlert | ExpiryAlert;
export interface QuotaAlert {
  /** topup-suggested: the plan's `suggestTopUpAt` share of the whole allowance was reached. */
  kind: 'threshold' | 'exhausted' | 'overage' | 'topup-suggested';
  limitId: string;
  /** The counter (limit, contract, period) whose threshold this is: one alert per pair. */
  counterKey: string;
  threshold: number | null;
  used: number;
  max: number;
}

export interface Decision {
  tenantId: string;
  ticketId: string;
  eventId: string;
  outcome: 'applied' | 'no-contract' | 'ignored';
  product: { id: string; name: string } | null;
  productSource: Resolution['productSource'];
  contract: { id: string; scopeKey: string } | null;
  plan: { id: string; name: string } | null;
  /**
   * 'pending': the ticket's counting moment (first reply, solve) has not come yet; 'excluded':
   * it matches an exclusion and is not counted (it keeps the SLA of a ticket within quota);
   * 'waived': an agent waived it, so nothing of it counts (it is served as within quota).
   */
  quota: 'within' | 'over' | 'pending' | 'excluded' | 'waived' | null;
  /** A reopen after the window that counts the ticket again (the resolution's), or null. */
  recount: Recount | null;
  /** Counter keys this event was charged against. */
  chargedKeys: string[];
  usage: LimitUsage[];
  sla: SlaOutcome | null;
  /** Priority to set, or null to leave the ticket's priority alone. */
  priority: Priority | null;
  /** The full desired set of deskplan's own tags (others are never touched); null = leave them. */
  tags: string[] | null;
  note: string | null;
  alerts: Alert[];
  /**
   * Keys of the once-only effects this decision carries (its note's reasons, its alerts, its
   * priority changes). The worker records them as done, so no later event repeats them.
   */
  effects: string[];
}

const rank = (p: Priority | null) => (p === null ? -1 : PRIORITIES.indexOf(p));

/** Everything the counter's period offers: the limit's max plus rollover and top-ups. */
const allowanceOf = (counter: Counter, usage: Usage): number | null =>
  counter.limit.max === null ? null : (usage[counter.key]?.allowance?.total ?? counter.limit.max);

function limitUsage(resolution: Resolution, usage: Usage): LimitUsage[] {
  return resolution.counters.map((counter) => {
    const { key, limit, period } = counter;
    const u = usage[key];
    const used = u?.units ?? 0;
    const allowance = allowanceOf(counter, usage);
    return {
      limitId: limit.id,
      unit: limit.unit,
      per: limit.per,
      max: limit.max,
      allowance,
      used,
      count: u?.count ?? 0,
      remaining: allowance === null ? null : roundUnits(Math.max(0, allowance - used)),
      overage: allowance === null ? 0 : roundUnits(Math.max(0, used - allowance)),
      weighted: limit.weights !== undefined,
      extra: u?.allowance
        ? {
            rolledIn: roundUnits(u.allowance.rolledIn.reduce((n, r) => n + r.units, 0)),
            topUps: roundUnits(u.allowance.topUps.reduce((n, t) => n + t.available, 0)),
          }
        : null,
      weight: u?.chargedNow && u.position !== null ? counter.weighing.weight : null,
      counterKey: key,
      period: {
        key: period.key,
        start: period.iso.start,
        end: period.iso.end,
        firstDay: period.label.start,
        lastDay: period.label.end,
      },
      anniversary: resolution.plan?.reset === 'anniversary' && limit.per !== 'term',
    };
  });
}

/**
 * Over quota when any limit's allowance was already used up when this ticket (or reply) was
 * counted: its place in the queue (the units before it) is at or past the allowance. A ticket
 * that starts within the allowance is within, even when its weight runs past it (the part past
 * it is overage units).
 */
function countedVerdict(resolution: Resolution, usage: Usage): QuotaVerdict {
  const over = resolution.counters.some((counter) => {
    const allowance = allowanceOf(counter, usage);
    if (allowance === null) return false;
    const u = usage[counter.key];
    const position = counter.member !== null ? (u?.position ?? null) : null;
    return position !== null ? position >= allowance : (u?.units ?? 0) >= allowance;
  });
  return over ? 'over' : 'within';
}

/**
 * The quota state of the ticket: the one it was counted with under this contract and plan, when
 * deskplan remembers one (so a ticket counted within quota keeps its SLA after the quota runs
 * out, whatever the limit's unit); else what the counters say now. A ticket counted under another
 * contract before (a move) is judged afresh on the new one.
 */
function quotaVerdict(
  resolution: Resolution,
  usage: Usage,
  memory: TicketMemory,
  known: boolean,
): QuotaVerdict {
  if (memory.quota && known) return memory.quota.verdict;
  const stayed = resolution.counters.some(
    (c) => c.member?.startsWith('ticket-') && usage[c.key]?.countedUnder !== undefined,
  );
  if (memory.quota && stayed) return memory.quota.verdict;
  return countedVerdict(resolution, usage);
}

/**
 * The alerts this event's charge raised: the highest usage threshold (a % of the period's whole
 * allowance) its units crossed, and the first overage; one per counter and threshold, ever.
 */
function crossedAlerts(
  resolution: Resolution,
  usage: Usage,
  thresholds: number[],
  suggestAt: number | null,
  done: ReadonlySet<string>,
): Alert[] {
  const alerts: Alert[] = [];
  for (const counter of resolution.counters) {
    const { key, limit } = counter;
    const u = usage[key];
    const allowance = allowanceOf(counter, usage);
    if (allowance === null || !u?.chargedNow || u.position === null) continue;
    const before = u.position;
    const after = roundUnits(u.position + counter.weighing.weight);
    // Only the highest threshold this charge crossed: 2 of 2 says "100%", not "80%" as well.
    const crossed = thresholds.filter(
      (t) => before * 100 < t * allowance && t * allowance <= after * 100,
    );
    if (crossed.length > 0) {
      const t = Math.max(...crossed);
      const kind = t >= 100 ? 'exhausted' : 'threshold';
      if (!done.has(effectKeys.alert(key, t))) {
        alerts.push({
          kind,
          limitId: limit.id,
          counterKey: key,
          threshold: t,
          used: after,
          max: allowance,
        });
      }
    }
    if (
      suggestAt !== null &&
      before * 100 < suggestAt * allowance &&
      suggestAt * allowance <= after * 100
    ) {
      const a = {
        kind: 'topup-suggested' as const,
        limitId: limit.id,
        counterKey: key,
        threshold: suggestAt,
        used: after,
        max: allowance,
      };
      if (!done.has(alertKey(a))) alerts.push(a);
    }
    if (before <= allowance && allowance < after && !done.has(effectKeys.alert(key, null))) {
      alerts.push({
        kind: 'overage',
        limitId: limit.id,
        counterKey: key,
        threshold: null,
        used: after,
        max: allowance,
      });
    }
  }
  return alerts;
}

type Head = Pick<Decision, 'tenantId' | 'ticketId' | 'eventId' | 'product' | 'productSource'>;

/** The fields of a decision that applies no plan (fresh arrays each time). */
const nothing = () => ({
  contract: null,
  plan: null,
  quota: null,
  recount: null,
  chargedKeys: [],
  usage: [],
  sla: null,
  priority: null,
  alerts: [],
});

/**
 * The decision object with every property written out: one shape for every outcome, and no
 * object spread on the hot path (profiling showed spreads costing more than the SLA maths).
 */
function build(h: Head, b: Omit<Decision, keyof Head>): Decision {
  return {
    tenantId: h.tenantId,
    ticketId: h.ticketId,
    eventId: h.eventId,
    outcome: b.outcome,
    product: h.product,
    productSource: h.productSource,
    contract: b.contract,
    plan: b.plan,
    quota: b.quota,
    recount: b.recount,
    chargedKeys: b.chargedKeys,
    usage: b.usage,
    sla: b.sla,
    priority: b.priority,
    tags: b.tags,
    note: b.note,
    alerts: b.alerts,
    effects: b.effects,
  };
}

/**
 * The decision for one ticket event: given the resolution (product, contract, counters), what
 * the quota ledger holds for its counters, the instant to judge SLA breaches at, and what
 * deskplan remembers doing to the ticket, return everything that must happen to the ticket.
 * Pure: same inputs, same decision.
 */
export function decide(
  tenant: CompiledTenant,
  event: TicketEvent,
  resolution: Resolution,
  usage: Usage,
  nowMs: number = Date.parse(event.occurredAt),
  memory: TicketMemory = EMPTY_MEMORY,
): Decision {
  const { ticket } = event;
  const base: Head = {
    tenantId: tenant.rules.id,
    ticketId: ticket.id,
    eventId: event.eventId,
    product: resolution.product
      ? {
          id: resolution.product,
          name: tenant.productNames.get(resolution.product) ?? resolution.product,
        }
      : null,
    productSource: resolution.productSource,
  };

  if (ticket.status.category === 'spam') {
    return build(base, {
      outcome: 'ignored',
      ...nothing(),
      tags: null,
      note: null,
      effects: [],
    });
  }
  const { contract, plan } = resolution;
  if (!contract || !plan) {
    const desired = [tags.noContract, ...(base.product ? [tags.product(base.product.id)] : [])];
    const first = !memory.done.has(effectKeys.noContractNote);
    const note = first
      ? composeNote(tenant, {
          kind: 'no-contract',
          product: base.product?.name ?? null,
          ended: resolution.ended
            ? { name: resolution.ended.name ?? resolution.ended.id, end: resolution.ended.end! }
            : null,
        })
      : null;
    return build(base, {
      outcome: 'no-contract',
      ...nothing(),
      tags: desired,
      note,
      effects: first ? [effectKeys.noContractNote] : [],
    });
  }

  const { scopeKey } = contract;
  // The ledger's word on the waive (it orders bodies by their updatedAt), else the body's.
  const waived =
    resolution.counters.length > 0
      ? resolution.counters.some((c) => usage[c.key]?.waived === true)
      : resolution.waived;
  const known =
    memory.quota?.scopeKey === scopeKey &&
    memory.quota.planId === plan.id &&
    sameCount(memory.quota, resolution.recount);
  // Counted before (the ledger still holds it): it stays counted, whatever matches now.
  const countedAlready = resolution.counters.some(
    (c) => c.lookupOnly === true && usage[c.key]?.position != null,
  );
  const excluded = resolution.excluded !== null && !known && !waived && !countedAlready;
  const verdict = excluded || waived ? 'within' : quotaVerdict(resolution, usage, memory, known);
  // Not counted yet (a limit counting on first reply or solve): no quota state, and the SLA
  // applies while the period's quota has room.
  const pendingLimit =
    known || waived ? undefined : resolution.counters.find((c) => c.pending)?.limit;
  const pending = pendingLimit !== undefined;
  const over = verdict === 'over';
  const pastQuota = over && !pending;
  const limits = limitUsage(resolution, usage);
  const alerts: Alert[] = waived
    ? []
    : crossedAlerts(resolution, usage, plan.alerts, plan.suggestTopUpAt ?? null, memory.done);
  alerts.push(...expiryAlerts(tenant, contract, plan, Date.parse(event.occurredAt), memory.done));
  const chargedKeys = resolution.counters.filter((c) => usage[c.key]?.chargedNow).map((c) => c.key);

  const policy = !over && plan.sla !== null ? tenant.policies.get(plan.sla) : undefined;
  const calendar = policy ? tenant.calendars.get(policy.calendar) : undefined;
  const sla = policy && calendar ? computeSla(policy, calendar, ticket, nowMs, memory.met) : null;

  const desired = [tags.plan(plan.id)];
  if (base.product) desired.push(tags.product(base.product.id));
  // The agent's waive tag is theirs: kept while on the ticket, never added by deskplan.
  if (ticket.tags.includes(tags.waive)) desired.push(tags.waive);
  if (!waived) {
    desired.push(
      excluded
        ? tags.excluded
        : pending
          ? tags.quotaPending
          : over
            ? tags.overQuota
            : tags.withinQuota,
    );
  }
  // A held ticket waits for an agent's approval tag; once approved (as deskplan remembers it,
  // so a stale body without the tag does not take it back) its overage is billable.
  const approvedNote = effectKeys.approvedNote(scopeKey, plan.id);
  const approved =
    pastQuota &&
    plan.overage.action === 'hold' &&
    (memory.done.has(approvedNote) || ticket.tags.includes(tags.approved));
  if (pastQuota) {
    const action = plan.overage.action;
    if (action === 'hold') {
      desired.push(...(approved ? [tags.billable, tags.approved] : [tags.awaitingApproval]));
    } else {
      desired.push(
        action === 'bill'
          ? tags.billable
          : action === 'self-help'
            ? tags.selfHelp
            : tags.deprioritized,
      );
    }
    if (plan.overage.upsell) desired.push(tags.upsell);
  }
  // The ticket that reached the top-up threshold carries the suggestion (its own state says so;
  // not a ticket that crossed it again after a waive, whose alert another ticket owns).
  const suggested =
    alerts.some((a) => a.kind === 'topup-suggested') ||
    [...(memory.recorded ?? memory.done)].some(
      (k) => k.startsWith('alert:') && k.includes(':topup-'),
    );
  if (suggested) desired.push(tags.topUpSuggested);
  if (!sla) desired.push(tags.noSla);
  const breached = SLA_METRICS.filter((m) => sla?.[m]?.breached);
  const breachTag = {
    firstResponse: 'first_response',
    nextResponse: 'next_response',
    resolution: 'resolution',
  } as const;
  for (const m of breached) desired.push(tags.breach(breachTag[m]));
  if (SLA_METRICS.some((m) => sla?.[m]?.atRisk)) desired.push(tags.atRisk);

  // Each priority change happens once per cause, as deskplan remembers it: an agent who moves
  // the priority afterwards is not overruled by a later (or stale) event.
  const effects: string[] = [];
  let priority: Priority | null = null;
  const current = ticket.priority.category;
  const deprioritize = effectKeys.deprioritize(scopeKey, plan.id);
  if (pastQuota && plan.overage.action === 'deprioritize' && !memory.done.has(deprioritize)) {
    priority = plan.overage.priority;
    effects.push(deprioritize);
  }
  const raiseTo = policy?.onBreach.priority ?? null;
  const newlyBreached = breached.filter((m) => !memory.done.has(effectKeys.breachRaise(m)));
  if (newlyBreached.length > 0 && raiseTo !== null) {
    if (rank(raiseTo) > rank(current)) priority = raiseTo;
    effects.push(...newlyBreached.map((m) => effectKeys.breachRaise(m)));
  }
  if (priority === current) priority = null;

  const planNote = effectKeys.planNote(scopeKey, plan.id);
  const firstApplication = !memory.done.has(planNote);
  if (firstApplication) effects.push(planNote);
  for (const a of alerts) effects.push(alertKey(a));
  const approvedNow = approved && !memory.done.has(approvedNote);
  if (approvedNow) effects.push(approvedNote);
  // A ticket counted at its first reply or solve: its quota state is told once, then.
  const countedNote = effectKeys.countedNote(scopeKey, plan.id);
  const countsLate = plan.limits.some((l) => l.unit === 'tickets' && l.count !== 'on-create');
  const countedNow =
    countsLate && !pending && !known && !waived && !excluded && !memory.done.has(countedNote);
  if (countedNow) effects.push(countedNote);
  const recount = waived ? null : recountNoteOf(resolution, scopeKey, plan.id, known, memory.done);
  if (recount) effects.push(recount.key);
  // A waive is told once, and so is taking it back (the ledger's history keeps every change).
  const waivedNow = waived && !memory.done.has(effectKeys.waivedNote);
  if (waivedNow) effects.push(effectKeys.waivedNote);
  const unwaivedNow =
    !waived && memory.done.has(effectKeys.waivedNote) && !memory.done.has(effectKeys.unwaivedNote);
  if (unwaivedNow) effects.push(effectKeys.unwaivedNote);
  const weighed = resolution.counters.find(
    (c) =>
      // Counted here (by this delivery or a duplicate that raced it): its note says its weight.
      c.weighing.factors.length > 0 && usage[c.key]?.position != null,
  );
  const note =
    firstApplication ||
    alerts.length > 0 ||
    approvedNow ||
    countedNow ||
    recount ||
    waivedNow ||
    unwaivedNow
      ? composeNote(tenant, {
          kind: 'plan',
          plan,
          product: base.product?.name ?? null,
          over: pastQuota,
          pending: pendingLimit?.count ?? null,
          limits,
          sla,
          alerts,
          firstApplication,
          approvedNow,
          waive: waivedNow ? 'waived' : unwaivedNow ? 'unwaived' : null,
          weighing: weighed?.weighing ?? null,
          excluded: excluded ? resolution.excluded : null,
          recount: recount ? resolution.recount : null,
        })
      : null;

  return build(base, {
    outcome: 'applied',
    contract: { id: contract.contract.id, scopeKey: contract.scopeKey },
    plan: { id: plan.id, name: plan.name },
    quota: waived ? 'waived' : excluded ? 'excluded' : pending ? 'pending' : verdict,
    recount: resolution.recount,
    chargedKeys,
    usage: limits,
    sla,
    priority,
    tags: desired,
    note,
    alerts,
    effects,
  });
}

/** Tags to add and remove so the ticket carries exactly the desired deskplan tags. */
export function tagChanges(current: readonly string[], desired: readonly string[] | null) {
  if (desired === null) return { add: [], remove: [] };
  return {
    add: desired.filter((t) => !current.includes(t)),
    remove: current.filter((t) => isOwnTag(t) && !desired.includes(t)),
  };
}
