import { describe, expect, it } from 'vitest';
import { foldEvent, withState } from '../../../worker/processors/merge-ticket-state.js';
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

describe('what the worker remembers of solves and reopens', () => {
  const body = (status: 'open' | 'solved' | 'closed' | 'pending', at: string) =>
    ticketEvent(
      { ...base.ticket, status, updatedAt: at },
      { kind: 'ticket.updated', occurredAt: at },
    );
  const fold = (events: ReturnType<typeof body>[], state = emptyTicketState()) =>
    events.reduce((s, e) => foldEvent(s, e, e.ticket, []), state);

  it('records a reopen at the body that shows the ticket not solved, after the solve it follows', () => {
    const state = fold([
      body('open', '2026-11-10T09:00:00Z'),
      body('solved', '2026-11-11T09:00:00Z'),
      body('closed', '2026-11-12T09:00:00Z'), // still the same solve
      body('open', '2026-11-20T09:00:00Z'),
      body('pending', '2026-11-20T10:00:00Z'), // not solved: no second reopen
    ]);
    expect(state.reopens).toEqual([
      { at: '2026-11-20T09:00:00Z', solvedAt: '2026-11-11T09:00:00Z' },
    ]);
    expect(state.solvedSince).toBeNull();
    expect(withState(base.ticket, state).reopens).toEqual(state.reopens);
  });

  it('ignores a stale or out-of-order body', () => {
    const solved = fold([
      body('open', '2026-11-10T09:00:00Z'),
      body('solved', '2026-11-11T09:00:00Z'),
    ]);
    // Rendered before the solve, delivered after it: not a reopen.
    const late = fold([body('open', '2026-11-10T12:00:00Z')], solved);
    expect(late.reopens).toEqual([]);
    expect(late.solvedSince).toBe('2026-11-11T09:00:00Z');
    // A replay of the reopening body counts once.
    const reopen = body('open', '2026-11-15T09:00:00Z');
    const twice = fold([reopen, reopen], late);
    expect(twice.reopens).toHaveLength(1);
    // A solved body older than the reopen does not start a solve again.
    const stale = fold([body('solved', '2026-11-14T09:00:00Z')], twice);
    expect(stale.solvedSince).toBeNull();
  });

  it('keeps the last 50 reopens', () => {
    const events = Array.from({ length: 60 }, (_, i) => [
      body('solved', new Date(Date.UTC(2026, 0, 1 + 2 * i)).toISOString()),
      body('open', new Date(Date.UTC(2026, 0, 2 + 2 * i)).toISOString()),
    ]).flat();
    const state = fold(events);
    expect(state.reopens).toHaveLength(50);
    expect(state.reopens.at(-1)!.at).toBe(new Date(Date.UTC(2026, 0, 120)).toISOString());
  });
});
