import { describe, expect, it } from 'vitest';
import {
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('prepaid-agency');

let n = 0;
const reply = (
  id: string,
  at: string,
  o: { priority?: 'urgent' | 'normal'; email?: string } = {},
) =>
  ticketEvent(
    {
      id,
      subject: 'ログインできません',
      account: org('5001'),
      createdAt: at,
      priority: o.priority ?? 'normal',
      requester: { id: '9', email: o.email ?? 'taro@kaisha.example', name: null },
    },
    {
      kind: 'ticket.agent_replied',
      reply: { id: `r${++n}`, at, public: true },
      occurredAt: at,
    },
  );

describe('the documented prepaid agency client (docs/examples/prepaid-agency.yaml)', () => {
  it('counts an urgent ticket answered at night as 3 units, in Japanese', () => {
    const ledger = new MemoryLedger();
    const d = handle(
      tenant,
      ledger,
      reply('1', '2026-11-24T21:00:00+09:00', { priority: 'urgent' }),
    );
    expect(d.quota).toBe('within');
    expect(d.usage[0]).toMatchObject({ used: 3, weighted: true });
    expect(d.note).toContain('このチケットは 3 ユニットとしてカウントします');
  });

  it('does not count a partner’s ticket', () => {
    const ledger = new MemoryLedger();
    const d = handle(
      tenant,
      ledger,
      reply('2', '2026-11-24T10:00:00+09:00', { email: 'ken@partner.example' }),
    );
    expect(d.quota).toBe('excluded');
    expect(d.tags).toContain('deskplan_excluded');
    expect(d.usage[0]).toMatchObject({ used: 0 });
  });

  it('keeps one quota across the renewal, with the 2026 block still usable in 2027', () => {
    const ledger = new MemoryLedger();
    const dec = handle(tenant, ledger, reply('3', '2026-12-21T10:00:00+09:00'));
    const jan = handle(tenant, ledger, reply('4', '2027-01-05T10:00:00+09:00'));
    // 15 December to 14 January is one anniversary month of the chain.
    expect(jan.contract).toEqual({ id: 'kaisha-2027', scopeKey: 'kaisha-2026' });
    expect(jan.usage[0]!.counterKey).toBe(dec.usage[0]!.counterKey);
    expect(jan.usage[0]).toMatchObject({ used: 2, extra: expect.objectContaining({ topUps: 20 }) });
  });
});
