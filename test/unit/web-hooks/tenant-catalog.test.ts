import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TENANT, tenantFile } from '../../helpers/pipeline-core.js';
import { MissingEnvError } from '../../../worker/stores/tenant-store.js';
import { couldBeTenantId, TenantCatalog } from '../../../worker/tenants/tenant-catalog.js';

/** A tenant store holding `TENANT` only, counting its reads. */
function fakeStore() {
  const store = {
    reads: 0,
    current: async (tenantId: string) => {
      store.reads++;
      return tenantId === TENANT
        ? {
            version: 1,
            config: tenantFile('s1-product-plan', 'http://127.0.0.1:9'),
            savedAt: '2026-11-24T00:00:00Z',
            hash: 'h',
          }
        : null;
    },
  };
  return store;
}

describe('unknown tenants cost nothing', () => {
  it('a flood of 100,000 unknown tenant ids leaves the tenant cache bounded', async () => {
    const store = fakeStore();
    const catalog = new TenantCatalog(store, 60_000);
    expect(await catalog.get(TENANT)).not.toBeNull();
    for (let i = 0; i < 100_000; i++) {
      expect(await catalog.get(`t-${i}-${randomBytes(8).toString('hex')}`)).toBeNull();
    }
    expect(catalog.size.unknown).toBeLessThanOrEqual(1_000);
    expect(catalog.size.known).toBe(1); // the real tenant, still cached
    expect(catalog.size.pending).toBe(0);
    const reads = store.reads;
    expect(await catalog.get(TENANT)).not.toBeNull();
    expect(store.reads).toBe(reads);
  });

  it('ids that cannot be tenant ids are refused without a lookup and leave nothing behind', async () => {
    const store = fakeStore();
    const catalog = new TenantCatalog(store, 60_000);
    const impossible = [
      'x'.repeat(65),
      randomBytes(6_000).toString('base64url'),
      'Acme',
      'acme desk',
      'acme:desk',
      '-acme',
      '12345',
      '',
      'ａｃｍｅ',
    ];
    for (const id of impossible) {
      expect(couldBeTenantId(id)).toBe(false);
      expect(await catalog.get(id)).toBeNull();
    }
    expect(store.reads).toBe(0);
    expect(catalog.size).toEqual({ known: 0, unknown: 0, pending: 0 });
  });

  it('an unknown id is looked up again once its entry expires, so a new tenant shows up', async () => {
    let clock = 0;
    const store = fakeStore();
    const catalog = new TenantCatalog(store, 2_000, () => clock, { unknownTtlMs: 5_000 });
    expect(await catalog.get('later-tenant')).toBeNull();
    expect(await catalog.get('later-tenant')).toBeNull();
    expect(store.reads).toBe(1); // remembered as unknown
    clock = 5_000;
    expect(await catalog.get('later-tenant')).toBeNull();
    expect(store.reads).toBe(2); // expired, looked up again
  });

  it('concurrent lookups of one id share one store read', async () => {
    const store = fakeStore();
    const catalog = new TenantCatalog(store, 60_000);
    const results = await Promise.all(Array.from({ length: 50 }, () => catalog.get(TENANT)));
    expect(new Set(results).size).toBe(1);
    expect(store.reads).toBe(1);
  });

  it('a tenant that disappears from the store is no longer kept as a known tenant', async () => {
    let clock = 0;
    const store = fakeStore();
    let gone = false;
    const catalog = new TenantCatalog(
      { current: async (id: string) => (gone ? null : store.current(id)) },
      1_000,
      () => clock,
    );
    expect(await catalog.get(TENANT)).not.toBeNull();
    gone = true;
    clock = 1_000;
    expect(await catalog.get(TENANT)).toBeNull();
    expect(catalog.size.known).toBe(0);
  });

  it('re-checks a cached tenant by its version: an unchanged one is not read nor rebuilt', async () => {
    let clock = 0;
    const store = fakeStore();
    const known: (number | undefined)[] = [];
    const catalog = new TenantCatalog(
      {
        current: async (id: string, knownVersion?: number) => {
          known.push(knownVersion);
          return knownVersion === 1 ? { version: 1, unchanged: true as const } : store.current(id);
        },
      },
      1_000,
      () => clock,
    );
    const first = await catalog.get(TENANT);
    expect(first).not.toBeNull();
    clock = 1_000;
    expect(await catalog.get(TENANT)).toBe(first);
    expect(known).toEqual([undefined, 1]);
  });

  it('a tenant its process cannot use (a missing environment variable) fails for a while without rereads, logged once', async () => {
    let clock = 0;
    const lines: string[] = [];
    let reads = 0;
    const catalog = new TenantCatalog(
      {
        current: async (id: string) => {
          reads++;
          throw new MissingEnvError(`tenant '${id}' (version 1) needs ACME_SECRET`);
        },
      },
      1_000,
      () => clock,
      { logger: pino({}, { write: (line: string) => void lines.push(line) }) },
    );
    // An error, not 'unknown': the receiver answers 503 and the helpdesk retries later.
    await expect(catalog.get(TENANT)).rejects.toBeInstanceOf(MissingEnvError);
    await expect(catalog.get(TENANT)).rejects.toBeInstanceOf(MissingEnvError);
    expect(reads).toBe(1); // remembered for a while
    clock = 1_000;
    await expect(catalog.get(TENANT)).rejects.toBeInstanceOf(MissingEnvError);
    expect(reads).toBe(2);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 50,
      tenant: TENANT,
      err: { type: 'MissingEnvError', message: expect.stringContaining('ACME_SECRET') },
    });
  });

  it('other store errors still reach the caller', async () => {
    const catalog = new TenantCatalog({
      current: async () => {
        throw new Error('Connection is closed.');
      },
    });
    await expect(catalog.get(TENANT)).rejects.toThrow('Connection is closed.');
    expect(catalog.size).toEqual({ known: 0, unknown: 0, pending: 0 });
  });
});
