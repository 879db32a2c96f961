import {
  DUE_METRICS,
  dueFieldKey,
  type DueInstants,
  type TicketPatch,
} from '../../connectors/core/ticket-patch.js';
import type { Ticket } from '../../connectors/core/ticket.js';
import { tagChanges, type Decision } from '../rules/index.js';

const sameInstant = (a: unknown, b: string | null) => {
  if (a === null || a === undefined || a === '') return b === null;
  return b !== null && Date.parse(String(a)) === Date.parse(b);
};

/**
 * The smallest change that brings the ticket to the decision's desired state. `dueMetrics` are
 * the due fields the tenant's helpdesk can hold. An empty patch means the ticket already matches:
 * this is also what ends the loop our own update's webhook would start.
 */
export function toPatch(
  decision: Decision,
  ticket: Ticket,
  dueMetrics: readonly (keyof DueInstants)[],
): TicketPatch {
  const { add, remove } = tagChanges(ticket.tags, decision.tags);
  const dues: Partial<DueInstants> = {};
  if (decision.outcome !== 'ignored') {
    for (const metric of DUE_METRICS) {
      if (!dueMetrics.includes(metric)) continue;
      const desired = decision.sla?.[metric]?.due ?? null;
      if (!sameInstant(ticket.customFields[dueFieldKey(metric)], desired)) dues[metric] = desired;
    }
  }
  return {
    addTags: add,
    removeTags: remove,
    priority: decision.priority !== ticket.priority.category ? decision.priority : null,
    dues,
    note: decision.note,
  };
}
