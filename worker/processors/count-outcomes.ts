import type { Decision } from '../rules/index.js';
import { SLA_METRICS } from '../rules/decision/sla-deadlines.js';
import { quotaCharges, slaBreaches } from '../runtime/metrics.js';
import type { OnceMarks } from '../stores/once-marks.js';
import type { QuotaLedger } from '../stores/quota-ledger.js';

/**
 * The ledger, with each charge's result counted in the metrics: 'counted' when the charge
 * counted a member (a ticket or reply) against a counter, 'already_counted' when it found it
 * counted before (a later event of the same ticket, a replay). The ledger says which event
 * counted a member, and says so again to that event's retries: a mark per counter and event
 * keeps a retry, or a second worker, from counting it twice here.
 */
export function countingCharges(ledger: QuotaLedger, marks: OnceMarks): QuotaLedger {
  const counting = Object.create(ledger) as QuotaLedger;
  counting.charge = async (tenantId, counters, eventId, ...rest) => {
    const usage = await ledger.charge(tenantId, counters, eventId, ...rest);
    for (const [key, u] of Object.entries(usage)) {
      if (u.position === null) continue; // read, not counted (pending, excluded, waived)
      const counted = u.chargedNow && (await marks.first(tenantId, `charged:${key}:${eventId}`));
      quotaCharges.inc({ tenant: tenantId, result: counted ? 'counted' : 'already_counted' });
    }
    return usage;
  };
  return counting;
}

/**
 * Counts each breached SLA due once, whichever job (event, timer, retry, another worker) sees
 * it first: a mark per ticket, metric and due instant in deskplan's Redis says who did.
 */
export async function countBreaches(decision: Decision, marks: OnceMarks): Promise<void> {
  for (const metric of SLA_METRICS) {
    const due = decision.sla?.[metric];
    if (!due?.breached) continue;
    const key = `breach:${decision.ticketId}:${metric}:${due.due ?? ''}`;
    if (await marks.first(decision.tenantId, key)) {
      slaBreaches.inc({ tenant: decision.tenantId, metric });
    }
  }
}
