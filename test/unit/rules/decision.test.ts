import { describe, expect, it } from 'vitest';
import { tagChanges } from '../../../worker/rules/index.js';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

function tenantWith(plan: Record<string, unknown>, policy: Record<string, unknown> = {}) {
  return compileConfig({
    id: 'agency-client',
    timeZone: 'America/New_York',
    slaPolicies: [
      {
        id: 'std',
        targets: { all: { firstResponse: '2h', nextResponse: '1h', resolution: '1d' } },
        ...policy,
      },
    ],
    plans: [{ id: 'p', name: 'Replies', sla: 'std', ...plan }],
    contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' }],
  });
}

const created = (id = '1') =>
  ticketEvent({ id, subject: 'Help', account: org('1'), createdAt: '2026-11-10T10:00:00-05:00' });

describe('the decision for one ticket event', () => {
  it('charges a response-counted plan per public agent reply, once per reply', () => {
    const tenant = tenantWith({ limits: [{ unit: 'responses', max: 2, per: 'month' }] });
    const ledger = new MemoryLedger();
    const opened = handle(tenant, ledger, created());
    expect(opened.chargedKeys).toEqual([]);
    expect(opened.usage[0]).toMatchObject({ used: 0, remaining: 2 });

    const reply = (n: number, at: string, isPublic = true) =>
      handle(
        tenant,
        ledger,
        ticketEvent(
          { ...created().ticket, status: 'open', priority: 'normal', tags: opened.tags! },
          {
            kind: 'ticket.agent_replied',
            eventId: `r${n}`,
            occurredAt: at,
            reply: { id: `c${n}`, at, public: isPublic },
          },
        ),
      );
    expect(reply(1, '2026-11-10T16:00:00Z').usage[0]).toMatchObject({ used: 1, remaining: 1 });
    expect(reply(1, '2026-11-10T16:00:00Z').usage[0]!.used).toBe(1); // a retried delivery
    expect(reply(9, '2026-11-10T16:30:00Z', false).usage[0]!.used).toBe(1); // internal notes are free
    const second = reply(2, '2026-11-11T16:00:00Z');
    expect(second.usage[0]).toMatchObject({ used: 2, remaining: 0 });
    // 1 of 2 → 2 of 2 crosses 80% as well, but only the highest threshold is told
    expect(second.alerts.map((a) => [a.kind, a.threshold])).toEqual([['exhausted', 100]]);
    // The third reply is overage, but the ticket was counted within quota and keeps its SLA.
    const third = reply(3, '2026-11-12T16:00:00Z');
    expect(third.usage[0]).toMatchObject({ used: 3, overage: 1 });
    expect(third.quota).toBe('within');
    expect(third.sla?.resolution?.due).not.toBeNull();
  });

  it('stops the clock while the ticket waits on the customer', () => {
    const tenant = tenantWith({});
    const ledger = new MemoryLedger();
    const first = handle(tenant, ledger, created());
    expect(first.sla?.resolution?.due).toBe('2026-11-11T15:00:00.000Z');
    const pending = ticketEvent(
      {
        ...created().ticket,
        status: 'pending',
        tags: first.tags!,
        updatedAt: '2026-11-10T17:00:00Z',
      },
      { kind: 'ticket.updated' },
    );
    const paused = handle(tenant, ledger, pending);
    expect(paused.sla?.resolution).toMatchObject({ due: null, paused: true, breached: false });
    const resumed = ticketEvent(
      {
        ...created().ticket,
        status: 'open',
        tags: first.tags!,
        updatedAt: '2026-11-11T17:00:00Z',
        pausedIntervals: [{ from: '2026-11-10T17:00:00Z', to: '2026-11-11T17:00:00Z' }],
      },
      { kind: 'ticket.updated' },
    );
    // a day on hold moves the due a day later
    expect(handle(tenant, ledger, resumed).sla?.resolution?.due).toBe('2026-11-12T15:00:00.000Z');
  });

  it('sets a next-response due when a customer writes after the last agent reply', () => {
    const tenant = tenantWith({});
    const ledger = new MemoryLedger();
    const event = ticketEvent(
      {
        ...created().ticket,
        status: 'open',
        firstAgentReplyAt: '2026-11-10T16:00:00Z',
        lastAgentReplyAt: '2026-11-10T16:00:00Z',
        lastCustomerMessageAt: '2026-11-10T18:00:00Z',
      },
      { kind: 'ticket.customer_replied', occurredAt: '2026-11-10T18:00:00Z' },
    );
    const d = handle(tenant, ledger, event);
    expect(d.sla?.firstResponse).toMatchObject({
      due: '2026-11-10T17:00:00.000Z',
      breached: false,
    });
    expect(d.sla?.nextResponse?.due).toBe('2026-11-10T19:00:00.000Z');
  });

  it('marks a late first reply as breached even after it was sent', () => {
    const tenant = tenantWith({});
    const d = handle(
      tenant,
      new MemoryLedger(),
      ticketEvent({
        ...created().ticket,
        status: 'open',
        firstAgentReplyAt: '2026-11-10T18:00:00Z',
      }),
    );
    expect(d.sla?.firstResponse).toMatchObject({
      breached: true,
      fulfilledAt: '2026-11-10T18:00:00.000Z',
    });
    expect(d.tags).toContain('deskplan_breach_first_response');
  });

  it('leaves spam alone and does not count it', () => {
    const tenant = tenantWith({ limits: [{ max: 5, per: 'month' }] });
    const ledger = new MemoryLedger();
    const d = handle(tenant, ledger, ticketEvent({ ...created().ticket, status: 'spam' }));
    expect(d.outcome).toBe('ignored');
    expect(d.tags).toBeNull();
    expect(ledger.counters.size).toBe(0);
  });

  it('changes only deskplan tags on the ticket', () => {
    expect(
      tagChanges(
        ['vip', 'deskplan_within_quota', 'deskplan_plan_basic', 'billing'],
        ['deskplan_plan_basic', 'deskplan_over_quota'],
      ),
    ).toEqual({ add: ['deskplan_over_quota'], remove: ['deskplan_within_quota'] });
    expect(tagChanges(['vip', 'deskplan_x'], null)).toEqual({ add: [], remove: [] });
  });

  it('keeps a met first-response due fixed through later pauses and priority changes', () => {
    const tenant = tenantWith(
      {},
      {
        targets: {
          all: { firstResponse: '2h', resolution: '1d' },
          urgent: { firstResponse: '30m', resolution: '4h' },
        },
      },
    );
    const ledger = new MemoryLedger();
    const replied = ticketEvent(
      {
        ...created().ticket,
        status: 'open',
        firstAgentReplyAt: '2026-11-10T16:00:00Z',
        updatedAt: '2026-11-10T16:00:00Z',
      },
      { kind: 'ticket.updated', occurredAt: '2026-11-10T16:00:00Z' },
    );
    const met = handle(tenant, ledger, replied);
    expect(met.sla?.firstResponse).toMatchObject({
      due: '2026-11-10T17:00:00.000Z',
      fulfilledAt: '2026-11-10T16:00:00.000Z',
    });

    // A pending spell after the reply, then the priority raised to urgent.
    const later = ticketEvent(
      {
        ...replied.ticket,
        priority: 'urgent',
        updatedAt: '2026-11-10T18:00:00Z',
        pausedIntervals: [{ from: '2026-11-10T16:30:00Z', to: '2026-11-10T17:30:00Z' }],
      },
      { kind: 'ticket.updated', occurredAt: '2026-11-10T18:00:00Z' },
    );
    const after = handle(tenant, ledger, later);
    expect(after.sla?.firstResponse).toMatchObject({
      due: '2026-11-10T17:00:00.000Z',
      breached: false,
    });
    // The open resolution target still follows the new priority.
    expect(after.sla?.resolution?.targetMinutes).toBe(240);
  });

  it('keeps a met resolution due fixed while the ticket stays solved, and frees it on reopen', () => {
    const tenant = tenantWith({});
    const ledger = new MemoryLedger();
    const solved = ticketEvent(
      {
        ...created().ticket,
        status: 'solved',
        firstAgentReplyAt: '2026-11-10T16:00:00Z',
        updatedAt: '2026-11-10T20:00:00Z',
      },
      { kind: 'ticket.updated', occurredAt: '2026-11-10T20:00:00Z' },
    );
    const done = handle(tenant, ledger, solved);
    expect(done.sla?.resolution).toMatchObject({
      due: '2026-11-11T15:00:00.000Z',
      fulfilledAt: '2026-11-10T20:00:00.000Z',
    });
    const edited = ticketEvent(
      {
        ...solved.ticket,
        priority: 'high',
        updatedAt: '2026-11-12T09:00:00Z',
        pausedIntervals: [{ from: '2026-11-10T18:00:00Z', to: '2026-11-10T19:00:00Z' }],
      },
      { kind: 'ticket.updated', occurredAt: '2026-11-12T09:00:00Z' },
    );
    expect(handle(tenant, ledger, edited).sla?.resolution).toMatchObject({
      due: '2026-11-11T15:00:00.000Z',
      fulfilledAt: '2026-11-10T20:00:00.000Z',
      breached: false,
    });
    const reopened = ticketEvent(
      { ...solved.ticket, status: 'open', updatedAt: '2026-11-12T10:00:00Z' },
      { kind: 'ticket.updated', occurredAt: '2026-11-12T10:00:00Z' },
    );
    expect(handle(tenant, ledger, reopened).sla?.resolution).toMatchObject({
      fulfilledAt: null,
      breached: true,
    });
  });
});
