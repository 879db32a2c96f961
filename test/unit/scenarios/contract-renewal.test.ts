import { describe, expect, it } from 'vitest';
import { type CompiledTenant, type Decision } from '../../../worker/rules/index.js';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  readExample,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

type Contract = Record<string, unknown>;

/** The docs example, with its contracts changed by `edit`. */
function tenantWith(edit: (contracts: Contract[]) => Contract[] = (c) => c): CompiledTenant {
  const example = readExample('contract-renewal') as { contracts: Contract[] };
  return compileConfig({ ...example, contracts: edit(example.contracts) });
}

const acme = org('42');

const file = (tenant: CompiledTenant, ledger: MemoryLedger, id: string, createdAt: string) =>
  handle(tenant, ledger, ticketEvent({ id, subject: `Question ${id}`, account: acme, createdAt }));

/** Five tickets on 27-31 December under acme-2026, five on 2-6 January under its renewal. */
function acrossTheRenewal(tenant: CompiledTenant, ledger: MemoryLedger): Decision[] {
  const decisions: Decision[] = [];
  for (let day = 27; day <= 31; day++) {
    decisions.push(file(tenant, ledger, `d${day}`, `2026-12-${day}T10:00:00+09:00`));
  }
  for (let day = 2; day <= 6; day++) {
    decisions.push(file(tenant, ledger, `j${day}`, `2027-01-0${day}T10:00:00+09:00`));
  }
  return decisions;
}

const month = (d: Decision) => d.usage.find((u) => u.per === 'month')!;
const term = (d: Decision) => d.usage.find((u) => u.per === 'term')!;

