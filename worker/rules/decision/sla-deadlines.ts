import type { Priority, Ticket } from '../../../connectors/core/ticket.js';
import type { BusinessCalendar, Paused } from '../calendar/compile-calendar.js';
import type { SlaPolicyConfig, Target } from '../config/sla-schema.js';

export type SlaMetric = 'firstResponse' | 'nextResponse' | 'resolution';
export const SLA_METRICS: readonly SlaMetric[] = ['firstResponse', 'nextResponse', 'resolution'];

export interface MetricDue {
  /**
   * Target length in business minutes. For a business-day target, the business minutes from
   * the start to the due (0 while the due is unknown, paused).
   */
  targetMinutes: number;
  /** Set for a business-day target ('3bd'): the number of open days. */
  targetBusinessDays?: number;
  /** ISO instant; null while the clock is paused. */
  due: string | null;
  /** When the target was fulfilled (reply, solve), or null while open. */
  fulfilledAt: string | null;
  breached: boolean;
  paused: boolean;
  /** Open, not yet breached, and within the policy's warnBefore of its due instant. */
  atRisk: boolean;
}

export interface SlaOutcome {
  policyId: string;
  calendarId: string;
  /** The priority whose targets apply. */
  priority: Priority;
  firstResponse: MetricDue | null;
  nextResponse: MetricDue | null;
  resolution: MetricDue | null;
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
const iso = (t: number) => new Date(t).toISOString();

/** Paused spans from the ticket's history, plus the current one if it sits in a pausing status. */
export function pausedSpans(ticket: Ticket, policy: SlaPolicyConfig): Paused {
  const spans: [number, number][] = ticket.pausedIntervals.map((p) => [
    Date.parse(p.from),
    p.to === null ? Infinity : Date.parse(p.to),
  ]);
  const pausing = policy.pauseOn.includes(ticket.status.category);
  const open = spans.findIndex(([, to]) => to === Infinity);
  if (!pausing && open >= 0) spans[open]![1] = Date.parse(ticket.updatedAt);
  if (pausing && open < 0) spans.push([Date.parse(ticket.updatedAt), Infinity]);
  return spans.sort((a, b) => a[0] - b[0]);
}

function metric(
  calendar: BusinessCalendar,
  startMs: number,
  target: Target,
  fulfilledMs: number | null,
  paused: Paused,
  nowMs: number,
  warnMinutes: number,
): MetricDue {
  const minutes = typeof target === 'number';
  const dueMs = minutes
    ? calendar.addMinutes(startMs, target, paused)
    : calendar.addBusinessDays(startMs, target.businessDays, paused);
  const open = dueMs === Infinity;
  const endMs = fulfilledMs ?? nowMs;
  const breached = !open && endMs > dueMs;
  return {
    targetMinutes: minutes ? target : open ? 0 : calendar.minutesBetween(startMs, dueMs, paused),
    ...(minutes ? {} : { targetBusinessDays: target.businessDays }),
    due: open ? null : iso(dueMs),
    fulfilledAt: fulfilledMs === null ? null : iso(fulfilledMs),
    breached,
    paused: open && fulfilledMs === null,
    atRisk:
      !open &&
      !breached &&
      fulfilledMs === null &&
      warnMinutes > 0 &&
      nowMs >= dueMs - warnMinutes * 60_000,
  };
}

/**
 * Due instants for a ticket under a policy at `nowMs`: first response and resolution from the
 * ticket's creation, next response from the oldest customer message still unanswered.
 * Recomputed from scratch each time, so a priority change simply yields new dues, except for
 * targets already met (`met`, kept by the worker), which stay as they were when met.
 */
export function computeSla(
  policy: SlaPolicyConfig,
  calendar: BusinessCalendar,
  ticket: Ticket,
  nowMs: number,
  met: Partial<Record<SlaMetric, MetricDue>> = {},
): SlaOutcome {
  const priority = ticket.priority.category ?? policy.defaultPriority;
  const targets = policy.targets[priority] ?? policy.targets.all ?? {};
  const paused = pausedSpans(ticket, policy);
  const warn = policy.warnBefore;
  const created = Date.parse(ticket.createdAt);
  const firstReply = ms(ticket.firstAgentReplyAt);
  const lastAgent = ms(ticket.lastAgentReplyAt) ?? firstReply;
  const lastCustomer = ms(ticket.lastCustomerMessageAt);
  const solved =
    ms(ticket.solvedAt) ??
    (ticket.status.category === 'solved' || ticket.status.category === 'closed'
      ? Date.parse(ticket.updatedAt)
      : null);
  const awaitingReply =
    solved === null && lastAgent !== null && lastCustomer !== null && lastCustomer > lastAgent;

  return {
    policyId: policy.id,
    calendarId: policy.calendar,
    priority,
    // A met target keeps the due it was met against: later pauses or priorities do not move it.
    firstResponse:
      targets.firstResponse === undefined
        ? null
        : (met.firstResponse ??
          metric(calendar, created, targets.firstResponse, firstReply, paused, nowMs, warn)),
    nextResponse:
      targets.nextResponse === undefined || !awaitingReply
        ? null
        : metric(calendar, lastCustomer!, targets.nextResponse, null, paused, nowMs, warn),
    resolution:
      targets.resolution === undefined
        ? null
        : solved !== null && met.resolution
          ? met.resolution
          : metric(calendar, created, targets.resolution, solved, paused, nowMs, warn),
  };
}
