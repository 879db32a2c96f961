import type { CallbackEventType } from '../rules/config/callback-schema.js';
import { SLA_METRICS } from '../rules/decision/sla-deadlines.js';
import { alertKey, type Decision } from '../rules/index.js';

/** A contract that covered the ticket's account until it ended (a no-contract decision's). */
export interface EndedContract {
  id: string;
  name: string;
  /** Its last day, a local date. */
  end: string;
}

/**
 * One thing a decision makes known, before it goes out to the subscribers. `key` names its
 * reason (one per reason, ever): the delivery id is derived from it. `owned` events are already
 * raised by one event only (the quota ledger's tenant-wide alert claim); the others still need
 * deskplan's own claim (`claimKey`, shared by reasons that must fire once between them).
 */
export interface CallbackEvent {
  type: CallbackEventType;
  key: string;
  claimKey: string | null;
  data: Record<string, unknown>;
}

const quotaType = {
  threshold: 'quota.threshold_crossed',
  exhausted: 'quota.exhausted',
  overage: 'quota.exhausted',
  'topup-suggested': 'quota.topup_suggested',
} as const;

/**
 * The callback events of a decision that was carried out: its alerts (which the worker only keeps
 * when this event owns them), the SLA targets at risk or breached, and a contract found ended.
 * `quota.exhausted` is one per counter: the 100% threshold or, without one, the first ticket past
 * the allowance, whichever comes first. Pure.
 */
export function callbackEventsOf(decision: Decision, ended: EndedContract | null): CallbackEvent[] {
  const out: CallbackEvent[] = [];
  const head = { ticketId: decision.ticketId };
  const contract = decision.contract ? { contractId: decision.contract.id } : {};
  const plan = decision.plan ? { planId: decision.plan.id } : {};
  for (const alert of decision.alerts) {
    if (alert.kind === 'expiring') {
      out.push({
        type: 'contract.expiring',
        key: alertKey(alert),
        claimKey: null,
        data: {
          ...head,
          contractId: alert.contract.id,
          contractName: alert.contract.name,
          lastDay: alert.lastDay,
          endsAt: alert.endsAt,
          daysLeft: alert.daysLeft,
          alertDays: alert.threshold,
        },
      });
      continue;
    }
    const type = quotaType[alert.kind];
    const usage = decision.usage.find((u) => u.counterKey === alert.counterKey);
    const exhausted = type === 'quota.exhausted';
    out.push({
      type,
      key: exhausted ? `quota.exhausted:${alert.counterKey}` : alertKey(alert),
      claimKey: exhausted ? `quota.exhausted:${alert.counterKey}` : null,
      data: {
        ...head,
        ...contract,
        ...plan,
        limitId: alert.limitId,
        counterKey: alert.counterKey,
        ...(alert.kind === 'overage' ? { reason: 'overage' } : {}),
        ...(alert.kind === 'exhausted' ? { reason: 'threshold' } : {}),
        threshold: alert.threshold,
        used: alert.used,
        allowance: alert.max,
        ...(usage
          ? { unit: usage.unit, period: { start: usage.period.start, end: usage.period.end } }
          : {}),
      },
    });
  }
  const sla = decision.outcome === 'applied' ? decision.sla : null;
  for (const metric of SLA_METRICS) {
    const due = sla?.[metric];
    if (!sla || !due?.due || due.fulfilledAt) continue;
    const type = due.breached ? 'sla.breached' : due.atRisk ? 'sla.warning' : null;
    if (!type) continue;
    const key = `${type}:${decision.ticketId}:${metric}`;
    out.push({
      type,
      key,
      claimKey: key,
      data: {
        ...head,
        ...contract,
        ...plan,
        metric,
        due: due.due,
        priority: sla.priority,
        policyId: sla.policyId,
      },
    });
  }
  if (decision.outcome === 'no-contract' && ended) {
    const key = `contract.expired:${ended.id}`;
    out.push({
      type: 'contract.expired',
      key,
      claimKey: key,
      data: { ...head, contractId: ended.id, contractName: ended.name, lastDay: ended.end },
    });
  }
  return out;
}
