import { describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../../connectors/core/ticket.js';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

function tenant(locale: 'en' | 'ja' = 'en') {
  return compileConfig({
    id: 'agency-client',
    timeZone: 'Asia/Tokyo',
    locale,
    slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h' } } }],
    plans: [
      {
        id: 'p',
        name: 'Standard',
        limits: [
          { max: 1, per: 'month' },
          { unit: 'responses', max: 10, per: 'month' },
        ],
        sla: 'std',
        exclude: {
          tags: ['Internal'],
          forms: [360001],
          brands: ['42'],
          channels: ['voice'],
          requesterDomains: ['@partner.example'],
        },
      },
    ],
    contracts: [
      { id: 'c', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' },
      {
        id: 'd',
        account: { orgIds: ['2'] },
        plan: 'p',
        start: '2026-01-01',
        exclude: { tags: ['trial'] },
      },
    ],
  });
}

const at = '2026-11-24T10:00:00+09:00';
const base = (id: string, account = '1') => ({
  id,
  subject: 'Help',
  account: org(account),
  createdAt: at,
});

describe('exclusions: matching tickets are not counted', () => {
  const cases: [string, Partial<TicketEvent['ticket']>, string][] = [
    ['tag', { tags: ['internal'] }, 'tag: internal'],
    ['form', { formId: '360001' }, 'form: 360001'],
    ['brand', { brandId: '42' }, 'brand: 42'],
    ['channel', { channel: { category: 'voice', detail: 'voice' } }, 'channel: voice'],
    [
      'requester domain (a subdomain too)',
      { requester: { id: '9', email: 'x@eu.partner.example', name: null } },
      'requester domain: partner.example',
    ],
  ];

  for (const [kind, fields, reason] of cases) {
    it(`${kind}: not counted, tagged, noted, usage unchanged, SLA kept`, () => {
      const t = tenant();
      const ledger = new MemoryLedger();
      const first = handle(t, ledger, ticketEvent(base('A')));
      expect(first.usage[0]).toMatchObject({ used: 1, remaining: 0 });

      const d = handle(t, ledger, ticketEvent({ ...base('B'), ...fields }));
      expect(d.quota).toBe('excluded');
      expect(d.usage[0]).toMatchObject({ used: 1 });
      expect(d.chargedKeys).toEqual([]);
      expect(d.tags).toContain('deskplan_excluded');
      expect(d.tags).not.toContain('deskplan_over_quota');
      expect(d.tags).not.toContain('deskplan_within_quota');
      expect(d.note).toContain(
        `Not counted against the quota: it matches an exclusion (${reason}).`,
      );
      // The month is full, yet the excluded ticket keeps the contract's SLA.
      expect(d.sla?.firstResponse?.due).not.toBeNull();
      expect(d.alerts).toEqual([]);
    });
  }

  it('does not count the replies of an excluded ticket either', () => {
    const t = tenant();
    const ledger = new MemoryLedger();
    const created = ticketEvent({ ...base('B'), tags: ['internal'] });
    handle(t, ledger, created);
    const reply = ticketEvent(
      { ...created.ticket, status: 'open', updatedAt: '2026-11-24T11:00:00+09:00' },
      {
        kind: 'ticket.agent_replied',
        occurredAt: '2026-11-24T11:00:00+09:00',
        reply: { id: 'r1', at: '2026-11-24T11:00:00+09:00', public: true },
      },
    );
    const d = handle(t, ledger, reply);
    expect(d.usage.map((u) => u.used)).toEqual([0, 0]);
    expect(d.note).toBeNull(); // the first plan note said it already
  });

  it('a contract-level exclusion adds to the plan’s', () => {
    const t = tenant();
    const ledger = new MemoryLedger();
    // Contract d adds 'trial'; the plan's own exclusions still apply to it.
    const trial = handle(t, ledger, ticketEvent({ ...base('T', '2'), tags: ['trial'] }));
    expect(trial.quota).toBe('excluded');
    expect(trial.note).toContain('(tag: trial)');
    const voice = handle(
      t,
      ledger,
      ticketEvent({ ...base('V', '2'), channel: { category: 'voice', detail: 'voice' } }),
    );
    expect(voice.quota).toBe('excluded');
    // …while contract c, without it, counts a 'trial' ticket.
    const counted = handle(t, ledger, ticketEvent({ ...base('U', '1'), tags: ['trial'] }));
    expect(counted.quota).toBe('within');
    expect(counted.usage[0]).toMatchObject({ used: 1 });
  });

  it('an exclusion that starts matching after the ticket was counted leaves it counted', () => {
    const t = tenant();
    const ledger = new MemoryLedger();
    const created = ticketEvent(base('A'));
    expect(handle(t, ledger, created).quota).toBe('within');
    const tagged = ticketEvent(
      { ...created.ticket, tags: ['internal'], updatedAt: '2026-11-24T12:00:00+09:00' },
      { kind: 'ticket.updated', occurredAt: '2026-11-24T12:00:00+09:00' },
    );
    const d = handle(t, ledger, tagged);
    expect(d.quota).toBe('within');
    expect(d.usage[0]).toMatchObject({ used: 1 });
    expect(d.tags).not.toContain('deskplan_excluded');
  });

  it('says so in Japanese', () => {
    const d = handle(
      tenant('ja'),
      new MemoryLedger(),
      ticketEvent({ ...base('B'), channel: { category: 'voice', detail: 'voice' } }),
    );
    expect(d.note).toContain(
      'クォータにカウントしません: 除外条件（チャネル: voice）に一致します。',
    );
  });

  it('needs the ticket read only for fields a trigger body lacks and some exclusion reads', async () => {
    const { needsTicketRead } = await import('../../../worker/rules/index.js');
    const t = tenant();
    const lacking = ticketEvent({ ...base('A'), unknownFields: ['formId', 'brandId', 'channel'] });
    expect(needsTicketRead(t, lacking.ticket)).toBe(true);
    expect(needsTicketRead(t, ticketEvent(base('A')).ticket)).toBe(false);
    const tagsOnly = compileConfig({
      id: 'x',
      timeZone: 'UTC',
      plans: [{ id: 'p', name: 'P', exclude: { tags: ['internal'] } }],
    });
    expect(needsTicketRead(tagsOnly, lacking.ticket)).toBe(false);
  });
});
