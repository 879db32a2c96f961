import { describe, expect, it } from 'vitest';
import {
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s5-two-products');
const tanaka = org('5001');

const file = (
  ledger: MemoryLedger,
  id: string,
  subject: string,
  createdAt: string,
  priority: 'normal' | 'high' = 'normal',
) => handle(tenant, ledger, ticketEvent({ id, subject, account: tanaka, createdAt, priority }));

describe('S5 two products, one customer', () => {
  it('routes a backup question to the unlimited backup contract with a 7-day resolution', () => {
    const d = file(
      new MemoryLedger(),
      '1',
      'バックアップの復元ができない',
      '2026-11-24T10:00:00+09:00',
    );
    expect(d.contract?.id).toBe('tanaka-backup');
    expect(d.sla?.resolution?.due).toBe('2026-12-01T01:00:00.000Z');
    expect(d.usage[0]).toMatchObject({ max: null, used: 1, remaining: null });
    expect(d.note).toContain(
      'Backup Careプラン（バックアップ）: 契約期間中のチケット 1 件使用（無制限）',
    );
  });

  it('counts a security ticket against the security contract only, with its SLA', () => {
    const ledger = new MemoryLedger();
    file(ledger, '1', 'バックアップ失敗', '2026-11-24T10:00:00+09:00');
    const d = file(ledger, '2', 'ｾｷｭﾘﾃｨ警告が表示される', '2026-11-24T10:00:00+09:00', 'high');
    expect(d.contract?.id).toBe('tanaka-security');
    expect(d.sla?.resolution?.due).toBe('2026-11-24T13:00:00.000Z'); // 12 h
    expect(d.usage[0]).toMatchObject({ used: 1, max: 12, remaining: 11 });
    const normal = file(ledger, '3', 'Security scan question', '2026-11-24T10:00:00+09:00');
    expect(normal.sla?.resolution?.due).toBe('2026-11-25T01:00:00.000Z'); // 1 day
  });

  it('lets the first rule win when a subject names both products', () => {
    const d = file(
      new MemoryLedger(),
      '1',
      'バックアップ中にセキュリティ警告',
      '2026-11-24T10:00:00+09:00',
    );
    expect(d.product?.id).toBe('security');
  });

  it('resets the security quota on the contract anniversary, not on New Year', () => {
    const ledger = new MemoryLedger();
    for (let i = 1; i <= 12; i++) file(ledger, `s${i}`, 'security', '2026-12-20T10:00:00+09:00');
    const january = file(ledger, 's13', 'security', '2027-01-05T10:00:00+09:00');
    expect(january.quota).toBe('over');
    expect(january.usage[0]!.period).toMatchObject({
      firstDay: '2026-06-15',
      lastDay: '2027-06-14',
    });
    const anniversary = file(ledger, 's14', 'security', '2027-06-15T00:30:00+09:00');
    expect(anniversary.quota).toBe('within');
    expect(anniversary.usage[0]).toMatchObject({ used: 1, remaining: 11 });
  });

  it('stops covering backup tickets after the backup contract ends', () => {
    const d = file(new MemoryLedger(), '1', 'backup restore', '2027-02-01T09:00:00+09:00');
    expect(d.outcome).toBe('no-contract');
    expect(d.note).toContain('「バックアップ」の有効なサポート契約がありません');
  });
});
