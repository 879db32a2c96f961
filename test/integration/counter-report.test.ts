import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTicket } from '../../worker/rules/index.js';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { counterReport } from '../../worker/usage/counter-report.js';
import { compileConfig, org, ticketEvent } from '../helpers/rules-fixtures.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let ledger: QuotaLedger;
beforeEach(async () => {
  redis = await useTestRedis();
  ledger = new QuotaLedger(redis.client, redis.prefix);
});
afterEach(() => redis.close());

const tenant = compileConfig({
  id: 'agency-client',
  timeZone: 'Asia/Tokyo',
  plans: [
    {
      id: 'prepaid',
      name: 'Prepaid',
      limits: [
        {
          max: 4,
          per: 'month',
          rollover: { cap: 2 },
          weights: { priority: { urgent: 2 } },
        },
      ],
    },
  ],
  contracts: [
    {
      id: 'acme',
      name: 'Acme 2026',
      account: { orgIds: ['1'] },
      plan: 'prepaid',
      start: '2026-10-01',
      topUps: [{ id: 'pack-1', units: 3, purchased: '2026-11-02' }],
    },
  ],
});

/** Charges one event as the worker does (resolve, then one ledger call). */
async function count(
  id: string,
  at: string,
  o: { urgent?: boolean; waive?: boolean; updatedAt?: string } = {},
) {
  const event = ticketEvent(
    {
      id,
      subject: 'Help',
      account: org('1'),
      createdAt: at,
      updatedAt: o.updatedAt ?? at,
      priority: o.urgent ? 'urgent' : 'normal',
      tags: o.waive ? ['deskplan_waive'] : [],
    },
    { actor: { kind: 'agent', id: '77' } },
  );
  const resolution = resolveTicket(tenant, event);
  await ledger.charge(
    tenant.rules.id,
    resolution.counters.map((c) => ({ key: c.key, member: c.member, weight: c.weighing.weight })),
    event.eventId,
    Date.now(),
    { id, waived: resolution.waived, asOfMs: Date.parse(event.ticket.updatedAt), by: '77' },
  );
  return resolution.counters[0]!.key;
}

describe('usage history of a counter, explained (real Redis)', () => {
  it('shows the allowance by source, each ticket’s weight and the pools its units came from', async () => {
    await count('1', '2026-10-10T10:00:00+09:00'); // October: 1 of 4, 3 unused, 2 roll over
    const key = await count('2', '2026-11-05T10:00:00+09:00', { urgent: true });
    for (const id of ['3', '4', '5', '6']) await count(id, '2026-11-06T10:00:00+09:00');
    await count('7', '2026-11-07T10:00:00+09:00', { urgent: true });
    await count('8', '2026-11-08T10:00:00+09:00', { urgent: true });

    const report = await counterReport(tenant.rules.id, tenant, ledger, key);
    expect(report).toMatchObject({
      counterKey: 'acme/tickets-month/month-2026-11-01',
      contract: { id: 'acme', name: 'Acme 2026' },
      limit: { id: 'tickets-month', max: 4 },
      period: { firstDay: '2026-11-01', lastDay: '2026-11-30' },
      count: 7,
      used: 10, // 2 + 4 × 1 + 2 + 2
      allowance: 9, // 2 rolled over + 4 + 3 from the block
      remaining: 0,
      overage: 1,
      detail: {
        rolledIn: [expect.objectContaining({ from: 'month-2026-10-01', units: 2 })],
        topUps: [expect.objectContaining({ id: 'pack-1', available: 3 })],
      },
    });
    expect(report!.pools!.pools.map((p) => [p.source, p.id, p.used])).toEqual([
      ['rollover', 'month-2026-10-01', 2],
      ['base', 'base', 4],
      ['top-up', 'pack-1', 3],
    ]);
    const drawn = report!.entries.map((e) => [
      e.member,
      e.weight,
      e.draws.map((d) => `${d.source}:${d.units}`).join(' '),
      e.overage,
    ]);
    expect(drawn).toEqual([
      ['ticket-2', 2, 'rollover:2', 0],
      ['ticket-3', 1, 'base:1', 0],
      ['ticket-4', 1, 'base:1', 0],
      ['ticket-5', 1, 'base:1', 0],
      ['ticket-6', 1, 'base:1', 0],
      ['ticket-7', 2, 'top-up:2', 0],
      ['ticket-8', 2, 'top-up:1', 1],
    ]);
  });

  it('lists a waived ticket with who waived it, and attributes its units to no pool', async () => {
    const key = await count('1', '2026-11-05T10:00:00+09:00');
    await count('2', '2026-11-05T11:00:00+09:00');
    await count('1', '2026-11-05T10:00:00+09:00', {
      waive: true,
      updatedAt: '2026-11-06T09:00:00+09:00',
    });
    const report = await counterReport(tenant.rules.id, tenant, ledger, key);
    expect(report).toMatchObject({ count: 1, used: 1 });
    expect(report!.entries.map((e) => [e.member, e.position, e.draws])).toEqual([
      ['ticket-2', 1, [{ source: 'rollover', id: 'month-2026-10-01', units: 1 }]],
    ]);
    expect(report!.waived).toEqual([
      {
        member: 'ticket-1',
        weight: 1,
        waives: [expect.objectContaining({ waivedBy: '77' })],
      },
    ]);
  });

  it('answers null for a counter the config no longer knows', async () => {
    expect(
      await counterReport('agency-client', tenant, ledger, 'gone/tickets-month/month-2026-11-01'),
    ).toBeNull();
  });
});
