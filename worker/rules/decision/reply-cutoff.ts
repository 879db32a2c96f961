import type { TicketEvent } from '../../../connectors/core/ticket.js';
import type { Resolution } from './resolve-ticket.js';

/**
 * Replies are split between two counters of the same ledger at one instant per tenant, the
 * cut-off: the live pipeline counts the replies made at or after it, a backfill the ones made
 * before it. A webhook's reply id is not always the helpdesk's own comment id (a Zendesk
 * trigger or Freshdesk rule body is named by its hash), so the ledger alone could count a reply
 * once by its webhook and again by a backfill that read it from the helpdesk; the cut-off makes
 * each reply belong to exactly one side. A reply before the cut-off that arrives live only reads
 * its counters.
 */
export function countRepliesFrom(
  resolution: Resolution,
  event: TicketEvent,
  cutoffMs: number,
): Resolution {
  const at = event.reply ? Date.parse(event.reply.at) : Number.NaN;
  if (!(at < cutoffMs)) return resolution;
  const early = (c: Resolution['counters'][number]) =>
    c.limit.unit === 'responses' && c.member !== null;
  if (!resolution.counters.some(early)) return resolution;
  return {
    ...resolution,
    counters: resolution.counters.map((c) => (early(c) ? { ...c, member: null } : c)),
  };
}

/** How far back an event's own time may set the cut-off; an older (or unreadable) one uses now. */
const MAX_EVENT_AGE_MS = 24 * 3600 * 1000;

/**
 * The cut-off the first live event of a tenant proposes: the time of its reply (or of the
 * event), so that event's reply counts live, unless that time is in the future, unreadable or
 * more than a day old (a body with no usable time), when it is now.
 */
export function proposedCutoff(event: TicketEvent, nowMs: number): number {
  const at = Date.parse(event.reply?.at ?? event.occurredAt);
  return at <= nowMs && at >= nowMs - MAX_EVENT_AGE_MS ? at : nowMs;
}
