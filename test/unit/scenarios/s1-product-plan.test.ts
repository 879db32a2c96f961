import { describe, expect, it } from 'vitest';
import {
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s1-product-plan');
const acme = org('1001');

describe('S1 product plan: the subject picks Product X and its plan', () => {
  it('applies the plan, tags the ticket and computes dues in Tokyo office hours', () => {
    const decision = handle(
      tenant,
      new MemoryLedger(),
      ticketEvent({
        id: '1',
        subject: 'Product X: login fails after update',
        priority: 'high',
        account: acme,
        createdAt: '2026-11-24T10:15:00+09:00',
      }),
    );
    expect(decision.outcome).toBe('applied');
    expect(decision.product).toEqual({ id: 'product-x', name: 'Product X' });
    expect(decision.contract?.id).toBe('acme-product-x');
    expect(decision.quota).toBe('within');
    expect(decision.tags).toEqual([
      'deskplan_plan_product_x_standard',
      'deskplan_product_product_x',
      'deskplan_within_quota',
    ]);
    expect(decision.sla?.firstResponse?.due).toBe('2026-11-24T02:15:00.000Z'); // 11:15 JST
    expect(decision.sla?.resolution?.due).toBe('2026-11-24T07:15:00.000Z'); // 16:15 JST
    expect(decision.priority).toBeNull();
    expect(decision.note).toContain('Product X Standard plan (Product X)');
    expect(decision.note).toContain('1 of 25 tickets used this week, 24 left');
    expect(decision.note).toContain('1 of 50 tickets used this month, 49 left');
    expect(decision.note).toMatch(
      /first response due 24 Nov, 11:15 .*resolution due 24 Nov, 16:15/,
    );
  });

  it('matches full-width and Japanese spellings of the product name', () => {
    const ledger = new MemoryLedger();
    for (const [id, subject] of [
      ['2', '【製品Ｘ】ログインできません'],
      ['3', 'ＰＲＯＤＵＣＴ Ｘ crashes'],
      ['4', 'question about product x pricing'],
    ] as const) {
      const event = ticketEvent({
        id,
        subject,
        account: acme,
        createdAt: '2026-11-24T10:00:00+09:00',
      });
      expect(handle(tenant, ledger, event).product?.id, subject).toBe('product-x');
    }
  });

  it('skips the weekend and a Monday holiday, and recomputes dues when the priority changes', () => {
    const ledger = new MemoryLedger();
    const created = ticketEvent({
      id: '10',
      subject: 'Product X report is empty',
      account: acme,
      createdAt: '2026-11-20T17:30:00+09:00', // Friday; Monday 23 Nov is a holiday
    });
    const first = handle(tenant, ledger, created);
    expect(first.sla?.firstResponse?.due).toBe('2026-11-24T00:30:00.000Z'); // Tue 09:30 JST
    expect(first.sla?.resolution?.due).toBe('2026-11-25T02:30:00.000Z'); // Wed 11:30 JST

    const raised = ticketEvent(
      {
        ...created.ticket,
        priority: 'high',
        status: 'open',
        tags: first.tags!,
        updatedAt: '2026-11-24T09:05:00+09:00',
      },
      { kind: 'ticket.updated', occurredAt: '2026-11-24T09:05:00+09:00' },
    );
    const second = handle(tenant, ledger, raised);
    expect(second.sla?.resolution?.due).toBe('2026-11-24T05:30:00.000Z'); // Tue 14:30 JST
    expect(second.chargedKeys).toEqual([]);
    expect(second.usage.map((u) => u.used)).toEqual([1, 1]);
    expect(second.note).toBeNull(); // the plan was already applied
  });

  it('stops the SLA at 25 tickets a week even while the month has room, and resets next week', () => {
    const ledger = new MemoryLedger();
    const file = (id: number, createdAt: string) =>
      handle(
        tenant,
        ledger,
        ticketEvent({ id: String(id), subject: 'Product X help', account: acme, createdAt }),
      );
    for (let i = 1; i <= 25; i++) {
      expect(file(i, '2026-11-10T10:00:00+09:00').quota).toBe('within');
    }
    const over = file(26, '2026-11-12T10:00:00+09:00');
    expect(over.quota).toBe('over');
    expect(over.sla).toBeNull();
    expect(over.tags).toEqual(
      expect.arrayContaining([
        'deskplan_over_quota',
        'deskplan_billable',
        'deskplan_upsell',
        'deskplan_no_sla',
      ]),
    );
    expect(over.usage.find((u) => u.per === 'week')).toMatchObject({
      used: 26,
      remaining: 0,
      overage: 1,
    });
    expect(over.usage.find((u) => u.per === 'month')).toMatchObject({ used: 26, remaining: 24 });

    const nextWeek = file(27, '2026-11-16T00:10:00+09:00');
    expect(nextWeek.quota).toBe('within');
    expect(nextWeek.usage.find((u) => u.per === 'week')).toMatchObject({ used: 1, remaining: 24 });
  });

  it('tags a ticket with no contract, and says so once in a note', () => {
    const event = ticketEvent({
      id: '99',
      subject: 'Product X install',
      account: org('9999'),
      createdAt: '2026-11-24T10:00:00+09:00',
    });
    const ledger = new MemoryLedger();
    const decision = handle(tenant, ledger, event);
    expect(decision.outcome).toBe('no-contract');
    expect(decision.tags).toEqual(['deskplan_no_contract', 'deskplan_product_product_x']);
    expect(decision.note).toBe(
      'deskplan: No support contract covers this account for Product X: no plan or SLA applied.',
    );
    // Once per ticket, by what deskplan remembers: even a body without our tag does not repeat it.
    const again = handle(
      tenant,
      ledger,
      ticketEvent(
        { ...event.ticket, status: 'new', priority: 'normal', tags: [] },
        { kind: 'ticket.updated' },
      ),
    );
    expect(again.note).toBeNull();
  });

  it('does not apply the product contract to a subject about something else', () => {
    const event = ticketEvent({
      id: '100',
      subject: 'Invoice address change',
      account: acme,
      createdAt: '2026-11-24T10:00:00+09:00',
    });
    const decision = handle(tenant, new MemoryLedger(), event);
    expect(decision.product).toBeNull();
    expect(decision.outcome).toBe('no-contract');
  });
});
