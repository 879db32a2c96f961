import { describe, expect, it } from 'vitest';
import type { Reopen } from '../../../connectors/core/ticket.js';
import { parseTenantRules } from '../../../worker/rules/index.js';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

function tenant(after: 'same-count' | 'new-count', locale: 'en' | 'ja' = 'en') {
  return compileConfig({
    id: 'agency-client',
    timeZone: 'Asia/Tokyo',
    locale,
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h' } } }],
    plans: [
      {
        id: 'p',
        name: 'Standard',
        limits: [{ max: 2, per: 'month', reopen: { window: 3, after } }],
        sla: 'std',
        overage: { action: 'bill', upsell: false },
      },
    ],
    contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' }],
  });
}

const created = (id: string, at = '2026-11-02T10:00:00+09:00') =>
  ticketEvent({ id, subject: 'Help', account: org('1'), createdAt: at });
/** The ticket as the worker sees it after a reopen (the worker keeps `reopens`). */
const reopened = (id: string, at: string, reopens: Reopen[]) =>
  ticketEvent(
    { ...created(id).ticket, status: 'open', updatedAt: at, reopens },
    { kind: 'ticket.updated', occurredAt: at },
  );
const solvedAt = '2026-11-03T10:00:00+09:00';

describe('reopened tickets', () => {
  it('a reopen within the window is the same ticket (same count)', () => {
    const t = tenant('new-count');
    const ledger = new MemoryLedger();
    handle(t, ledger, created('A'));
    const at = '2026-11-05T10:00:00+09:00'; // 2 days after the solve
    const d = handle(t, ledger, reopened('A', at, [{ at, solvedAt }]));
    expect(d.quota).toBe('within');
    expect(d.recount).toBeNull();
    expect(d.usage[0]).toMatchObject({ used: 1 });
    expect(d.note).toBeNull();
  });

  it('with new-count, a reopen after the window counts again and is judged again', () => {
    const t = tenant('new-count');
    const ledger = new MemoryLedger();
    expect(handle(t, ledger, created('A')).usage[0]).toMatchObject({ used: 1 });
    expect(handle(t, ledger, created('B')).usage[0]).toMatchObject({ used: 2, remaining: 0 });

    const at = '2026-11-10T10:00:00+09:00'; // 7 days after the solve: the month is full
    const d = handle(t, ledger, reopened('A', at, [{ at, solvedAt }]));
    expect(d.recount).toMatchObject({ member: 'ticket-A-reopen-1', n: 1, days: 7 });
    expect(d.usage[0]).toMatchObject({ used: 3, overage: 1 });
    expect(d.chargedKeys).toEqual(['c/tickets-month/month-2026-11-01']);
    expect(d.quota).toBe('over');
    expect(d.tags).toEqual(expect.arrayContaining(['deskplan_over_quota', 'deskplan_billable']));
    expect(d.note).toContain(
      'Counted again: reopened 7 days after it was solved, so it is a new ticket for the quota.',
    );

    // The next event on it remembers this count's verdict and says nothing again.
    const later = '2026-11-10T12:00:00+09:00';
    const again = handle(t, ledger, reopened('A', later, [{ at, solvedAt }]));
    expect(again.quota).toBe('over');
    expect(again.usage[0]).toMatchObject({ used: 3 });
    expect(again.note).toBeNull();
  });

  it('counts a new count in the period of the reopen', () => {
    const t = tenant('new-count', 'ja');
    const ledger = new MemoryLedger();
    handle(t, ledger, created('A'));
    const at = '2026-12-01T10:00:00+09:00';
    const d = handle(t, ledger, reopened('A', at, [{ at, solvedAt }]));
    expect(d.usage[0]).toMatchObject({
      used: 1,
      counterKey: 'c/tickets-month/month-2026-12-01',
    });
    expect(d.quota).toBe('within');
    expect(d.note).toContain('再カウントしました: 解決から 28 日後に再オープンされたため');
  });

  it('a second qualifying reopen is a second new count; one within the window is not', () => {
    const t = tenant('new-count');
    const ledger = new MemoryLedger();
    handle(t, ledger, created('A', '2026-10-01T10:00:00+09:00'));
    const reopens: Reopen[] = [
      { at: '2026-11-10T10:00:00+09:00', solvedAt },
      { at: '2026-11-12T10:00:00+09:00', solvedAt: '2026-11-11T10:00:00+09:00' },
    ];
    const d = handle(t, ledger, reopened('A', '2026-11-12T10:00:00+09:00', reopens));
    expect(d.recount).toMatchObject({ member: 'ticket-A-reopen-1', n: 1 });
    reopens.push({ at: '2026-11-20T10:00:00+09:00', solvedAt: '2026-11-13T10:00:00+09:00' });
    const e = handle(t, ledger, reopened('A', '2026-11-20T10:00:00+09:00', reopens));
    expect(e.recount).toMatchObject({ member: 'ticket-A-reopen-2', n: 2 });
    expect(e.usage[0]).toMatchObject({ used: 2 });
  });

  it('with same-count (the default), a reopen after the window is not counted again', () => {
    const t = tenant('same-count');
    const ledger = new MemoryLedger();
    handle(t, ledger, created('A'));
    const at = '2026-11-20T10:00:00+09:00';
    const d = handle(t, ledger, reopened('A', at, [{ at, solvedAt }]));
    expect(d.recount).toBeNull();
    expect(d.usage[0]).toMatchObject({ used: 1 });
    expect(d.note).toBeNull();
  });

  it('refuses reopen on a responses limit, with the path', () => {
    const parsed = parseTenantRules({
      id: 'x',
      timeZone: 'UTC',
      plans: [
        {
          id: 'p',
          name: 'P',
          limits: [{ unit: 'responses', max: 5, per: 'month', reopen: { window: 2 } }],
        },
      ],
    });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'plans[0].limits[0].reopen: reopen applies to ticket limits',
    ]);
  });
});
