import type { Decision } from '../rules/index.js';
import { SLA_METRICS } from '../rules/decision/sla-deadlines.js';
import type { TimerJobData } from '../queues/timer-queue.js';

export interface PlannedTimer {
  jobId: string;
  at: number;
  data: TimerJobData;
}

/**
 * The timers a decision needs: one just after each open due instant, and one `warnMinutes`
 * before it. Ids carry the instant, so a recomputed due gets a new timer and the old one is
 * cancelled by id. Pure.
 */
export function planTimers(decision: Decision, warnMinutes: number, nowMs: number): PlannedTimer[] {
  const timers: PlannedTimer[] = [];
  for (const metric of SLA_METRICS) {
    const due = decision.sla?.[metric];
    if (!due?.due || due.fulfilledAt || due.breached) continue;
    const dueMs = Date.parse(due.due);
    const base = {
      tenantId: decision.tenantId,
      ticketId: decision.ticketId,
      metric,
      dueAt: due.due,
    };
    const id = (kind: string) =>
      `timer-${decision.tenantId}-${decision.ticketId}-${metric}-${kind}-${dueMs}`;
    timers.push({ jobId: id('due'), at: dueMs + 1_000, data: { ...base, kind: 'due' } });
    const warnAt = dueMs - warnMinutes * 60_000;
    if (warnMinutes > 0 && warnAt > nowMs && !due.atRisk) {
      timers.push({ jobId: id('warn'), at: warnAt, data: { ...base, kind: 'warn' } });
    }
  }
  return timers;
}
