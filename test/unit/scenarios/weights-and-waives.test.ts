import { describe, expect, it } from 'vitest';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const rules = (locale: 'en' | 'ja' = 'en') => {
  return compileConfig({
    id: 'agency-client',
    timeZone: 'Asia/Tokyo',
    locale,
    calendars: [
      {
        id: 'office',
        hours: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-18:00']]),
        ),
        holidays: { country: 'JP' },
      },
    ],
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h' } } }],
    plans: [
      {
        id: 'prepaid',
        name: 'Prepaid',
        limits: [
          {
            max: 5,
            per: 'month',
            weights: { priority: { urgent: 2 }, outsideHours: { calendar: 'office', weight: 1.5 } },
          },
        ],
        sla: 'std',
        alerts: [80, 100],
      },
    ],
    contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'prepaid', start: '2026-01-01' }],
  });
};

const tenant = rules();
// Tuesday 24 November 2026, Tokyo.
const OPEN = '2026-11-24T10:00:00+09:00';
const NIGHT = '2026-11-24T22:00:00+09:00';

const ticket = (
  id: string,
  o: { at?: string; priority?: 'normal' | 'urgent'; tags?: string[]; updatedAt?: string } = {},
) =>
  ticketEvent(
    {
      id,
      subject: 'Help',
      account: org('1'),
      createdAt: o.at ?? OPEN,
      updatedAt: o.updatedAt ?? o.at ?? OPEN,
      priority: o.priority ?? 'normal',
      tags: o.tags ?? [],
    },
    { kind: o.tags ? 'ticket.updated' : 'ticket.created', actor: { kind: 'agent', id: '77' } },
  );

describe('weights: a limit counts units, not tickets', () => {
  it('weighs by priority and time of day, multiplies them, and says so in the note', () => {
    const ledger = new MemoryLedger();
    const plain = handle(tenant, ledger, ticket('1'));
    expect(plain.usage[0]).toMatchObject({ used: 1, remaining: 4, weighted: true, weight: 1 });
    expect(plain.note).toContain('1 of 5 units used this month, 4 left');
    expect(plain.note).not.toContain('counts');

    const urgentAtNight = handle(tenant, ledger, ticket('2', { at: NIGHT, priority: 'urgent' }));
    expect(urgentAtNight.usage[0]).toMatchObject({ used: 4, remaining: 1, weight: 3 });
    expect(urgentAtNight.note).toContain(
      'This ticket counts 3 units (urgent priority ×2, outside business hours ×1.5).',
    );
    // 4 of 5 units is the 80% alert.
    expect(urgentAtNight.alerts).toEqual([
      expect.objectContaining({ kind: 'threshold', threshold: 80, used: 4, max: 5 }),
    ]);
  });

  it('lets a ticket that starts within the allowance keep its SLA, with the rest as overage units', () => {
    const ledger = new MemoryLedger();
    handle(tenant, ledger, ticket('1', { priority: 'urgent' })); // 2
    handle(tenant, ledger, ticket('2', { priority: 'urgent' })); // 4
    const straddles = handle(tenant, ledger, ticket('3', { priority: 'urgent' })); // 4 → 6
    expect(straddles.quota).toBe('within');
    expect(straddles.sla?.firstResponse?.due).not.toBeNull();
    expect(straddles.usage[0]).toMatchObject({ used: 6, remaining: 0, overage: 1 });
    expect(straddles.alerts.map((a) => a.kind)).toEqual(['exhausted', 'overage']);

    const next = handle(tenant, ledger, ticket('4'));
    expect(next.quota).toBe('over');
    expect(next.tags).toContain('deskplan_over_quota');
  });

  it('writes the weight in Japanese for a Japanese tenant', () => {
    const ledger = new MemoryLedger();
    const d = handle(rules('ja'), ledger, ticket('1', { at: NIGHT, priority: 'urgent' }));
    expect(d.note).toContain('今月のユニット 3/5使用、残り 2');
    expect(d.note).toContain(
      'このチケットは 3 ユニットとしてカウントします（優先度「緊急」 ×2、営業時間外 ×1.5）',
    );
  });
});

describe('waive: an agent releases one ticket’s count with the deskplan_waive tag', () => {
  it('releases the count, keeps later positions stable, and counts it again at the end when the tag goes', () => {
    const ledger = new MemoryLedger();
    handle(tenant, ledger, ticket('1', { priority: 'urgent' })); // units 0-2
    handle(tenant, ledger, ticket('2')); // 2-3

    const waived = handle(
      tenant,
      ledger,
      ticket('1', {
        priority: 'urgent',
        tags: ['deskplan_waive'],
        updatedAt: '2026-11-24T11:00:00+09:00',
      }),
    );
    expect(waived.quota).toBe('waived');
    expect(waived.usage[0]).toMatchObject({ used: 1, count: 1 });
    expect(waived.tags).toContain('deskplan_waive');
    expect(waived.tags).not.toContain('deskplan_within_quota');
    expect(waived.note).toContain(
      'Waived by an agent (tag deskplan_waive): this ticket is not counted',
    );
    // Served within SLA while waived.
    expect(waived.sla?.firstResponse).not.toBeNull();

    // Ticket 3 takes the units in use now (1), not a slot freed in the middle.
    const third = handle(tenant, ledger, ticket('3', { priority: 'urgent' }));
    expect(third.usage[0]).toMatchObject({ used: 3 });

    const back = handle(
      tenant,
      ledger,
      ticket('1', { priority: 'urgent', updatedAt: '2026-11-24T12:00:00+09:00', tags: [] }),
    );
    expect(back.quota).toBe('within');
    expect(back.usage[0]).toMatchObject({ used: 5, remaining: 0 });
    expect(back.note).toContain('The waive was removed: this ticket counts again');
    expect(back.tags).not.toContain('deskplan_waive');

    // A body rendered before the waive was removed changes nothing.
    const stale = handle(
      tenant,
      ledger,
      ticket('1', {
        priority: 'urgent',
        tags: ['deskplan_waive'],
        updatedAt: '2026-11-24T11:00:00+09:00',
      }),
    );
    expect(stale.usage[0]).toMatchObject({ used: 5 });
    expect(stale.quota).toBe('within');
  });

  it('judges an unwaived ticket where it is counted again: over quota if the month filled up meanwhile', () => {
    const ledger = new MemoryLedger();
    handle(tenant, ledger, ticket('1'));
    handle(
      tenant,
      ledger,
      ticket('1', { tags: ['deskplan_waive'], updatedAt: '2026-11-24T11:00:00+09:00' }),
    );
    for (const id of ['2', '3', '4', '5', '6']) handle(tenant, ledger, ticket(id));
    const back = handle(
      tenant,
      ledger,
      ticket('1', { tags: [], updatedAt: '2026-11-24T12:00:00+09:00' }),
    );
    expect(back.quota).toBe('over');
    expect(back.usage[0]).toMatchObject({ used: 6, overage: 1 });
  });
});
