import { PRIORITIES, type Priority, type TicketEvent } from '../../../connectors/core/ticket.js';
import type { CompiledTenant } from '../compile-tenant.js';
import type { PeriodUnit } from '../quota/period-of.js';
import { composeNote } from './compose-note.js';
import { expiryAlerts, type ExpiryAlert } from './contract-expiry.js';
import type { Resolution } from './resolve-ticket.js';
import { computeSla, SLA_METRICS, type SlaOutcome } from './sla-deadlines.js';
import { isOwnTag, tags } from './tags.js';
import { EMPTY_MEMORY, effectKeys, type QuotaVerdict, type TicketMemory } from './ticket-memory.js';

/** What the ledger says about one counter after this event was charged (or not). */
export interface CounterUsage {
  /** How many members the counter holds now. */
  count: number;
  /**
   * How many members the counter held when this event's member was counted (its 0-based slot);
   * null when this event counts nothing here, or its member is counted under another contract.
   */
  position: number | null;
  /** True when this very event added the member (a retry of the same event still says true). */
  chargedNow: boolean;
  /**
   * Set when the member is counted under another contract scope and stays there (a ticket that
   * moved after its period ended, or a reply counted before the move): it is not counted here.
   */
  countedUnder?: string;
}
export type Usage = Readonly<Record<string, CounterUsage>>;

export interface LimitUsage {
  limitId: string;
  unit: 'tickets' | 'responses';
  per: PeriodUnit;
  max: number | null;
  used: number;
  remaining: number | null;
  overage: number;
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
  kind: 'threshold' | 'exhausted' | 'overage';
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
  /** 'pending': the ticket's counting moment (first reply, solve) has not come yet. */
  quota: 'within' | 'over' | 'pending' | null;
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

function limitUsage(resolution: Resolution, usage: Usage): LimitUsage[] {
  return resolution.counters.map(({ key, limit, period }) => {
    const used = usage[key]?.count ?? 0;
    return {
      limitId: limit.id,
      unit: limit.unit,
      per: limit.per,
      max: limit.max,
      used,
      remaining: limit.max === null ? null : Math.max(0, limit.max - used),
      overage: limit.max === null ? 0 : Math.max(0, used - limit.max),
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

/** Over quota when any limit was already full when this ticket (or reply) was counted. */
function countedVerdict(resolution: Resolution, usage: Usage): QuotaVerdict {
  const over = resolution.counters.some(({ key, limit, member }) => {
    if (limit.max === null) return false;
    const u = usage[key];
    const position = member !== null ? (u?.position ?? null) : null;
    return position !== null ? position >= limit.max : (u?.count ?? 0) >= limit.max;
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

function crossedAlerts(
  resolution: Resolution,
  usage: Usage,
  thresholds: number[],
  done: ReadonlySet<string>,
): Alert[] {
  const alerts: Alert[] = [];
  for (const { key, limit } of resolution.counters) {
    const u = usage[key];
    if (limit.max === null || !u?.chargedNow || u.position === null) continue;
    const before = u.position * 100;
    const after = (u.position + 1) * 100;
    // Only the highest threshold this charge crossed: 2 of 2 says "100%", not "80%" as well.
    const max = limit.max;
    const crossed = thresholds.filter((t) => before < t * max && t * max <= after);
    if (crossed.length > 0) {
      const t = Math.max(...crossed);
      const kind = t >= 100 ? 'exhausted' : 'threshold';
      if (!done.has(effectKeys.alert(key, t))) {
        alerts.push({
          kind,
          limitId: limit.id,
          counterKey: key,
          threshold: t,
          used: u.position + 1,
          max: limit.max,
        });
      }
    }
    if (u.position === limit.max && !done.has(effectKeys.alert(key, null))) {
      alerts.push({
        kind: 'overage',
        limitId: limit.id,
        counterKey: key,
        threshold: null,
        used: u.position + 1,
        max: limit.max,
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
  const known = memory.quota?.scopeKey === scopeKey && memory.quota.planId === plan.id;
  const verdict = quotaVerdict(resolution, usage, memory, known);
  // Not counted yet (a limit counting on first reply or solve): no quota state, and the SLA
  // applies while the period's quota has room.
  const pendingLimit = known ? undefined : resolution.counters.find((c) => c.pending)?.limit;
  const pending = pendingLimit !== undefined;
  const over = verdict === 'over';
  const pastQuota = over && !pending;
  const limits = limitUsage(resolution, usage);
  const alerts = crossedAlerts(resolution, usage, plan.alerts, memory.done);
  alerts.push(...expiryAlerts(tenant, contract, plan, Date.parse(event.occurredAt), memory.done));
  const chargedKeys = resolution.counters.filter((c) => usage[c.key]?.chargedNow).map((c) => c.key);

  const policy = !over && plan.sla !== null ? tenant.policies.get(plan.sla) : undefined;
  const calendar = policy ? tenant.calendars.get(policy.calendar) : undefined;
  const sla = policy && calendar ? computeSla(policy, calendar, ticket, nowMs, memory.met) : null;

  const desired = [tags.plan(plan.id)];
  if (base.product) desired.push(tags.product(base.product.id));
  desired.push(pending ? tags.quotaPending : over ? tags.overQuota : tags.withinQuota);
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
  for (const a of alerts) effects.push(effectKeys.alert(a.counterKey, a.threshold));
  const approvedNow = approved && !memory.done.has(approvedNote);
  if (approvedNow) effects.push(approvedNote);
  // A ticket counted at its first reply or solve: its quota state is told once, then.
  const countedNote = effectKeys.countedNote(scopeKey, plan.id);
  const countsLate = plan.limits.some((l) => l.unit === 'tickets' && l.count !== 'on-create');
  const countedNow = countsLate && !pending && !known && !memory.done.has(countedNote);
  if (countedNow) effects.push(countedNote);
  const note =
    firstApplication || alerts.length > 0 || approvedNow || countedNow
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
        })
      : null;

  return build(base, {
    outcome: 'applied',
    contract: { id: contract.contract.id, scopeKey: contract.scopeKey },
    plan: { id: plan.id, name: plan.name },
    quota: pending ? 'pending' : verdict,
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
