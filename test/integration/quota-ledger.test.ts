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
  it('counts members in order with stable positions, and explains each count', async () => {
    const a = await ledger.charge(
      't1',
      [
        { key: month, member: 'ticket-1' },
        { key: week, member: 'ticket-1' },
      ],
      'e1',
      1000,
    );
    const b = await ledger.charge('t1', [{ key: month, member: 'ticket-2' }], 'e2', 2000);
    expect(a[month]).toEqual({ count: 1, position: 0, chargedNow: true });
    expect(a[week]).toEqual({ count: 1, position: 0, chargedNow: true });
    expect(b[month]).toEqual({ count: 2, position: 1, chargedNow: true });

    const later = await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e3', 3000);
    expect(later[month]).toEqual({ count: 2, position: 0, chargedNow: false });
    const retry = await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', 4000);
    expect(retry[month]!.chargedNow).toBe(true);
    const read = await ledger.charge('t1', [{ key: month, member: null }], 'e4', 5000);
    expect(read[month]).toEqual({ count: 2, position: null, chargedNow: false });

    expect(await ledger.usage('t1', month)).toEqual({
      count: 2,
      entries: [
        { member: 'ticket-1', position: 0, eventId: 'e1', atMs: 1000 },
        { member: 'ticket-2', position: 1, eventId: 'e2', atMs: 2000 },
      ],
    });
    expect(await ledger.counterKeys('t1', 'acme')).toEqual([week, month].sort());
    expect(await ledger.counterKeys('t2')).toEqual([]);
  });

  it('counts one member once when ten connections charge it at the same time', async () => {
    const connections = Array.from({ length: 10 }, () => new Redis(redis.url));
    try {
      const results = await Promise.all(
        connections.map((c, i) =>
          new QuotaLedger(c, redis.prefix).charge(
            't1',
            [{ key: month, member: 'ticket-9' }],
            `delivery-${i}`,
            i,
          ),
        ),
      );
      expect(results.map((r) => r[month]!.count)).toEqual(Array(10).fill(1));
      expect(results.filter((r) => r[month]!.chargedNow)).toHaveLength(1);
      expect((await ledger.usage('t1', month)).count).toBe(1);
    } finally {
      connections.forEach((c) => c.disconnect());
    }
  });

  it('gives 200 concurrent tickets the positions 0..199 with no gap or duplicate', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        ledger.charge('t1', [{ key: month, member: `ticket-${i}` }], `e${i}`, i),
      ),
    );
    const positions = results.map((r) => r[month]!.position).sort((a, b) => a! - b!);
    expect(positions).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
