import type { Ticket } from '../../connectors/core/ticket.js';
import type { TicketState } from '../stores/ticket-state-store.js';

/** Reopens kept per ticket: the last ones only. */
const MAX_REOPENS = 50;

const SOLVED = new Set(['solved', 'closed']);
const NOT_SOLVED = new Set(['new', 'open', 'pending', 'hold']);

/**
 * Records solves and reopens from the status a body shows. A solved body starts a solve (kept
 * from its first sight); a later body that shows the ticket not solved is a reopen at its
 * updatedAt, after the solve. Only a body newer than the one the status was last taken from
 * counts, so a stale or out-of-order delivery changes nothing. Unknown statuses are ignored.
 */
export function trackReopens(state: TicketState, ticket: Ticket): TicketState {
  const category = ticket.status.category;
  if (!SOLVED.has(category) && !NOT_SOLVED.has(category)) return state;
  const at = ticket.updatedAt;
  if (state.statusFrom !== null && Date.parse(at) <= Date.parse(state.statusFrom)) return state;
  if (SOLVED.has(category)) {
    return { ...state, statusFrom: at, solvedSince: state.solvedSince ?? ticket.solvedAt ?? at };
  }
  if (state.solvedSince === null) return { ...state, statusFrom: at };
  const reopens = [...state.reopens, { at, solvedAt: state.solvedSince }].slice(-MAX_REOPENS);
  return { ...state, statusFrom: at, solvedSince: null, reopens };
}
