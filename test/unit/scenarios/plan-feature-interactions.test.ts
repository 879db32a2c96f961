// Interactions between plan features, each found in review: a waive and an exclusion, a renewal
// with top-ups on a term limit or an upgraded plan, a waived ticket that loses its contract.
import { describe, expect, it } from 'vitest';
import { tagChanges } from '../../../worker/rules/index.js';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

function compile(config: object) {
  return compileConfig({ id: 'agency', timeZone: 'UTC', ...config });
}

let n = 0;
const ticket = (
  createdAt: string,
  o: { id?: string; tags?: string[]; updatedAt?: string; orgId?: string } = {},
) =>
  ticketEvent(
    {
      id: o.id ?? String(++n),
      subject: 'Help',
      account: org(o.orgId ?? '1'),
      createdAt,
      updatedAt: o.updatedAt ?? createdAt,
      tags: o.tags ?? [],
    },
    { kind: o.tags ? 'ticket.updated' : 'ticket.created' },
  );

describe('waive and exclusion together', () => {
  const tenant = compile({
    plans: [
      { id: 'p', name: 'P', limits: [{ max: 4, per: 'month' }], exclude: { tags: ['internal'] } },
    ],
    contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' }],
  });

  it('a counted ticket waived, then tagged internal, then unwaived counts again and says so consistently', () => {
    const ledger = new MemoryLedger();
    const at = '2026-11-10T10:00:00Z';
    const later = (h: number) => `2026-11-10T1${h}:00:00Z`;
    handle(tenant, ledger, ticket(at, { id: '301' }));
    handle(
      tenant,
      ledger,
      ticket(at, { id: '301', tags: ['deskplan_waive'], updatedAt: later(1) }),
    );
    const excludedWhileWaived = handle(
      tenant,
      ledger,
      ticket(at, { id: '301', tags: ['deskplan_waive', 'internal'], updatedAt: later(2) }),
    );
    expect(excludedWhileWaived.usage[0]).toMatchObject({ used: 0 });
    const back = handle(
      tenant,
      ledger,
      ticket(at, { id: '301', tags: ['internal'], updatedAt: later(3) }),
    );
    // Counted again (the waive is taken back) — and the ticket says counted, not excluded.
    expect(back.usage[0]).toMatchObject({ used: 1 });
    expect(back.quota).toBe('within');
    expect(back.tags).toContain('deskplan_within_quota');
    expect(back.tags).not.toContain('deskplan_excluded');
    expect(back.note).not.toContain('Not counted');
    const next = handle(
      tenant,
      ledger,
      ticket(at, { id: '301', tags: ['internal'], updatedAt: later(4) }),
    );
    expect(next.quota).toBe('within');
  });

  it('a ticket excluded from the start is never counted, event after event', () => {
    const ledger = new MemoryLedger();
    const at = '2026-11-10T10:00:00Z';
    for (let h = 0; h < 3; h++) {
      const d = handle(
        tenant,
        ledger,
        ticket(at, { id: '302', tags: ['internal'], updatedAt: `2026-11-10T1${h}:00:00Z` }),
      );
      expect(d.quota).toBe('excluded');
      expect(d.usage[0]).toMatchObject({ used: 0 });
    }
  });
});

describe('top-ups across a renewal', () => {
  it('a term limit’s block used up in the old term is not offered again to the renewal', () => {
    const tenant = compile({
      plans: [{ id: 'p', name: 'P', limits: [{ max: 2, per: 'term' }], expiryAlerts: [] }],
      contracts: [
        {
          id: 'c2026',
          account: { orgIds: ['1'] },
          plan: 'p',
          start: '2026-01-01',
          end: '2026-12-31',
          topUps: [{ id: 'block', units: 2, purchased: '2026-03-01', expires: '2027-02-28' }],
        },
        {
          id: 'c2027',
          renews: 'c2026',
          account: { orgIds: ['1'] },
          plan: 'p',
          start: '2027-01-01',
          end: '2027-12-31',
        },
      ],
    });
    const ledger = new MemoryLedger();
    const y2026 = Array.from({ length: 4 }, () =>
      handle(tenant, ledger, ticket('2026-06-01T10:00:00Z')),
    );
    expect(y2026.map((d) => d.quota)).toEqual(['within', 'within', 'within', 'within']);
    expect(handle(tenant, ledger, ticket('2027-02-01T10:00:00Z')).usage[0]!.allowance).toBe(2);
  });

  it('an upgraded renewal judges earlier months by the plan in force then', () => {
    const tenant = compile({
      plans: [
        { id: 'small', name: 'Small', limits: [{ max: 2, per: 'month' }], expiryAlerts: [] },
        { id: 'big', name: 'Big', limits: [{ max: 10, per: 'month' }], expiryAlerts: [] },
      ],
      contracts: [
        {
          id: 'c1',
          account: { orgIds: ['1'] },
          plan: 'small',
          start: '2026-01-01',
          end: '2026-01-31',
          topUps: [{ id: 'block', units: 4, purchased: '2026-01-01', expires: '2026-12-31' }],
        },
        { id: 'c2', renews: 'c1', account: { orgIds: ['1'] }, plan: 'big', start: '2026-02-01' },
      ],
    });
    const ledger = new MemoryLedger();
    // January under Small: 2 of its own, then 2 of the block's 4.
    for (let i = 0; i < 4; i++) handle(tenant, ledger, ticket('2026-01-10T10:00:00Z'));
    const feb = handle(tenant, ledger, ticket('2026-02-10T10:00:00Z'));
    expect(feb.usage[0]).toMatchObject({
      max: 10,
      allowance: 12,
      extra: { rolledIn: 0, topUps: 2 },
    });
  });
});

describe('the agent’s tags are theirs', () => {
  it('a waived ticket that falls under no contract keeps its waive tag', () => {
    const tenant = compile({
      plans: [{ id: 'p', name: 'P', limits: [{ max: 4, per: 'month' }] }],
      contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' }],
    });
    const ledger = new MemoryLedger();
    const moved = handle(
      tenant,
      ledger,
      ticket('2026-11-10T10:00:00Z', { tags: ['deskplan_waive', 'deskplan_approved'], orgId: '9' }),
    );
    expect(moved.outcome).toBe('no-contract');
    expect(tagChanges(['deskplan_waive', 'deskplan_approved'], moved.tags).remove).toEqual([]);
  });
});
