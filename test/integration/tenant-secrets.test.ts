import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import {
  loadSecretKey,
  parseSecretKey,
  secretKeyFrom,
  type SecretKey,
} from '../../worker/tenants/seal-secrets.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

const TOKEN = 'zd-token-8f3a1c77e2';
const SECRET = 'whsec-5b9e0d4a61';
const PASSWORD = 'hunter2-correct-horse';

const config = (extra: Record<string, unknown> = {}) => ({
  id: 'acme',
  timeZone: 'UTC',
  connection: {
    vendor: 'zendesk',
    baseUrl: '${ACME_ZENDESK_URL:-http://127.0.0.1:9}',
    auth: { email: 'agent@acme.example', apiToken: TOKEN },
    webhookSecrets: [SECRET, '${ACME_OLD_SECRET}'],
    proxy: { password: PASSWORD },
    ...extra,
  },
});
const newKey = (name = 'test key'): SecretKey => secretKeyFrom(randomBytes(32), name);

/** Every value stored under the prefix, whatever its type (hashes: fields and values). */
async function everyValue(redis: TestRedis): Promise<string[]> {
  const values: string[] = [];
  for await (const keys of redis.client.scanStream({ match: `${redis.prefix}*`, count: 1000 })) {
    for (const key of keys as string[]) {
      const type = await redis.client.type(key);
      if (type === 'hash') values.push(...Object.entries(await redis.client.hgetall(key)).flat());
      else if (type === 'set') values.push(...(await redis.client.smembers(key)));
      else if (type === 'string') values.push((await redis.client.get(key)) ?? '');
      else throw new Error(`unexpected ${type} at ${key}`);
      values.push(key);
    }
  }
  return values;
}

let redis: TestRedis;
const key = newKey();
const env = { ACME_OLD_SECRET: 'whsec-from-env' };
let store: TenantStore;
beforeEach(async () => {
  redis = await useTestRedis();
  store = new TenantStore(redis.client, redis.prefix, undefined, { secretKey: key, env });
});
afterEach(() => redis.close());

describe('tenant secrets at rest (real Redis)', () => {
  it('stores no token, password or webhook secret in clear, in any version', async () => {
    await store.save('acme', config());
    await store.save('acme', config({ dueFields: { resolution: 9002 } }));
    await store.rollback('acme', 1);
    const values = await everyValue(redis);
    expect(values.length).toBeGreaterThan(3);
    for (const plain of [TOKEN, SECRET, PASSWORD, 'whsec-from-env']) {
      expect(values.filter((v) => v.includes(plain))).toEqual([]);
    }
    // ${NAME} references are kept as written; their values stay in the environment.
    expect(values.some((v) => v.includes('"${ACME_OLD_SECRET}"'))).toBe(true);
  });

  it('reads every version back with its secrets in place and references resolved', async () => {
    await store.save('acme', config());
    await store.save('acme', config({ dueFields: { resolution: 9002 } }));
    const expected = structuredClone(config()).connection;
    expected.baseUrl = 'http://127.0.0.1:9';
    expected.webhookSecrets = [SECRET, 'whsec-from-env'];
    expect((await store.version('acme', 1))?.config).toEqual({ ...config(), connection: expected });
    const current = (await store.current('acme'))?.config as ReturnType<typeof config>;
    expect(current.connection.auth.apiToken).toBe(TOKEN);
    expect(current.connection.proxy.password).toBe(PASSWORD);
    // The same content saved again is still recognised (the hash does not depend on the IV).
    expect(await store.save('acme', config({ dueFields: { resolution: 9002 } }))).toEqual({
      version: 2,
      changed: false,
    });
    // A rollback brings back the content as written, secrets and references included.
    await store.rollback('acme', 1);
    expect((await store.current('acme'))?.config).toEqual({ ...config(), connection: expected });
  });

  it('refuses to read with another key, saying which key the secrets need', async () => {
    await store.save('acme', config());
    const other = new TenantStore(redis.client, redis.prefix, undefined, {
      secretKey: newKey('DESKPLAN_SECRET_KEY'),
      env,
    });
    const error = (await other.current('acme').catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('SecretKeyError');
    expect(error.message).toContain(`tenant 'acme'`);
    expect(error.message).toContain(`was encrypted with secret key ${key.id}`);
    expect(error.message).toContain('(DESKPLAN_SECRET_KEY)');
  });

  it('keeps only the last N versions', async () => {
    const small = new TenantStore(redis.client, redis.prefix, undefined, {
      secretKey: key,
      env,
      keepVersions: 3,
    });
    for (let n = 1; n <= 5; n++) await small.save('acme', config({ dueFields: { resolution: n } }));
    expect((await small.history('acme')).map((h) => h.version)).toEqual([3, 4, 5]);
    expect(await small.version('acme', 2)).toBeNull();
    await expect(small.rollback('acme', 1)).rejects.toThrow(/no version 1/);
    expect((await small.current('acme'))?.version).toBe(5);
  });

  it('encrypts the secrets of versions saved in clear before encryption existed', async () => {
    // A version as the previous release stored it: resolved secrets, plain sha256 hash.
    const versions = `${redis.prefix}:{acme}:config:versions`;
    const old = { config: config(), savedAt: '2026-01-01T00:00:00.000Z', hash: 'f'.repeat(64) };
    await redis.client.hset(versions, '1', JSON.stringify(old));
    await redis.client.hset(`${redis.prefix}:{acme}:config:head`, 'version', 1, 'hash', old.hash);
    await redis.client.sadd(`${redis.prefix}:tenants`, 'acme');

    expect(await store.sealStoredSecrets()).toBe(1);
    expect(await store.sealStoredSecrets()).toBe(0);
    const values = await everyValue(redis);
    expect(values.filter((v) => v.includes(TOKEN) || v.includes(PASSWORD))).toEqual([]);
    const read = (await store.current('acme'))?.config as ReturnType<typeof config>;
    expect(read.connection.auth.apiToken).toBe(TOKEN);
    expect((await store.history('acme'))[0]!.hash).not.toBe(old.hash);
  });
});

describe('the secret key', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskplan-key-'));
    made.push(dir);
    return dir;
  };

  it('is read from DESKPLAN_SECRET_KEY as hex or base64, and a malformed one is refused', () => {
    const bytes = randomBytes(32);
    const hex = parseSecretKey(bytes.toString('hex'), 'DESKPLAN_SECRET_KEY');
    const b64 = loadSecretKey({ env: { DESKPLAN_SECRET_KEY: bytes.toString('base64') } });
    expect(hex.id).toBe(b64.id);
    expect(() => parseSecretKey('too-short', 'DESKPLAN_SECRET_KEY')).toThrow(
      /DESKPLAN_SECRET_KEY must be 32 bytes, as 64 hex digits or base64/,
    );
  });

  it('is created in the data folder (mode 0600, with a warning) when none is set, then reused', () => {
    const dataDir = join(tempDir(), 'data');
    const lines: string[] = [];
    const logger = pino({}, { write: (l: string) => void lines.push(l) });
    const first = loadSecretKey({ env: {}, dataDir, logger });
    const file = join(dataDir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(lines.join('')).toContain('DESKPLAN_SECRET_KEY is not set: created a new secret key');
    lines.length = 0;
    expect(loadSecretKey({ env: { DESKPLAN_DATA_DIR: dataDir }, logger }).id).toBe(first.id);
    expect(lines).toEqual([]);
  });
});
