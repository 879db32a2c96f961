import type { Priority } from './ticket.js';

/** The due instants deskplan keeps on a ticket, by metric. */
export interface DueInstants {
  firstResponse: string | null;
  nextResponse: string | null;
  resolution: string | null;
}
export const DUE_METRICS = ['firstResponse', 'nextResponse', 'resolution'] as const;

/** Where a connector puts the due instant it read from the ticket (`ticket.customFields`). */
export const dueFieldKey = (metric: keyof DueInstants) => `deskplan.${metric}`;

/**
 * The changes one event makes to a ticket: desired state, computed against what the ticket
 * holds now, so an empty patch means the ticket already matches and nothing is written.
 */
export interface TicketPatch {
  addTags: string[];
  removeTags: string[];
  /** New priority, or null to leave it. */
  priority: Priority | null;
  /** Due instants to write (null clears the field); only the metrics that changed. */
  dues: Partial<DueInstants>;
  /** An internal note to add, or null. */
  note: string | null;
}

export function isEmptyPatch(patch: TicketPatch): boolean {
  return (
    patch.addTags.length === 0 &&
    patch.removeTags.length === 0 &&
    patch.priority === null &&
    Object.keys(patch.dues).length === 0 &&
    patch.note === null
  );
}
