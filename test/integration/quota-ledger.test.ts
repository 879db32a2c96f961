import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let ledger: QuotaLedger;
beforeEach(async () => {
  redis = await useTestRedis();
  ledger = new QuotaLedger(redis.client, redis.prefix);
});
afterEach(() => redis.close());

const month = 'acme/tickets-month/month-2026-11-01';
const week = 'acme/tickets-week/week-2026-11-16';

describe('quota ledger (real Redis)', () => {
  it('counts members in the order first counted, with stable positions', async () => {
    const a = await ledger.charge(
      't1',
      [
        { key: month, member: 'ticket-1' },
        { key: week, member: 'ticket-1' },
      ],
      'e1',
      1000,
    );
    expect(a).toEqual({
      [month]: { count: 1, position: 0, chargedNow: true },
      [week]: { count: 1, position: 0, chargedNow: true },
    });
    const b = await ledger.charge('t1', [{ key: month, member: 'ticket-2' }], 'e2', 2000);
    expect(b[month]).toEqual({ count: 2, position: 1, chargedNow: true });
    const c = await ledger.charge('t1', [{ key: month, member: 'ticket-3' }], 'e3', 3000);
    expect(c[month]).toEqual({ count: 3, position: 2, chargedNow: true });

    // A later event about a counted member: same position, not charged by this event.
    const later = await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e9', 9000);
    expect(later[month]).toEqual({ count: 3, position: 0, chargedNow: false });
  });

  it('says chargedNow again when the event that counted a member is retried', async () => {
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', 1000);
    await ledger.charge('t1', [{ key: month, member: 'ticket-2' }], 'e2', 2000);
    const retry = await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', 5000);
    expect(retry[month]).toEqual({ count: 2, position: 0, chargedNow: true });
    // The retry changed nothing: the history still has the first charge's time.
    expect((await ledger.usage('t1', month)).entries[0]).toMatchObject({
      eventId: 'e1',
      atMs: 1000,
    });
  });

  it('only reads the count for a null member (the counter is listed, nothing is counted)', async () => {
    const empty = await ledger.charge('t1', [{ key: month, member: null }], 'e0', 0);
    expect(empty[month]).toEqual({ count: 0, position: null, chargedNow: false });
    expect(await ledger.counterKeys('t1')).toEqual([month]);
    expect(await redis.client.keys(`${redis.prefix}:{t1}:quota:*`)).toEqual([]);
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', 1000);
    const read = await ledger.charge('t1', [{ key: month, member: null }], 'e2', 2000);
    expect(read[month]).toEqual({ count: 1, position: null, chargedNow: false });
    expect((await ledger.usage('t1', month)).count).toBe(1);
  });

  it('explains each count with the history of who counted what, in order', async () => {
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-7', meta: { subject: 'A' } }],
      'e1',
      1000,
    );
    await ledger.charge('t1', [{ key: month, member: 'ticket-3' }], 'e2', 2000);
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-7', meta: { subject: 'B' } }],
      'e3',
      3000,
    );
    expect(await ledger.usage('t1', month)).toEqual({
      count: 2,
      entries: [
        { member: 'ticket-7', position: 0, eventId: 'e1', atMs: 1000, meta: { subject: 'A' } },
        { member: 'ticket-3', position: 1, eventId: 'e2', atMs: 2000, meta: {} },
      ],
    });
    expect(await ledger.usage('t1', week)).toEqual({ count: 0, entries: [] });
  });

  it('lists a tenant’s counters from its index, optionally by scope', async () => {
    await ledger.charge(
      't1',
      [
        { key: month, member: 'ticket-1' },
        { key: week, member: 'ticket-1' },
        { key: 'other/tickets-month/month-2026-11-01', member: 'ticket-1' },
      ],
      'e1',
      1000,
    );
    expect(await ledger.counterKeys('t1', 'acme')).toEqual([month, week]);
    expect(await ledger.counterKeys('t1')).toHaveLength(3);
    expect(await ledger.counterKeys('t2')).toEqual([]);
  });

  it('keeps one tenant’s keys in one hash slot, apart from other tenants', async () => {
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', 1000);
    await ledger.charge('t2', [{ key: month, member: 'ticket-5' }], 'e2', 2000);
    expect((await ledger.usage('t2', month)).entries.map((e) => e.member)).toEqual(['ticket-5']);
    const keys = await redis.client.keys(`${redis.prefix}:{t1}:*`);
    expect(keys.sort()).toEqual(
      [
        `${redis.prefix}:{t1}:quota-index`,
        `${redis.prefix}:{t1}:quota:${month}:positions`,
        `${redis.prefix}:{t1}:quota:${month}:history`,
      ].sort(),
    );
  });

  it('counts one member once when ten connections charge it at the same time', async () => {
    const connections = Array.from({ length: 10 }, () => new Redis(redis.url));
    try {
      const charge = (c: Redis, eventId: string) =>
        new QuotaLedger(c, redis.prefix).charge(
          't1',
          [{ key: month, member: 'ticket-9' }],
          eventId,
          1,
        );
      const results = await Promise.all(connections.map((c, i) => charge(c, `delivery-${i}`)));
      expect(results.map((r) => r[month]!.count)).toEqual(Array(10).fill(1));
      expect(results.map((r) => r[month]!.position)).toEqual(Array(10).fill(0));
      const winners = results.flatMap((r, i) => (r[month]!.chargedNow ? [`delivery-${i}`] : []));
      expect(winners).toHaveLength(1);
      const { entries } = await ledger.usage('t1', month);
      expect(entries.map((e) => e.eventId)).toEqual(winners);

      // Ten more at once: the winner's retries say true, everyone else false.
      const again = await Promise.all(
        connections.map((c, i) => charge(c, i % 2 === 0 ? winners[0]! : `late-${i}`)),
      );
      again.forEach((r, i) => expect(r[month]!.chargedNow).toBe(i % 2 === 0));
      expect((await ledger.usage('t1', month)).count).toBe(1);
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
  });

  it('gives 200 concurrent tickets the positions 0..199 with no gap or duplicate', async () => {
    const connections = Array.from({ length: 4 }, () => new Redis(redis.url));
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          new QuotaLedger(connections[i % 4]!, redis.prefix).charge(
            't1',
            [{ key: month, member: `ticket-${i}` }],
            `e${i}`,
            i,
          ),
        ),
      );
      const positions = results.map((r) => r[month]!.position!).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(results.every((r) => r[month]!.chargedNow)).toBe(true);
      const { count, entries } = await ledger.usage('t1', month);
      expect(count).toBe(200);
      expect(entries.map((e) => e.position)).toEqual(positions);
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
  });
});
