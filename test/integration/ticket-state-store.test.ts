import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  emptyTicketState,
  TICKET_STATE_TTL_SECONDS,
  TicketStateStore,
} from '../../worker/stores/ticket-state-store.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let store: TicketStateStore;
beforeEach(async () => {
  redis = await useTestRedis();
  store = new TicketStateStore(redis.client, redis.prefix);
});
afterEach(() => redis.close());

describe('ticket state store (real Redis)', () => {
  it('reads an unknown ticket as empty state and stores nothing for it', async () => {
    expect(await store.get('acme', '1')).toEqual(emptyTicketState());
    await store.update('acme', '1', (s) => s);
    expect(await redis.client.exists(store.key('acme', '1'))).toBe(0);
  });

  it('loses no write when workers on separate connections update one ticket at once', async () => {
    const connections = Array.from({ length: 5 }, () => new Redis(redis.url));
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          new TicketStateStore(connections[i % 5]!, redis.prefix).update('acme', '42', (s) => ({
            ...s,
            timerJobIds: [...s.timerJobIds, `t${i}`],
          })),
        ),
      );
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
    const state = await store.get('acme', '42');
    expect(state.timerJobIds).toHaveLength(40);
    expect(new Set(state.timerJobIds).size).toBe(40);
  });

  it('sets a TTL of about 180 days and renews it on every write', async () => {
    const key = store.key('acme', '7');
    await store.update('acme', '7', (s) => ({ ...s, firstAgentReplyAt: '2026-11-10T09:00:00Z' }));
    expect(key).toBe(`${redis.prefix}:{acme}:ticket:7`);
    expect(await redis.client.ttl(key)).toBeGreaterThan(TICKET_STATE_TTL_SECONDS - 60);
    await redis.client.expire(key, 100);
    await store.update('acme', '7', (s) => s); // unchanged, but still a write: TTL renewed
    expect(await redis.client.ttl(key)).toBeGreaterThan(TICKET_STATE_TTL_SECONDS - 60);
    expect((await store.get('acme', '7')).firstAgentReplyAt).toBe('2026-11-10T09:00:00Z');
  });

  it('chains an update on a state it returned, still keeping what another worker wrote between', async () => {
    const first = await store.update('acme', '8', (s) => ({ ...s, timerJobIds: ['a'] }));
    const other = new TicketStateStore(redis.client, redis.prefix);
    await other.update('acme', '8', (s) => ({ ...s, timerJobIds: [...s.timerJobIds, 'b'] }));
    const next = await store.update(
      'acme',
      '8',
      (s) => ({ ...s, timerJobIds: [...s.timerJobIds, 'c'] }),
      first,
    );
    expect(next.timerJobIds).toEqual(['a', 'b', 'c']);
    expect(await store.get('acme', '8')).toEqual(next);
    const empty = await store.update('acme', '10', (s) => s); // nothing stored
    await store.update('acme', '10', (s) => ({ ...s, timerJobIds: ['d'] }), empty);
    expect((await store.get('acme', '10')).timerJobIds).toEqual(['d']);
  });

  it('fills fields missing from an older stored shape with their defaults', async () => {
    await redis.client.set(store.key('acme', '9'), JSON.stringify({ timerJobIds: ['x'] }));
    expect(await store.get('acme', '9')).toEqual({ ...emptyTicketState(), timerJobIds: ['x'] });
  });
});
