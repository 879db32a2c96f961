import { describe, expect, it } from 'vitest';
import { parseTenantRules } from '../../../worker/rules/index.js';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

function tenantCounting(count: 'on-first-agent-reply' | 'on-solve', max = 1) {
  return compileConfig({
    id: 'agency-client',
    timeZone: 'Asia/Tokyo',
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h', resolution: '1d' } } }],
    plans: [
      {
        id: 'p',
        name: 'Answered tickets',
        limits: [{ max, per: 'month', count }],
        sla: 'std',
        overage: { action: 'bill', upsell: false },
      },
    ],
    contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' }],
  });
}

const created = (id: string, at = '2026-11-24T10:00:00+09:00') =>
  ticketEvent({ id, subject: 'Help', account: org('1'), createdAt: at });
const answered = (id: string, at: string) =>
  ticketEvent(
    { ...created(id).ticket, status: 'open', updatedAt: at },
    { kind: 'ticket.agent_replied', occurredAt: at, reply: { id: `r-${id}`, at, public: true } },
  );

describe('when a ticket counts: count: on-first-agent-reply', () => {
  it('costs nothing until answered, keeps the SLA meanwhile, and takes the next position when answered', () => {
    const tenant = tenantCounting('on-first-agent-reply');
    const ledger = new MemoryLedger();

    const a = handle(tenant, ledger, created('A'));
    expect(a.quota).toBe('pending');
    expect(a.tags).toContain('deskplan_quota_pending');
    expect(a.sla?.firstResponse?.due).not.toBeNull();
    expect(a.usage[0]).toMatchObject({ used: 0 });
    expect(a.note).toContain('Not counted yet: it counts at the first public agent reply.');

    const aAnswered = handle(tenant, ledger, answered('A', '2026-11-24T10:30:00+09:00'));
    expect(aAnswered.quota).toBe('within');
    expect(aAnswered.usage[0]).toMatchObject({ used: 1, remaining: 0 });
    expect(aAnswered.tags).toContain('deskplan_within_quota');
    expect(aAnswered.note).not.toBeNull(); // its quota state, told once

    // The month's one answered ticket is used: a new ticket has no SLA while it waits…
    const b = handle(tenant, ledger, created('B'));
    expect(b.quota).toBe('pending');
    expect(b.tags).toEqual(expect.arrayContaining(['deskplan_quota_pending', 'deskplan_no_sla']));
    expect(b.tags).not.toContain('deskplan_billable');
    // …one never answered costs nothing…
    handle(tenant, ledger, created('C'));
    expect(handle(tenant, ledger, created('C')).usage[0]).toMatchObject({ used: 1 });
    // …and B, once answered, is billable overage.
    const bAnswered = handle(tenant, ledger, answered('B', '2026-11-25T09:00:00+09:00'));
    expect(bAnswered.quota).toBe('over');
    expect(bAnswered.tags).toEqual(
      expect.arrayContaining(['deskplan_over_quota', 'deskplan_billable']),
    );
    expect(bAnswered.usage[0]).toMatchObject({ used: 2, overage: 1 });
  });
});

describe('when a ticket counts: count: on-solve', () => {
  it('counts a ticket in the period it is solved in, once, through a reopen', () => {
    const tenant = tenantCounting('on-solve', 5);
    const ledger = new MemoryLedger();
    const october = created('D', '2026-10-30T10:00:00+09:00');
    expect(handle(tenant, ledger, october).quota).toBe('pending');
    const solved = ticketEvent(
      { ...october.ticket, status: 'solved', updatedAt: '2026-11-02T10:00:00+09:00' },
      { kind: 'ticket.updated', occurredAt: '2026-11-02T10:00:00+09:00' },
    );
    const d = handle(tenant, ledger, solved);
    expect(d.quota).toBe('within');
    expect(d.usage[0]!.counterKey).toBe('c/tickets-month/month-2026-11-01');
    expect(d.usage[0]!.used).toBe(1);
    const reopened = ticketEvent(
      {
        ...october.ticket,
        status: 'open',
        updatedAt: '2026-11-03T10:00:00+09:00',
        firstSolvedAt: '2026-11-02T01:00:00Z',
      },
      { kind: 'ticket.updated', occurredAt: '2026-11-03T10:00:00+09:00' },
    );
    const again = handle(tenant, ledger, reopened);
    expect(again.quota).toBe('within');
    expect(again.usage[0]!.used).toBe(1);
  });

  it('refuses count on a responses limit, with the path', () => {
    const parsed = parseTenantRules({
      id: 'agency-client',
      timeZone: 'Asia/Tokyo',
      plans: [
        {
          id: 'p',
          name: 'P',
          limits: [{ unit: 'responses', max: 5, per: 'month', count: 'on-solve' }],
        },
      ],
    });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'plans[0].limits[0].count: count applies to ticket limits; a responses limit counts each public agent reply',
    ]);
  });
});
