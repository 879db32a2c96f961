import { describe, expect, it } from 'vitest';
import {
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s2-license-tiers');

const file = (ledger: MemoryLedger, id: string, account: ReturnType<typeof org>) =>
  handle(
    tenant,
    ledger,
    ticketEvent({ id, subject: 'Sync stopped', account, createdAt: '2026-11-10T09:00:00-05:00' }),
  );

describe('S2 license tiers: the licenses attribute picks the plan', () => {
  it('gives a 50-100 license customer the Team plan: reply in 3 h, resolve in 1 day', () => {
    const decision = file(new MemoryLedger(), '1', org('7001', { licenses: 80 }));
    expect(decision.plan).toEqual({ id: 'licenses-50-100', name: 'Team' });
    expect(decision.sla?.firstResponse?.due).toBe('2026-11-10T17:00:00.000Z');
    expect(decision.sla?.resolution?.due).toBe('2026-11-11T14:00:00.000Z');
    expect(decision.usage[0]).toMatchObject({ used: 1, max: 5, remaining: 4 });
  });

  it('reads a licenses value that the helpdesk sends as text', () => {
    expect(file(new MemoryLedger(), '1', org('7002', { licenses: '100' })).plan?.id).toBe(
      'licenses-50-100',
    );
  });

  it('counts each customer of a tier against its own 5 tickets', () => {
    const ledger = new MemoryLedger();
    const a = org('7001', { licenses: 60 });
    const b = org('7003', { licenses: 90 });
    for (let i = 1; i <= 5; i++) expect(file(ledger, `a${i}`, a).quota).toBe('within');
    expect(file(ledger, 'a6', a).quota).toBe('over');
    const firstOfB = file(ledger, 'b1', b);
    expect(firstOfB.quota).toBe('within');
    expect(firstOfB.usage[0]).toMatchObject({ used: 1, remaining: 4 });
  });

  it('gives 500+ license customers 50 tickets a month, and no tier to 200 licenses', () => {
    const big = file(new MemoryLedger(), '1', org('7100', { licenses: 1200 }));
    expect(big.plan?.name).toBe('Enterprise');
    expect(big.usage[0]).toMatchObject({ max: 50, used: 1 });
    expect(file(new MemoryLedger(), '2', org('7200', { licenses: 200 })).outcome).toBe(
      'no-contract',
    );
  });
});
