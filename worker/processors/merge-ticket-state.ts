import type { Ticket, TicketEvent } from '../../connectors/core/ticket.js';
import { trackPause, type TicketState } from '../stores/ticket-state-store.js';
import { trackReopens } from './track-reopens.js';

const later = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : Date.parse(a) >= Date.parse(b) ? a : b;

/**
 * The next-response clock runs from the oldest customer message no agent reply has answered:
 * a second message before the answer does not move it; the first one after an answer starts it.
 */
function oldestUnanswered(state: TicketState, atIso: string): string {
  const waiting = state.lastCustomerMessageAt;
  const answeredAt = state.lastAgentReplyAt ?? state.firstAgentReplyAt;
  const stillWaiting =
    waiting !== null && (answeredAt === null || Date.parse(waiting) > Date.parse(answeredAt));
  if (!stillWaiting) return atIso;
  // A message that arrives late but was written earlier (and after the answer) wins.
  return Date.parse(atIso) < Date.parse(waiting) &&
    (answeredAt === null || Date.parse(atIso) > Date.parse(answeredAt))
    ? atIso
    : waiting;
}

/** What this event teaches about the ticket's history (replies, pauses), folded into its state. */
export function foldEvent(
  state: TicketState,
  event: TicketEvent,
  ticket: Ticket,
  pauseOn: readonly string[],
): TicketState {
  let next = trackPause(state, ticket.status.category, [...pauseOn], ticket.updatedAt);
  next = trackReopens(next, ticket);
  if (event.kind === 'ticket.agent_replied' && event.reply?.public) {
    next = {
      ...next,
      firstAgentReplyAt: next.firstAgentReplyAt ?? event.reply.at,
      lastAgentReplyAt: later(next.lastAgentReplyAt, event.reply.at),
    };
  }
  const solved = ticket.status.category === 'solved' || ticket.status.category === 'closed';
  if (solved && next.firstSolvedAt === null) {
    next = { ...next, firstSolvedAt: ticket.solvedAt ?? ticket.updatedAt };
  }
  if (event.kind === 'ticket.customer_replied') {
    next = { ...next, lastCustomerMessageAt: oldestUnanswered(next, event.occurredAt) };
  }
  return next;
}

/** The ticket with the history deskplan keeps filled in where the vendor did not say. */
export function withState(ticket: Ticket, state: TicketState): Ticket {
  return {
    ...ticket,
    pausedIntervals: state.pausedIntervals,
    firstAgentReplyAt: ticket.firstAgentReplyAt ?? state.firstAgentReplyAt,
    lastAgentReplyAt: later(ticket.lastAgentReplyAt, state.lastAgentReplyAt),
    lastCustomerMessageAt: later(ticket.lastCustomerMessageAt, state.lastCustomerMessageAt),
    firstSolvedAt: ticket.firstSolvedAt ?? state.firstSolvedAt,
    reopens: state.reopens.length > 0 ? state.reopens : ticket.reopens,
  };
}
