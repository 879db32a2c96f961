import { describe, expect, it } from 'vitest';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

/** 4 tickets a month, up to 2 unused carried into the next month; a block of 3 bought on 10 Nov. */
function tenant(extra: { suggestTopUpAt?: number; topUps?: boolean; start?: string } = {}) {
  return compileConfig({
    id: 'agency-client',
    timeZone: 'Asia/Tokyo',
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h' } } }],
    plans: [
      {
        id: 'prepaid',
        name: 'Prepaid',
        limits: [{ max: 4, per: 'month', rollover: { cap: 2, expiresAfter: 1 } }],
        sla: 'std',
        alerts: [100],
        expiryAlerts: [],
        ...(extra.suggestTopUpAt ? { suggestTopUpAt: extra.suggestTopUpAt } : {}),
      },
    ],
    contracts: [
      {
        id: 'acme',
        account: { orgIds: ['1'] },
        plan: 'prepaid',
        start: extra.start ?? '2026-10-01',
        ...(extra.topUps === false
          ? {}
          : {
              topUps: [
                { id: 'nov-block', units: 3, purchased: '2026-11-10', expires: '2026-12-31' },
              ],
            }),
      },
    ],
  });
}

let n = 0;
const ticket = (createdAt: string) =>
  ticketEvent({ id: String(++n), subject: 'Help', account: org('1'), createdAt });

const OCT = '2026-10-05T10:00:00+09:00';
const NOV = '2026-11-20T10:00:00+09:00';

describe('rollover: unused units carry into the next period, capped', () => {
  it('gives November its own 4 plus 2 carried from October (3 left there, capped at 2)', () => {
    const t = tenant({ topUps: false });
    const ledger = new MemoryLedger();
    handle(t, ledger, ticket(OCT)); // October uses 1 of 4: 3 unused, 2 carried
    const outcomes = Array.from({ length: 7 }, () => handle(t, ledger, ticket(NOV)));
    expect(outcomes.map((d) => d.quota)).toEqual([
      'within',
      'within',
      'within',
      'within',
      'within',
      'within',
      'over',
    ]);
    expect(outcomes[0]!.usage[0]).toMatchObject({
      used: 1,
      max: 4,
      allowance: 6,
      remaining: 5,
      extra: { rolledIn: 2, topUps: 0 },
    });
    expect(outcomes[0]!.note).toContain(
      '1 of 6 tickets used this month, 5 left (allowance includes 2 rolled over)',
    );
    // The 100% alert is of the whole allowance: the 6th ticket, not the 4th.
    expect(outcomes[5]!.alerts).toEqual([
      expect.objectContaining({ kind: 'exhausted', used: 6, max: 6 }),
    ]);
    expect(outcomes[6]!.tags).toContain('deskplan_over_quota');
  });

  it('carries nothing from a month that used its whole allowance', () => {
    const t = tenant();
    const ledger = new MemoryLedger();
    for (let i = 0; i < 4; i++) handle(t, ledger, ticket(OCT));
    expect(handle(t, ledger, ticket(NOV)).usage[0]).toMatchObject({
      allowance: 7,
      extra: { rolledIn: 0, topUps: 3 },
    });
  });

  it('counts a contract’s first month from its start: nothing is carried into it', () => {
    const t = tenant({ topUps: false, start: '2026-09-01' });
    const ledger = new MemoryLedger();
    // September (its first month) used nothing: 2 carried into October.
    expect(handle(t, ledger, ticket(OCT)).usage[0]).toMatchObject({ allowance: 6 });
    const first = handle(t, ledger, ticket('2026-09-03T10:00:00+09:00'));
    expect(first.usage[0]).toMatchObject({ allowance: 4, extra: { rolledIn: 0, topUps: 0 } });
  });
});

describe('top-ups: purchased blocks used after the period’s own allowance', () => {
  it('serves tickets past the base from the block, then applies the overage action', () => {
    const t = tenant();
    const ledger = new MemoryLedger();
    handle(t, ledger, ticket(OCT)); // 2 carried into November
    const outcomes = Array.from({ length: 10 }, () => handle(t, ledger, ticket(NOV)));
    // 2 rolled over + 4 base + 3 from the block = 9 within, the 10th over.
    expect(outcomes.filter((d) => d.quota === 'within')).toHaveLength(9);
    expect(outcomes[9]!.quota).toBe('over');
    expect(outcomes[0]!.usage[0]).toMatchObject({
      allowance: 9,
      extra: { rolledIn: 2, topUps: 3 },
    });
    expect(outcomes[0]!.note).toContain('(allowance includes 2 rolled over and 3 from top-ups)');
  });

  it('keeps what is left of a block for the next month, and not past its expiry', () => {
    const t = tenant();
    const ledger = new MemoryLedger();
    // October used nothing: 2 carried into November, used first; then 4 of its own, then 1 of
    // the block's 3.
    for (let i = 0; i < 7; i++) handle(t, ledger, ticket(NOV));
    const dec = handle(t, ledger, ticket('2026-12-03T10:00:00+09:00'));
    expect(dec.usage[0]).toMatchObject({ allowance: 6, extra: { rolledIn: 0, topUps: 2 } });
    const jan = handle(t, ledger, ticket('2027-01-05T10:00:00+09:00'));
    // December used 1 of its 4: 2 carried; the block expired on 31 Dec.
    expect(jan.usage[0]).toMatchObject({ allowance: 6, extra: { rolledIn: 2, topUps: 0 } });
  });

  it('marks the ticket that reaches the top-up threshold, once for the tenant', () => {
    const t = tenant({ suggestTopUpAt: 75, topUps: false });
    const ledger = new MemoryLedger();
    const events = Array.from({ length: 4 }, () => ticket(OCT));
    const outcomes = events.map((e) => handle(t, ledger, e));
    expect(outcomes.map((d) => d.tags!.includes('deskplan_topup_suggested'))).toEqual([
      false,
      false,
      true,
      false,
    ]);
    expect(outcomes[2]!.note).toContain(
      'Top-up suggested: 75% of the allowance used (3 of 4 tickets this month); offer the account a top-up.',
    );
    // The suggested ticket keeps its tag on later events.
    const again = handle(t, ledger, { ...events[2]!, eventId: 'later', kind: 'ticket.updated' });
    expect(again.tags).toContain('deskplan_topup_suggested');
  });
});
