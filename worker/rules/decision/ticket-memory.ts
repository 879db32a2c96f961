import type { MetricDue, SlaMetric, SlaOutcome } from './sla-deadlines.js';

export type QuotaVerdict = 'within' | 'over';

/** The quota state a ticket was counted with, and under which contract scope and plan. */
export interface QuotaMemory {
  scopeKey: string;
  planId: string;
  verdict: QuotaVerdict;
  /** The ledger member it was counted as when that is a recount after a reopen; else absent. */
  member?: string | null;
}

/**
 * What deskplan itself has done to a ticket, from its own state (never from what a webhook body
 * says, which may be stale or replayed): the effects already carried out, the quota state the
 * ticket was counted with, and the SLA targets already met.
 */
export interface TicketMemory {
  /** Effect keys done, or being done by another delivery right now: not to be done again. */
  done: ReadonlySet<string>;
  /**
   * The effects recorded on this ticket's own state (done or claimed), without those another
   * ticket carried out (a tenant-wide alert another ticket owns). Absent: the same as `done`.
   */
  recorded?: ReadonlySet<string>;
  quota: QuotaMemory | null;
  /** Targets met, as they stood when met: later pauses or priority changes do not move them. */
  met: Partial<Record<SlaMetric, MetricDue>>;
}

export const EMPTY_MEMORY: TicketMemory = Object.freeze({
  done: new Set<string>(),
  quota: null,
  met: {},
});

/**
 * One key per thing that must happen at most once on a ticket. Notes are keyed by their reason
 * (the plan applied under one contract, the no-contract notice, one alert of one counter), and
 * priority changes by their cause.
 */
export const effectKeys = {
  planNote: (scopeKey: string, planId: string) => `note:plan:${scopeKey}:${planId}`,
  noContractNote: 'note:no-contract',
  /** Also the tenant-wide key of the alert itself: one per counter and threshold. */
  alert: (counterKey: string, field: number | string | null) =>
    `alert:${counterKey}:${field ?? 'overage'}`,
  deprioritize: (scopeKey: string, planId: string) => `priority:deprioritize:${scopeKey}:${planId}`,
  /** A ticket counted later than its creation (first reply, solve): its quota state, noted once. */
  countedNote: (scopeKey: string, planId: string) => `note:counted:${scopeKey}:${planId}`,
  /** A held ticket's overage approved by an agent: said once in a note, and kept billable. */
  approvedNote: (scopeKey: string, planId: string) => `note:approved:${scopeKey}:${planId}`,
  breachRaise: (metric: SlaMetric) => `priority:breach:${metric}`,
  /** An agent waived the ticket: said once. */
  waivedNote: 'note:waived',
  /** The waive was taken back, so the ticket counts again: said once. */
  unwaivedNote: 'note:unwaived',
  /** A ticket counted again after a reopen: said once per new count. */
  recountNote: (scopeKey: string, planId: string, member: string) =>
    `note:recount:${scopeKey}:${planId}:${member}`,
} as const;

/** Effects that put text in the note. */
export const isNoteEffect = (key: string) => key.startsWith('note:') || key.startsWith('alert:');

/**
 * The met targets to keep after a decision: a first response stays met for good; a resolution
 * stays met while the ticket stays solved (a reopen starts its clock again). The first record of
 * a met target wins, so later recomputations never move it.
 */
export function metToKeep(
  sla: SlaOutcome | null,
  previous: TicketMemory['met'],
): TicketMemory['met'] {
  const kept: TicketMemory['met'] = {};
  const first = previous.firstResponse ?? sla?.firstResponse;
  if (first?.fulfilledAt) kept.firstResponse = first;
  const resolved = sla?.resolution?.fulfilledAt ? (previous.resolution ?? sla.resolution) : null;
  if (resolved) kept.resolution = resolved;
  return kept;
}

/**
 * Which alert of its counter an alert is, as kept in the tenant-wide claim: its threshold, or
 * 'overage', or 'topup-<threshold>' for a top-up suggestion.
 */
export const alertField = (a: { kind?: string; threshold: number | null }): string =>
  a.kind === 'topup-suggested' ? `topup-${a.threshold}` : String(a.threshold ?? 'overage');

/** The once-only effect key of an alert. */
export const alertKey = (a: { kind: string; counterKey: string; threshold: number | null }) =>
  effectKeys.alert(a.counterKey, alertField(a));
