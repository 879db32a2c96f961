import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, TenantStore } from '../../worker/stores/tenant-store.js';
import { secretKeyFrom } from '../../worker/tenants/seal-secrets.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let store: TenantStore;
let clock = 0;
beforeEach(async () => {
  redis = await useTestRedis();
  clock = Date.parse('2026-11-10T09:00:00Z');
  store = new TenantStore(redis.client, redis.prefix, () => new Date((clock += 1000)));
});
afterEach(() => redis.close());

const v1 = { id: 'acme', timeZone: 'UTC', plans: [{ id: 'gold', limits: [1, 2] }] };
const v2 = { id: 'acme', timeZone: 'UTC', plans: [{ id: 'gold', limits: [1, 3] }] };

describe('tenant store (real Redis)', () => {
  it('keeps one version when the same content is saved twice', async () => {
    expect(await store.save('acme', v1)).toEqual({ version: 1, changed: true });
    expect(await store.save('acme', structuredClone(v1))).toEqual({ version: 1, changed: false });
    expect((await store.history('acme')).map((h) => h.version)).toEqual([1]);
  });

  it('ignores key order, at every depth', async () => {
    await store.save('acme', v1);
    const reordered = { plans: [{ limits: [1, 2], id: 'gold' }], timeZone: 'UTC', id: 'acme' };
    expect(await store.save('acme', reordered)).toEqual({ version: 1, changed: false });
    expect(canonicalJson(reordered)).toBe(canonicalJson(v1));
    // Array order is content, though.
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });

  it('adds version 2 when the content changes, and reads any version back', async () => {
    await store.save('acme', v1);
    expect(await store.save('acme', v2)).toEqual({ version: 2, changed: true });
    const current = await store.current('acme');
    expect(current).toMatchObject({ version: 2, config: v2, savedAt: '2026-11-10T09:00:02.000Z' });
    expect((await store.version('acme', 1))?.config).toEqual(v1);
    expect(await store.version('acme', 3)).toBeNull();
    const history = await store.history('acme');
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    expect(history[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(history[0]!.hash).not.toBe(history[1]!.hash);
  });

  it('rolls back by saving an old version as a new one', async () => {
    await store.save('acme', v1);
    await store.save('acme', v2);
    expect(await store.rollback('acme', 1)).toEqual({ version: 3, changed: true });
    expect((await store.current('acme'))?.config).toEqual(v1);
    const [first, second, third] = await store.history('acme');
    expect(third!.hash).toBe(first!.hash);
    expect(third!.hash).not.toBe(second!.hash);
    // Rolling back to what is already current adds nothing.
    expect(await store.rollback('acme', 1)).toEqual({ version: 3, changed: false });
    await expect(store.rollback('acme', 9)).rejects.toThrow(/no version 9/);
  });

  it('answers the version alone when the caller has the current one: nothing opened', async () => {
    const secretKey = secretKeyFrom(randomBytes(32), 'test key');
    const storeWith = (env: NodeJS.ProcessEnv) =>
      new TenantStore(redis.client, redis.prefix, undefined, { env, secretKey });
    const withEnv = storeWith({ ACME_SECRET: 's3cret' });
    const noEnv = storeWith({});
    await noEnv.save('acme', v1);
    await noEnv.save('acme', { id: 'acme', connection: { apiToken: '${ACME_SECRET}' } });
    await expect(noEnv.current('acme')).rejects.toThrow(/ACME_SECRET/);
    await expect(noEnv.current('acme', 1)).rejects.toThrow(/ACME_SECRET/);
    expect(await noEnv.current('acme', 2)).toEqual({ version: 2, unchanged: true });
    const opened = { version: 2, config: { id: 'acme', connection: { apiToken: 's3cret' } } };
    expect(await withEnv.current('acme', 1)).toMatchObject(opened);
    expect(await withEnv.current('acme', undefined)).toMatchObject(opened);
    expect(await withEnv.current('nobody', 1)).toBeNull();
  });

  it('lists tenants with their current versions, and knows nothing of unknown ones', async () => {
    await store.save('acme', v1);
    await store.save('acme', v2);
    await store.save('beta', { id: 'beta' });
    expect(await store.tenantIds()).toEqual(['acme', 'beta']);
    const listed = await store.list();
    expect(listed.map((t) => [t.tenantId, t.version])).toEqual([
      ['acme', 2],
      ['beta', 1],
    ]);
    expect((await store.list(['beta', 'nobody'])).map((t) => t.tenantId)).toEqual(['beta']);
    expect(await store.current('nobody')).toBeNull();
    expect(await store.history('nobody')).toEqual([]);
  });
});
