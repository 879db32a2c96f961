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

/** Charges happen now (counters expire a retention window after their period ends). */
const T = Date.now();
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
      T + 1000,
    );
    expect(a).toEqual({
      [month]: { count: 1, units: 1, position: 0, chargedNow: true },
      [week]: { count: 1, units: 1, position: 0, chargedNow: true },
    });
    const b = await ledger.charge('t1', [{ key: month, member: 'ticket-2' }], 'e2', T + 2000);
    expect(b[month]).toEqual({ count: 2, units: 2, position: 1, chargedNow: true });
    const c = await ledger.charge('t1', [{ key: month, member: 'ticket-3' }], 'e3', T + 3000);
    expect(c[month]).toEqual({ count: 3, units: 3, position: 2, chargedNow: true });

    // A later event about a counted member: same position, not charged by this event.
    const later = await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e9', T + 9000);
    expect(later[month]).toEqual({ count: 3, units: 3, position: 0, chargedNow: false });
  });

  it('says chargedNow again when the event that counted a member is retried', async () => {
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', T + 1000);
    await ledger.charge('t1', [{ key: month, member: 'ticket-2' }], 'e2', T + 2000);
    const retry = await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', T + 5000);
    expect(retry[month]).toEqual({ count: 2, units: 2, position: 0, chargedNow: true });
    // The retry changed nothing: the history still has the first charge's time.
    expect((await ledger.usage('t1', month)).entries[0]).toMatchObject({
      eventId: 'e1',
      atMs: T + 1000,
    });
  });

  it('only reads the count for a null member (the counter is listed, nothing is counted)', async () => {
    const empty = await ledger.charge('t1', [{ key: month, member: null }], 'e0', T + 0);
    expect(empty[month]).toEqual({ count: 0, units: 0, position: null, chargedNow: false });
    expect(await ledger.counterKeys('t1')).toEqual([month]);
    expect(await redis.client.keys(`${redis.prefix}:{t1}:quota:*`)).toEqual([]);
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', T + 1000);
    const read = await ledger.charge('t1', [{ key: month, member: null }], 'e2', T + 2000);
    expect(read[month]).toEqual({ count: 1, units: 1, position: null, chargedNow: false });
    expect((await ledger.usage('t1', month)).count).toBe(1);
  });

  it('explains each count with the history of who counted what, in order', async () => {
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-7', meta: { subject: 'A' } }],
      'e1',
      T + 1000,
    );
    await ledger.charge('t1', [{ key: month, member: 'ticket-3' }], 'e2', T + 2000);
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-7', meta: { subject: 'B' } }],
      'e3',
      T + 3000,
    );
    const entry = { weight: 1, waives: [] };
    expect(await ledger.usage('t1', month)).toEqual({
      count: 2,
      units: 2,
      entries: [
        {
          member: 'ticket-7',
          position: 0,
          eventId: 'e1',
          atMs: T + 1000,
          meta: { subject: 'A' },
          ...entry,
        },
        { member: 'ticket-3', position: 1, eventId: 'e2', atMs: T + 2000, meta: {}, ...entry },
      ],
      moved: [],
      waived: [],
    });
    expect(await ledger.usage('t1', week)).toEqual({
      count: 0,
      units: 0,
      entries: [],
      moved: [],
      waived: [],
    });
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
      T + 1000,
    );
    expect(await ledger.counterKeys('t1', 'acme')).toEqual([month, week]);
    expect(await ledger.counterKeys('t1')).toHaveLength(3);
    expect(await ledger.counterKeys('t2')).toEqual([]);
  });

  it('keeps one tenant’s keys in one hash slot, apart from other tenants', async () => {
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', T + 1000);
    await ledger.charge('t2', [{ key: month, member: 'ticket-5' }], 'e2', T + 2000);
    expect((await ledger.usage('t2', month)).entries.map((e) => e.member)).toEqual(['ticket-5']);
    const keys = await redis.client.keys(`${redis.prefix}:{t1}:*`);
    expect(keys.sort()).toEqual(
      [
        `${redis.prefix}:{t1}:quota-counters`,
        `${redis.prefix}:{t1}:quota-owner:ticket-1`,
        `${redis.prefix}:{t1}:quota:${month}:positions`,
        `${redis.prefix}:{t1}:quota:${month}:history`,
        `${redis.prefix}:{t1}:quota:${month}:units`,
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
          T + 1,
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
            T + i,
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

  describe('a ticket that moves to another contract', () => {
    const acme = 'acme/tickets-month/month-2026-11-01';
    const beta = 'beta/tickets-month/month-2026-11-01';
    const open = T + 30 * 24 * 3600_000;

    it('takes its count along while its period is open, and the history says where it went', async () => {
      await ledger.charge('t1', [{ key: acme, member: 'ticket-1', periodEndMs: open }], 'e1', T);
      await ledger.charge('t1', [{ key: acme, member: 'ticket-2', periodEndMs: open }], 'e2', T);
      const moved = await ledger.charge(
        't1',
        [{ key: beta, member: 'ticket-1', periodEndMs: open }],
        'e3',
        T + 60_000,
      );
      expect(moved[beta]).toEqual({ count: 1, units: 1, position: 0, chargedNow: true });
      const old = await ledger.usage('t1', acme);
      expect(old.count).toBe(1);
      expect(old.entries.map((e) => e.member)).toEqual(['ticket-2']);
      expect(old.moved).toEqual([
        expect.objectContaining({
          member: 'ticket-1',
          eventId: 'e1',
          movedTo: 'beta',
          movedAt: T + 60_000,
        }),
      ]);
      const now = await ledger.usage('t1', beta);
      expect(now.entries).toEqual([expect.objectContaining({ member: 'ticket-1', eventId: 'e3' })]);
      expect(now.entries[0]!.meta).toMatchObject({ movedFrom: 'acme' });

      // Later events about it, under either contract, never count it twice.
      await ledger.charge(
        't1',
        [{ key: beta, member: 'ticket-1', periodEndMs: open }],
        'e4',
        T + 120_000,
      );
      expect((await ledger.usage('t1', beta)).count).toBe(1);
      expect((await ledger.usage('t1', acme)).count).toBe(1);
    });

    it('stays counted where it was once that period has ended: a billed month is never rewritten', async () => {
      const ended = T - 1;
      await ledger.charge(
        't1',
        [{ key: acme, member: 'ticket-1', periodEndMs: ended }],
        'e1',
        T - 10,
      );
      const late = await ledger.charge(
        't1',
        [{ key: beta, member: 'ticket-1', periodEndMs: ended }],
        'e2',
        T,
      );
      expect(late[beta]).toEqual({
        count: 0,
        units: 0,
        position: null,
        chargedNow: false,
        countedUnder: 'acme',
      });
      expect((await ledger.usage('t1', acme)).count).toBe(1);
    });

    it('leaves a counted reply where it was counted', async () => {
      const acmeReplies = 'acme/responses-month/month-2026-11-01';
      const betaReplies = 'beta/responses-month/month-2026-11-01';
      await ledger.charge(
        't1',
        [{ key: acmeReplies, member: 'reply-9', periodEndMs: open }],
        'e1',
        T,
      );
      const again = await ledger.charge(
        't1',
        [{ key: betaReplies, member: 'reply-9', periodEndMs: open }],
        'e1',
        T + 1,
      );
      expect(again[betaReplies]).toMatchObject({
        count: 0,
        chargedNow: false,
        countedUnder: 'acme',
      });
      expect((await ledger.usage('t1', acmeReplies)).count).toBe(1);
    });
  });

  it('raises each alert of a counter once, whichever event crosses it again', async () => {
    const alert = { counterKey: month, threshold: 80 };
    expect(await ledger.claimAlerts('t1', [alert], 'e1', T)).toEqual([alert]);
    expect(await ledger.claimAlerts('t1', [alert], 'e1', T + 1)).toEqual([alert]); // a retry
    expect(await ledger.claimAlerts('t1', [alert], 'e2', T + 2)).toEqual([]);
    expect(
      await ledger.claimAlerts('t1', [{ counterKey: month, threshold: 100 }], 'e2', T + 3),
    ).toHaveLength(1);
  });

  it('forgets counters and their histories a retention window after their period ends', async () => {
    const day = 24 * 3600_000;
    const short = new QuotaLedger(redis.client, redis.prefix, 30 * day);
    const lastMonthEnd = T - 31 * day; // ended 31 days ago: past a 30-day retention
    const thisMonthEnd = T + 10 * day;
    const old = 'acme/tickets-month/month-2026-09-01';
    await short.charge(
      't1',
      [{ key: old, member: 'ticket-1', periodEndMs: lastMonthEnd }],
      'e1',
      T,
    );
    await short.charge(
      't1',
      [{ key: month, member: 'ticket-2', periodEndMs: thisMonthEnd }],
      'e2',
      T,
    );
    expect(await short.counterKeys('t1')).toEqual([month]);
    expect(await redis.client.keys(`${redis.prefix}:{t1}:quota:${old}:*`)).toEqual([]);
    const ttl = await redis.client.pttl(`${redis.prefix}:{t1}:quota:${month}:positions`);
    expect(Math.abs(T + ttl - (thisMonthEnd + 30 * day))).toBeLessThan(60_000);
    // An index entry past its retention is dropped by the next charge.
    expect(await short.counterKeys('t1', undefined, thisMonthEnd + 31 * day)).toEqual([]);
  });
});

describe('quota ledger: weights and waives (real Redis)', () => {
  const month = 'acme/tickets-month/month-2026-11-01';
  const replies = 'acme/responses-month/month-2026-11-01';
  const ticket = (id: string, waived: boolean | null, asOfMs: number, by = 'agent-7') => ({
    id,
    waived,
    asOfMs,
    by,
  });

  it('adds weights exactly and places each member after the units already in use', async () => {
    const weights = [1.5, 0.1, 0.1, 0.1, 2];
    const out = [];
    for (const [i, weight] of weights.entries()) {
      out.push(
        await ledger.charge('t1', [{ key: month, member: `ticket-${i}`, weight }], `e${i}`, T + i),
      );
    }
    expect(out.map((u) => u[month]!.position)).toEqual([0, 1.5, 1.6, 1.7, 1.8]);
    expect(out.at(-1)![month]).toMatchObject({ count: 5, units: 3.8 });
    const usage = await ledger.usage('t1', month);
    expect(usage.units).toBe(3.8);
    expect(usage.entries.map((e) => e.weight)).toEqual(weights);
    // A later event with another weight (say the priority changed) does not re-weigh it.
    const later = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-0', weight: 3 }],
      'e9',
      T + 9,
    );
    expect(later[month]).toMatchObject({ units: 3.8, position: 0, chargedNow: false });
  });

  it('releases every count of a waived ticket, keeps others in place, and records who and when', async () => {
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1', weight: 2 }],
      'e1',
      T,
      ticket('1', false, 1),
    );
    await ledger.charge(
      't1',
      [
        { key: month, member: 'ticket-1', weight: 2 },
        { key: replies, member: 'reply-11' },
      ],
      'e2',
      T + 1,
      ticket('1', false, 2),
    );
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-2' }],
      'e3',
      T + 2,
      ticket('2', false, 3),
    );

    const waived = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1', weight: 2 }],
      'e4',
      T + 3,
      ticket('1', true, 4),
    );
    expect(waived[month]).toEqual({
      count: 1,
      units: 1,
      position: null,
      chargedNow: false,
      waived: true,
    });
    const usage = await ledger.usage('t1', month);
    expect(usage.entries).toEqual([expect.objectContaining({ member: 'ticket-2', position: 2 })]);
    expect(usage.waived).toEqual([
      expect.objectContaining({
        member: 'ticket-1',
        weight: 2,
        waives: [{ waivedAt: T + 3, waivedBy: 'agent-7', waivedIn: 'e4' }],
      }),
    ]);
    // Its reply counted on the responses limit is released too.
    expect((await ledger.usage('t1', replies)).count).toBe(0);

    // The next ticket takes the units in use now: positions are never rewritten.
    const next = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-3' }],
      'e5',
      T + 4,
      ticket('3', false, 5),
    );
    expect(next[month]).toMatchObject({ units: 2, position: 1 });
  });

  it('counts a ticket again at the end when the waive is removed, and ignores a stale body', async () => {
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1' }],
      'e1',
      T,
      ticket('1', false, 10),
    );
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1' }],
      'e2',
      T + 1,
      ticket('1', true, 20),
    );
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-2' }],
      'e3',
      T + 2,
      ticket('2', false, 20),
    );
    // A body rendered before the waive arrives late: it does not take the waive back.
    const stale = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1' }],
      'e-old',
      T + 3,
      ticket('1', false, 15),
    );
    expect(stale[month]).toMatchObject({ count: 1, waived: true });

    const back = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1' }],
      'e4',
      T + 4,
      ticket('1', false, 30, 'agent-9'),
    );
    expect(back[month]).toEqual({ count: 2, units: 2, position: 1, chargedNow: true });
    const usage = await ledger.usage('t1', month);
    expect(usage.entries.map((e) => [e.member, e.position])).toEqual([
      ['ticket-2', 0],
      ['ticket-1', 1],
    ]);
    expect(usage.entries[1]!.waives).toEqual([
      {
        waivedAt: T + 1,
        waivedBy: 'agent-7',
        waivedIn: 'e2',
        unwaivedAt: T + 4,
        unwaivedBy: 'agent-9',
      },
    ]);
    // Retrying the unwaiving event changes nothing and still owns the count.
    const retry = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1' }],
      'e4',
      T + 5,
      ticket('1', false, 30, 'agent-9'),
    );
    expect(retry[month]).toEqual({ count: 2, units: 2, position: 1, chargedNow: true });
  });

  it('never counts a ticket that is waived before its counting moment', async () => {
    const out = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1' }],
      'e1',
      T,
      ticket('1', true, 1),
    );
    expect(out[month]).toMatchObject({ count: 0, units: 0, position: null, waived: true });
    expect((await ledger.usage('t1', month)).waived).toEqual([]);
  });

  it('takes a moved ticket’s weight off the old counter', async () => {
    const open = T + 30 * 24 * 3600_000;
    const beta = 'beta/tickets-month/month-2026-11-01';
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1', weight: 2.5, periodEndMs: open }],
      'e1',
      T,
      ticket('1', false, 1),
    );
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-2', periodEndMs: open }],
      'e2',
      T,
      ticket('2', false, 1),
    );
    await ledger.charge(
      't1',
      [{ key: beta, member: 'ticket-1', weight: 2.5, periodEndMs: open }],
      'e3',
      T + 1,
      ticket('1', false, 2),
    );
    expect((await ledger.usage('t1', month)).units).toBe(1);
    expect((await ledger.usage('t1', beta)).units).toBe(2.5);
    // Waiving it now releases it where it is counted now, not where it was.
    await ledger.charge(
      't1',
      [{ key: beta, member: 'ticket-1', weight: 2.5, periodEndMs: open }],
      'e4',
      T + 2,
      ticket('1', true, 3),
    );
    expect((await ledger.usage('t1', beta)).units).toBe(0);
    expect((await ledger.usage('t1', month)).units).toBe(1);
  });
});

