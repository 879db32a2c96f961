import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeEach(async () => {
  redis = await useTestRedis();
});
afterEach(() => redis.close());

describe('tenant store (real Redis)', () => {
  it('adds a version only when the content changes, whatever the key order', async () => {
    const store = new TenantStore(redis.client, redis.prefix);
    expect(await store.save('acme', { id: 'acme', plans: [1], timeZone: 'UTC' })).toEqual({
      version: 1,
      changed: true,
    });
    expect(await store.save('acme', { timeZone: 'UTC', plans: [1], id: 'acme' })).toEqual({
      version: 1,
      changed: false,
    });
    expect(await store.save('acme', { id: 'acme', plans: [2], timeZone: 'UTC' })).toEqual({
      version: 2,
      changed: true,
    });
    expect((await store.current('acme'))?.config).toEqual({
      id: 'acme',
      plans: [2],
      timeZone: 'UTC',
    });
    expect(await store.rollback('acme', 1)).toEqual({ version: 3, changed: true });
    expect((await store.current('acme'))?.config).toEqual({
      id: 'acme',
      plans: [1],
      timeZone: 'UTC',
    });
    expect((await store.history('acme')).map((h) => h.version)).toEqual([1, 2, 3]);
    expect(await store.current('nobody')).toBeNull();
    expect(await store.tenantIds()).toEqual(['acme']);
  });
});

describe('ticket state store (real Redis)', () => {
  it('loses no write when many workers update one ticket at once', async () => {
    const store = new TicketStateStore(redis.client, redis.prefix);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        store.update('acme', '42', (s) => ({ ...s, timerJobIds: [...s.timerJobIds, `t${i}`] })),
      ),
    );
    const state = await store.get('acme', '42');
    expect(new Set(state.timerJobIds).size).toBe(25);
    const ttl = await redis.client.ttl(`${redis.prefix}:{acme}:ticket:42`);
    expect(ttl).toBeGreaterThan(100 * 24 * 3600);
  });
});
