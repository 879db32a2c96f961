import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../worker/rules/index.js';
import {
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s4-exhausted-quota');
const globex = org('4001');

/** 50 tickets spread over the first three weeks of November, then a 51st. */
function fileNovember(ledger: MemoryLedger, count: number): Decision[] {
  const decisions: Decision[] = [];
  for (let i = 1; i <= count; i++) {
    const day = 2 + Math.floor(((i - 1) * 19) / 50); // 2 Nov .. 20 Nov
    const createdAt = `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`;
    decisions.push(
      handle(
        tenant,
        ledger,
        ticketEvent({ id: String(i), subject: `Issue ${i}`, account: globex, createdAt }),
      ),
    );
  }
  return decisions;
}

describe('S4 exhausted quota: 50 a month, the 51st is served past quota', () => {
  it('alerts at 80% and 100%, then serves the 51st without SLA, with self-help and an upsell flag', () => {
    const ledger = new MemoryLedger();
    const decisions = fileNovember(ledger, 50);
    expect(decisions.every((d) => d.quota === 'within' && d.sla?.resolution?.due)).toBe(true);
    expect(decisions[39]!.alerts).toEqual([
      {
        kind: 'threshold',
        limitId: 'tickets-month',
        counterKey: expect.stringContaining('/tickets-month/'),
        threshold: 80,
        used: 40,
        max: 50,
      },
    ]);
    expect(decisions[39]!.note).toContain(
      'Usage alert: 80% of the quota reached (40 of 50 tickets this month).',
    );
    expect(decisions[49]!.alerts.map((a) => a.kind)).toEqual(['exhausted']);

    const d51 = handle(
      tenant,
      ledger,
      ticketEvent({
        id: '51',
        subject: 'One more',
        account: globex,
        createdAt: '2026-11-21T09:00:00Z',
      }),
    );
    expect(d51.quota).toBe('over');
    expect(d51.sla).toBeNull();
    expect(d51.tags).toEqual([
      'deskplan_plan_standard_50',
      'deskplan_over_quota',
      'deskplan_self_help',
      'deskplan_upsell',
      'deskplan_no_sla',
    ]);
    expect(d51.usage[0]).toMatchObject({ used: 51, max: 50, remaining: 0, overage: 1 });
    expect(d51.alerts.map((a) => a.kind)).toEqual(['overage']);
    expect(d51.note).toContain(
      'Past quota: point the customer to self-help: Help centre https://help.example.com/, Video tutorials https://help.example.com/videos.',
    );
    expect(d51.note).toContain('Account flagged for an upgrade offer.');
  });

  it('keeps a reopened ticket within quota and does not count it again', () => {
    const ledger = new MemoryLedger();
    const decisions = fileNovember(ledger, 51);
    const tenth = decisions[9]!;
    const reopen = ticketEvent(
      {
        id: '10',
        subject: 'Issue 10',
        account: globex,
        createdAt: '2026-11-05T10:00:00Z',
        status: 'open',
        tags: tenth.tags!,
        updatedAt: '2026-11-25T08:00:00Z',
      },
      { kind: 'ticket.updated', occurredAt: '2026-11-25T08:00:00Z' },
    );
    const decision = handle(tenant, ledger, reopen);
    expect(decision.quota).toBe('within');
    expect(decision.chargedKeys).toEqual([]);
    expect(decision.usage[0]!.used).toBe(51);
    expect(decision.sla?.resolution?.due).toBe('2026-11-06T10:00:00.000Z');
  });

  it('counts a delivery retried by the helpdesk once', () => {
    const ledger = new MemoryLedger();
    const event = ticketEvent({
      id: '1',
      subject: 'Hi',
      account: globex,
      createdAt: '2026-11-02T10:00:00Z',
    });
    const first = handle(tenant, ledger, event);
    const retry = handle(tenant, ledger, event);
    expect(first.chargedKeys).toEqual(['globex-standard/tickets-month/month-2026-11-01']);
    expect(retry.chargedKeys).toEqual(first.chargedKeys); // the same event keeps its own charge
    expect(retry.usage[0]!.used).toBe(1);
  });
});