describe('quota ledger: late bodies, old counters and expiry (real Redis)', () => {
  const month = 'acme/tickets-month/month-2026-11-01';
  const tk = (waived: boolean, asOfMs: number) => ({ id: '1', waived, asOfMs, by: 'agent' });

  it('ignores a late retry of an older waived body once a newer body said not waived', async () => {
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e1', T, tk(false, 1000));
    await ledger.charge('t1', [{ key: month, member: 'ticket-1' }], 'e3', T + 1, tk(false, 3000));
    const late = await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1' }],
      'e2',
      T + 2,
      tk(true, 2000),
    );
    expect(late[month]).toMatchObject({ count: 1, units: 1, position: 0 });
    expect(late[month]!.waived).toBeUndefined();
    expect((await ledger.usage('t1', month)).waived).toEqual([]);
  });

  it('reads a counter written before units (slots 0, 1, 2 …) as one unit a member, and goes on from there', async () => {
    const base = `${redis.prefix}:{t1}:quota:${month}`;
    for (const [i, member] of ['ticket-a', 'ticket-b', 'ticket-c', 'ticket-d'].entries()) {
      await redis.client.hset(`${base}:positions`, member, String(i));
      await redis.client.hset(
        `${base}:history`,
        member,
        JSON.stringify({ eventId: `old-${i}`, atMs: T }),
      );
    }
    expect(await ledger.usage('t1', month)).toMatchObject({ count: 4, units: 4 });
    expect(await ledger.units('t1', [month])).toEqual([4]);
    const fifth = await ledger.charge('t1', [{ key: month, member: 'ticket-e' }], 'e5', T);
    expect(fifth[month]).toMatchObject({ count: 5, units: 5, position: 4, chargedNow: true });
    const usage = await ledger.usage('t1', month);
    expect(usage.entries.map((e) => [e.member, e.position, e.weight])).toEqual([
      ['ticket-a', 0, 1],
      ['ticket-b', 1, 1],
      ['ticket-c', 2, 1],
      ['ticket-d', 3, 1],
      ['ticket-e', 4, 1],
    ]);
  });

  it('keeps the expiry of a counter whose only member is waived and then counted again', async () => {
    const ended = T - 1;
    await ledger.charge(
      't1',
      [{ key: month, member: 'ticket-1', periodEndMs: ended }],
      'e1',
      T - 10,
      tk(false, 1),
    );
    // Later events of the ticket charge another (current) counter, not the ended one.
    const now = 'acme/tickets-month/month-2026-12-01';
    await ledger.charge('t1', [{ key: now, member: null }], 'e2', T, tk(true, 2));
    await ledger.charge('t1', [{ key: now, member: null }], 'e3', T + 1, tk(false, 3));
    const positions = `${redis.prefix}:{t1}:quota:${month}:positions`;
    expect(await redis.client.hlen(positions)).toBe(1);
    expect(await redis.client.pttl(positions)).toBeGreaterThan(0);
  });
});
