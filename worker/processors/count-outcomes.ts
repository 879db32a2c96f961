import type { Decision } from '../rules/index.js';
import { SLA_METRICS } from '../rules/decision/sla-deadlines.js';
import { quotaCharges, slaBreaches } from '../runtime/metrics.js';
import type { OnceMarks } from '../stores/once-marks.js';
import type { QuotaLedger } from '../stores/quota-ledger.js';

/**
 * The ledger, with each charge's result counted in the metrics: 'counted' when this very call
 * counted a member (a ticket or reply) against a counter, 'already_counted' when it found it
 * counted before (a later event of the same ticket, a replay, a retry of the counting event).
 * The ledger's script says which, in the same round trip.
 */
export function countingCharges(ledger: QuotaLedger): QuotaLedger {
  const counting = Object.create(ledger) as QuotaLedger;
  counting.charge = async (tenantId, ...rest) => {
    const { usage, added } = await ledger.chargeCounting(tenantId, ...rest);
    for (const [key, u] of Object.entries(usage)) {
      if (u.position === null) continue; // read, not counted (pending, excluded, waived)
      quotaCharges.inc({
        tenant: tenantId,
        result: added.has(key) ? 'counted' : 'already_counted',
      });
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
