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

type Config = { locale: string; contracts: Record<string, unknown>[] };

function tenantWith(edit: (config: Config) => Config = (c) => c): CompiledTenant {
  return compileConfig(edit(readExample('contract-expiry') as Config));
}

const acme = org('42');
const beta = org('43');

const file = (
  tenant: CompiledTenant,
  ledger: MemoryLedger,
  id: string,
  createdAt: string,
  account = acme,
) => handle(tenant, ledger, ticketEvent({ id, subject: `Question ${id}`, account, createdAt }));

const expiring = (d: Decision) => d.alerts.filter((a) => a.kind === 'expiring');

describe('expiry alerts: 30 and 7 days before a contract ends, once each for the tenant', () => {
  it('alerts on the first event 30 days before the last day (in the tenant zone), then 7 days before', () => {
    const tenant = tenantWith();
    const ledger = new MemoryLedger();
    // 23:30 in Tokyo on 30 November: 31 days left.
    expect(expiring(file(tenant, ledger, '1', '2026-11-30T14:30:00Z'))).toEqual([]);
    // 00:30 in Tokyo on 1 December: 30 days left.
    const first = file(tenant, ledger, '2', '2026-11-30T15:30:00Z');
    expect(first.alerts).toEqual([
      {
        kind: 'expiring',
        counterKey: 'acme-2026/contract-acme-2026',
        threshold: 30,
        contract: { id: 'acme-2026', name: 'Acme 2026' },
        lastDay: '2026-12-31',
        endsAt: '2026-12-31T15:00:00.000Z',
        daysLeft: 30,
      },
    ]);
    expect(first.effects).toContain('alert:acme-2026/contract-acme-2026:30');
    expect(first.note).toBe(
      [
        'deskplan: Standard plan: 1 of 50 tickets used this month, 49 left', // a new month in Tokyo
        'No SLA applies to this ticket.',
        'Expiry alert: contract Acme 2026 ends on 2026-12-31 (30 days left).',
      ].join('\n'),
    );

    // The same day, another ticket: the alert was raised already, for the whole tenant.
    const second = file(tenant, ledger, '3', '2026-12-01T11:00:00+09:00');
    expect(second.alerts).toEqual([]);
    expect(second.note).not.toContain('Expiry alert');
    // Nor again on the first ticket's next event.
    const again = handle(
      tenant,
      ledger,
      ticketEvent(
        {
          id: '2',
          subject: 'Question 2',
          account: acme,
          createdAt: '2026-11-30T15:30:00Z',
          status: 'open',
          updatedAt: '2026-12-02T10:00:00+09:00',
        },
        { kind: 'ticket.updated', occurredAt: '2026-12-02T10:00:00+09:00' },
      ),
    );
    expect(again.alerts).toEqual([]);
    expect(again.note).toBeNull();

    expect(expiring(file(tenant, ledger, '4', '2026-12-23T10:00:00+09:00'))).toEqual([]);
    const week = file(tenant, ledger, '5', '2026-12-24T10:00:00+09:00');
    expect(expiring(week)).toMatchObject([{ threshold: 7, daysLeft: 7 }]);
    expect(week.note).toContain(
      'Expiry alert: contract Acme 2026 ends on 2026-12-31 (7 days left).',
    );
    expect(expiring(file(tenant, ledger, '6', '2026-12-24T11:00:00+09:00'))).toEqual([]);
    expect(expiring(file(tenant, ledger, '7', '2026-12-31T10:00:00+09:00'))).toEqual([]);
  });

  it('raises only the 7-day alert when first seen 5 days before the end', () => {
    const d = file(tenantWith(), new MemoryLedger(), '1', '2026-12-26T10:00:00+09:00');
    expect(d.alerts).toMatchObject([{ kind: 'expiring', threshold: 7, daysLeft: 5 }]);
  });

  it('says "today" on the last day', () => {
    const d = file(tenantWith(), new MemoryLedger(), '1', '2026-12-31T23:00:00+09:00');
    expect(d.note).toContain(
      'Expiry alert: contract Acme 2026 ends on 2026-12-31 (today is its last day).',
    );
  });

  it('is raised by any event under the contract, such as an update of an older ticket', () => {
    const tenant = tenantWith();
    const ledger = new MemoryLedger();
    file(tenant, ledger, '1', '2026-10-01T10:00:00+09:00');
    const update = handle(
      tenant,
      ledger,
      ticketEvent(
        {
          id: '1',
          subject: 'Question 1',
          account: acme,
          createdAt: '2026-10-01T10:00:00+09:00',
          status: 'open',
          updatedAt: '2026-12-10T10:00:00+09:00',
        },
        { kind: 'ticket.updated', occurredAt: '2026-12-10T10:00:00+09:00' },
      ),
    );
    expect(expiring(update)).toMatchObject([{ threshold: 30, daysLeft: 21 }]);
  });

  it('raises none for a contract that a renewal renews, and alerts for the renewal before it ends', () => {
    const tenant = tenantWith();
    const ledger = new MemoryLedger();
    expect(expiring(file(tenant, ledger, 'b1', '2026-12-24T10:00:00+09:00', beta))).toEqual([]);
    const renewal = file(tenant, ledger, 'b2', '2027-12-01T10:00:00+09:00', beta);
    expect(renewal.contract).toEqual({ id: 'beta-2027', scopeKey: 'beta-2026' });
    expect(expiring(renewal)).toMatchObject([
      { counterKey: 'beta-2026/contract-beta-2027', threshold: 30, lastDay: '2027-12-31' },
    ]);
  });

  it('raises none for an open-ended contract, nor with expiryAlerts: []', () => {
    const openEnded = tenantWith((c) => ({
      ...c,
      contracts: c.contracts.map(({ end, ...contract }) =>
        contract.id === 'acme-2026' ? contract : { ...contract, end },
      ),
    }));
    expect(expiring(file(openEnded, new MemoryLedger(), '1', '2026-12-24T10:00:00+09:00'))).toEqual(
      [],
    );
    const silent = compileConfig({
      ...(readExample('contract-expiry') as object),
      plans: [{ id: 'standard', name: 'Standard', expiryAlerts: [] }],
    });
    expect(expiring(file(silent, new MemoryLedger(), '1', '2026-12-24T10:00:00+09:00'))).toEqual(
      [],
    );
  });

  it('after the end: the no-contract outcome, naming the contract that ended', () => {
    const d = file(tenantWith(), new MemoryLedger(), '1', '2027-01-02T10:00:00+09:00');
    expect(d.outcome).toBe('no-contract');
    expect(d.alerts).toEqual([]);
    expect(d.note).toContain('Contract Acme 2026 ended on 2026-12-31.');
  });

  it('says it in Japanese for a Japanese tenant', () => {
    const tenant = tenantWith((c) => ({ ...c, locale: 'ja' }));
    const ledger = new MemoryLedger();
    expect(file(tenant, ledger, '1', '2026-12-24T10:00:00+09:00').note).toContain(
      '契約期限アラート: 契約「Acme 2026」は 2026-12-31 に終了します（残り 7 日）。',
    );
    expect(file(tenant, new MemoryLedger(), '2', '2026-12-31T10:00:00+09:00').note).toContain(
      '契約期限アラート: 契約「Acme 2026」は 2026-12-31 に終了します（本日が最終日）。',
    );
  });
});
