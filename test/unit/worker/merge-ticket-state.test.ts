import { describe, expect, it } from 'vitest';
import { foldEvent } from '../../../worker/processors/merge-ticket-state.js';
import { emptyTicketState } from '../../../worker/stores/ticket-state-store.js';
import { ticketEvent } from '../../helpers/rules-fixtures.js';

const base = ticketEvent({ id: '5', subject: 'Help', createdAt: '2026-11-10T09:00:00Z' });
const customer = (at: string) =>
  ticketEvent(
    { ...base.ticket, status: 'open', updatedAt: at },
    { kind: 'ticket.customer_replied', occurredAt: at },
  );
const agent = (at: string) =>
  ticketEvent(
    { ...base.ticket, status: 'open', updatedAt: at },
    { kind: 'ticket.agent_replied', occurredAt: at, reply: { id: at, at, public: true } },
  );

describe('what the worker remembers of replies', () => {
  it('starts the next-response clock at the oldest customer message no agent has answered', () => {
    let state = emptyTicketState();
    for (const e of [
      agent('2026-11-10T09:10:00Z'),
      customer('2026-11-10T10:00:00Z'),
      customer('2026-11-10T10:30:00Z'),
    ]) {
      state = foldEvent(state, e, e.ticket, []);
    }
    expect(state.lastCustomerMessageAt).toBe('2026-11-10T10:00:00Z');

    // Answered; the next customer message starts a new wait.
    for (const e of [agent('2026-11-10T10:45:00Z'), customer('2026-11-10T11:00:00Z')]) {
      state = foldEvent(state, e, e.ticket, []);
    }
    expect(state.lastCustomerMessageAt).toBe('2026-11-10T11:00:00Z');
  });
});
