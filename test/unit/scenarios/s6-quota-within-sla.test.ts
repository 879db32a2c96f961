import { describe, expect, it } from 'vitest';
import {
  domain,
  handle,
  loadExample,
  MemoryLedger,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s6-quota-within-sla');
const initech = domain('initech.example');

describe('S6 quota only within the SLA: 100 a week', () => {
  it('applies the SLA to the first 100 tickets of the week only, and shows what remains', () => {
    const ledger = new MemoryLedger();
    const file = (id: number, createdAt: string) =>
      handle(
        tenant,
        ledger,
        ticketEvent({ id: String(id), subject: 'Printer', account: initech, createdAt }),
      );
    for (let i = 1; i <= 99; i++) file(i, '2026-11-17T09:00:00+01:00');
    const hundredth = file(100, '2026-11-19T09:00:00+01:00');
    expect(hundredth.quota).toBe('within');
    expect(hundredth.sla?.firstResponse?.due).toBe('2026-11-19T10:00:00.000Z'); // 11:00 CET
    expect(hundredth.usage[0]).toMatchObject({ used: 100, remaining: 0, overage: 0 });

    const past = file(101, '2026-11-20T09:00:00+01:00');
    expect(past.quota).toBe('over');
    expect(past.sla).toBeNull();
    expect(past.priority).toBe('low');
    expect(past.tags).toContain('deskplan_deprioritized');
    expect(past.usage[0]).toMatchObject({ used: 101, remaining: 0, overage: 1 });
    expect(past.note).toContain('Past quota: served without SLA at low priority.');

    const monday = file(102, '2026-11-23T00:05:00+01:00');
    expect(monday.quota).toBe('within');
    expect(monday.usage[0]).toMatchObject({ used: 1, remaining: 99 });
    expect(monday.usage[0]!.period.firstDay).toBe('2026-11-23');
  });

  it('does not lower the priority again once an agent has raised a deprioritised ticket', () => {
    const ledger = new MemoryLedger();
    for (let i = 1; i <= 100; i++) {
      handle(
        tenant,
        ledger,
        ticketEvent({
          id: String(i),
          subject: 'x',
          account: initech,
          createdAt: '2026-11-17T09:00:00+01:00',
        }),
      );
    }
    const created = ticketEvent({
      id: '101',
      subject: 'x',
      account: initech,
      createdAt: '2026-11-18T09:00:00+01:00',
    });
    const first = handle(tenant, ledger, created);
    const raised = ticketEvent(
      { ...created.ticket, status: 'open', priority: 'high', tags: first.tags! },
      { kind: 'ticket.updated' },
    );
    expect(handle(tenant, ledger, raised).priority).toBeNull();
  });

  it('gives urgent tickets their own targets and counts only open hours', () => {
    const d = handle(
      tenant,
      new MemoryLedger(),
      ticketEvent({
        id: '1',
        subject: 'Down',
        priority: 'urgent',
        account: initech,
        createdAt: '2026-11-20T16:45:00+01:00', // Friday, 15 min before closing
      }),
    );
    expect(d.sla?.firstResponse?.due).toBe('2026-11-23T07:15:00.000Z'); // Mon 08:15 CET
    expect(d.sla?.resolution?.due).toBe('2026-11-23T10:45:00.000Z'); // Mon 11:45 CET
  });
});
