import { describe, expect, it } from 'vitest';
import {
  domain,
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s3-importance');

describe('S3 importance: Premium and Basic plans', () => {
  it('gives Premium a 3-hour resolution and a Japanese note', () => {
    const decision = handle(
      tenant,
      new MemoryLedger(),
      ticketEvent({
        id: '1',
        subject: '請求書が届かない',
        account: org('2001'),
        createdAt: '2026-11-24T10:00:00+09:00',
      }),
    );
    expect(decision.plan?.id).toBe('premium');
    expect(decision.sla?.resolution?.due).toBe('2026-11-24T04:00:00.000Z');
    expect(decision.sla?.firstResponse).toBeNull();
    expect(decision.note).toContain('プレミアムプラン: 今月のチケット 1/20 件使用、残り 19 件');
    expect(decision.note).toContain('解決期限 11月24日 13:00 JST');
  });

  it('gives Basic a first-reply target and no resolution deadline', () => {
    const decision = handle(
      tenant,
      new MemoryLedger(),
      ticketEvent({
        id: '2',
        subject: 'パスワード再設定',
        account: domain('shoten.example.jp'),
        createdAt: '2026-11-24T10:00:00+09:00',
      }),
    );
    expect(decision.plan?.id).toBe('basic');
    expect(decision.sla?.firstResponse?.due).toBe('2026-11-25T01:00:00.000Z'); // Wed 10:00 JST
    expect(decision.sla?.resolution).toBeNull();
    expect(decision.note).toContain('ベーシックプラン: 今月のチケット 1/5 件使用、残り 4 件');
  });

  it('marks a missed Premium resolution as breached and raises it to urgent once', () => {
    const ledger = new MemoryLedger();
    const created = ticketEvent({
      id: '3',
      subject: '管理画面が開かない',
      account: org('2001'),
      createdAt: '2026-11-24T10:00:00+09:00',
    });
    const first = handle(tenant, ledger, created);
    const late = Date.parse('2026-11-24T13:30:00+09:00');
    const breached = handle(
      tenant,
      ledger,
      {
        ...created,
        eventId: 'timer-1',
        kind: 'ticket.updated',
        ticket: { ...created.ticket, tags: first.tags! },
      },
      late,
    );
    expect(breached.tags).toContain('deskplan_breach_resolution');
    expect(breached.priority).toBe('urgent');

    const later = handle(
      tenant,
      ledger,
      {
        ...created,
        eventId: 'upd-2',
        kind: 'ticket.updated',
        ticket: { ...created.ticket, tags: breached.tags! },
      },
      late + 60_000,
    );
    expect(later.tags).toContain('deskplan_breach_resolution');
    expect(later.priority).toBeNull(); // already raised; an agent may lower it again
  });
});