describe('a renewal continues the contract it renews', () => {
  it('shares its quota scope and its anniversary periods: the 11th ticket of 10 a month is past quota across the renewal', () => {
    const tenant = tenantWith();
    const ledger = new MemoryLedger();
    const decisions = acrossTheRenewal(tenant, ledger);
    const [december, january] = [decisions[4]!, decisions[5]!];
    expect(december.contract).toEqual({ id: 'acme-2026', scopeKey: 'acme-2026' });
    expect(january.contract).toEqual({ id: 'acme-2027', scopeKey: 'acme-2026' });
    // One counter for the period 10 December - 9 January, whichever contract a ticket is under.
    expect(month(january)).toMatchObject({
      used: 6,
      max: 10,
      counterKey: 'acme-2026/tickets-month/amonth-2026-12-10',
      period: { firstDay: '2026-12-10', lastDay: '2027-01-09' },
    });
    expect(month(december).counterKey).toBe(month(january).counterKey);
    expect(decisions.map((d) => month(d).used)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(decisions.every((d) => d.quota === 'within')).toBe(true);

    const eleventh = file(tenant, ledger, 'j9', '2027-01-09T18:00:00+09:00');
    expect(eleventh.quota).toBe('over');
    expect(eleventh.tags).toContain('deskplan_over_quota');
    expect(month(eleventh)).toMatchObject({ used: 11, overage: 1 });
    expect(eleventh.note).toContain(
      'Quota exceeded: 11 of 10 tickets in the current monthly period (to 2027-01-09).',
    );

    // The next anniversary period starts on the 10th, as it would have without the renewal.
    const next = file(tenant, ledger, 'j10', '2027-01-10T09:00:00+09:00');
    expect(next.quota).toBe('within');
    expect(month(next)).toMatchObject({
      used: 1,
      counterKey: 'acme-2026/tickets-month/amonth-2027-01-10',
    });
  });

  it('starts a fresh term allowance: the term limit is each contract own', () => {
    const decisions = acrossTheRenewal(tenantWith(), new MemoryLedger());
    expect(decisions.map((d) => term(d).used)).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(term(decisions[4]!)).toMatchObject({
      counterKey: 'acme-2026/tickets-term/term-2026-01-10',
      period: { firstDay: '2026-01-10', lastDay: '2026-12-31' },
    });
    expect(term(decisions[5]!)).toMatchObject({
      counterKey: 'acme-2026/tickets-term/term-2027-01-01',
      period: { firstDay: '2027-01-01', lastDay: '2027-12-31' },
    });
    expect(decisions[5]!.note).toBe(
      [
        'deskplan: Standard plan: 6 of 10 tickets used in the current monthly period (to 2027-01-09), 4 left; 1 of 100 tickets used this contract term, 99 left',
        'No SLA applies to this ticket.',
      ].join('\n'),
    );
  });

  it('without `renews`, the next contract starts its own quota and periods', () => {
    const tenant = tenantWith((contracts) =>
      contracts.map(({ renews: _renews, ...contract }) => contract),
    );
    const decisions = acrossTheRenewal(tenant, new MemoryLedger());
    expect(decisions[5]!.contract).toEqual({ id: 'acme-2027', scopeKey: 'acme-2027' });
    expect(month(decisions[5]!)).toMatchObject({
      used: 1,
      counterKey: 'acme-2027/tickets-month/amonth-2027-01-01',
    });
  });

  it('on an upgraded plan: the same usage history, the new plan limits, and a note for the new plan', () => {
    const tenant = tenantWith((contracts) =>
      contracts.map((c) => (c.id === 'acme-2027' ? { ...c, plan: 'premium' } : c)),
    );
    const ledger = new MemoryLedger();
    acrossTheRenewal(tenant, ledger);
    const eleventh = file(tenant, ledger, 'j9', '2027-01-09T18:00:00+09:00');
    expect(eleventh.plan).toEqual({ id: 'premium', name: 'Premium' });
    expect(eleventh.quota).toBe('within');
    expect(month(eleventh)).toMatchObject({
      used: 11,
      max: 20,
      counterKey: 'acme-2026/tickets-month/amonth-2026-12-10',
    });
    expect(eleventh.note).toContain(
      'deskplan: Premium plan: 11 of 20 tickets used in the current monthly period (to 2027-01-09), 9 left',
    );
  });

  describe('a ticket that falls under the renewal once it is configured (an overlap)', () => {
    // Ticket x1 of 28 December is counted under acme-2026; then the admin adds a renewal that
    // starts on 20 December, so from then on the ticket is under the renewal.
    const overlapping = (plan: string) =>
      tenantWith((contracts) =>
        contracts.map((c) => (c.id === 'acme-2027' ? { ...c, start: '2026-12-20', plan } : c)),
      );
    const update = ticketEvent(
      {
        id: 'x1',
        subject: 'Question x1',
        account: acme,
        createdAt: '2026-12-28T10:00:00+09:00',
        status: 'open',
        updatedAt: '2027-01-03T10:00:00+09:00',
      },
      { kind: 'ticket.updated', occurredAt: '2027-01-03T10:00:00+09:00' },
    );

    it('on the same plan: no second plan note, and its month count stays one', () => {
      const ledger = new MemoryLedger();
      const first = file(tenantWith(), ledger, 'x1', '2026-12-28T10:00:00+09:00');
      expect(first.note).toContain('deskplan: Standard plan');
      const later = handle(overlapping('standard'), ledger, update);
      expect(later.contract).toEqual({ id: 'acme-2027', scopeKey: 'acme-2026' });
      expect(later.note).toBeNull();
      expect(later.quota).toBe('within');
      expect(month(later)).toMatchObject({ used: 1, counterKey: month(first).counterKey });
      expect(later.chargedKeys).not.toContain(month(first).counterKey);
    });

    it('on an upgraded plan: a note for the new plan', () => {
      const ledger = new MemoryLedger();
      file(tenantWith(), ledger, 'x1', '2026-12-28T10:00:00+09:00');
      const later = handle(overlapping('premium'), ledger, update);
      expect(later.note).toContain('deskplan: Premium plan: 1 of 20 tickets used');
      expect(later.effects).toContain('note:plan:acme-2026:premium');
    });
  });

  it('gets the no-contract outcome, naming the renewal, once the renewal has ended too', () => {
    const d = file(tenantWith(), new MemoryLedger(), 'late', '2028-01-05T10:00:00+09:00');
    expect(d.outcome).toBe('no-contract');
    expect(d.note).toContain('Contract Acme 2027 ended on 2027-12-31.');
  });

  it('names the renewed contract as ended in a gap before the renewal starts', () => {
    const tenant = tenantWith((contracts) =>
      contracts.map((c) => (c.id === 'acme-2027' ? { ...c, start: '2027-01-05' } : c)),
    );
    const d = file(tenant, new MemoryLedger(), 'gap', '2027-01-03T10:00:00+09:00');
    expect(d.outcome).toBe('no-contract');
    expect(d.note).toContain('Contract Acme 2026 ended on 2026-12-31.');
  });
});
