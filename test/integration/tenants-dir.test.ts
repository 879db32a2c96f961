import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { loadTenantsDir } from '../../worker/tenants/load-tenants-dir.js';
import { tenantFile } from '../helpers/pipeline-harness.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let store: TenantStore;
let dir: string;
const lines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
beforeEach(async () => {
  redis = await useTestRedis();
  store = new TenantStore(redis.client, redis.prefix);
  dir = mkdtempSync(join(tmpdir(), 'deskplan-tenants-'));
  lines.length = 0;
});
afterEach(() => redis.close());

const good = (overrides: Record<string, unknown> = {}) => ({
  ...tenantFile('s1-product-plan', 'http://127.0.0.1:9'),
  id: 'acme',
  ...overrides,
});

describe('tenant files (TENANTS_DIR)', () => {
  it('stores valid files, versions only real changes, and keeps the last good version of a broken one', async () => {
    writeFileSync(join(dir, 'acme.yaml'), stringify(good()));
    writeFileSync(join(dir, 'globex.json'), JSON.stringify({ ...good(), id: 'globex' }));
    expect((await loadTenantsDir(dir, store, logger)).map((o) => [o.file, o.status])).toEqual([
      ['acme.yaml', 'saved'],
      ['globex.json', 'saved'],
    ]);
    expect((await loadTenantsDir(dir, store, logger)).map((o) => o.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);

    const broken = good({
      plans: [{ id: 'x', name: 'X', limits: [{ max: 5, per: 'fortnight' }] }],
    });
    writeFileSync(join(dir, 'acme.yaml'), stringify(broken));
    const outcomes = await loadTenantsDir(dir, store, logger);
    expect(outcomes[0]).toMatchObject({ file: 'acme.yaml', tenantId: 'acme', status: 'invalid' });
    expect(outcomes[0]!.status === 'invalid' && outcomes[0]!.problems).toContain(
      'plans[0].limits[0].per: expected one of week, month, quarter, year, term',
    );
    expect(outcomes[1]!.status).toBe('unchanged'); // one bad file stops nothing else
    expect((await store.current('acme'))?.version).toBe(1);
    expect(lines.join('\n')).toContain('acme.yaml is invalid');
  });

  it('reads secrets from the environment when used, stores the reference, and reports a missing one', async () => {
    const withSecret = good();
    (withSecret.connection as { webhookSecrets: string[] }).webhookSecrets = ['${ACME_SECRET}'];
    writeFileSync(join(dir, 'acme.yaml'), stringify(withSecret));
    expect((await loadTenantsDir(dir, store, logger, { ACME_SECRET: 's3cret' }))[0]!.status).toBe(
      'saved',
    );
    // Stored as written; a process with ACME_SECRET set reads the secret in its place.
    const secrets = (stored: { config: unknown } | null) =>
      (stored?.config as { connection: { webhookSecrets: string[] } }).connection.webhookSecrets;
    const withEnv = new TenantStore(redis.client, redis.prefix, undefined, {
      env: { ACME_SECRET: 's3cret' },
    });
    expect(secrets(await withEnv.current('acme'))).toEqual(['s3cret']);
    const raw = await redis.client.hget(`${redis.prefix}:{acme}:config:versions`, '1');
    expect(raw).toContain('${ACME_SECRET}');
    expect(raw).not.toContain('s3cret');
    await expect(
      new TenantStore(redis.client, redis.prefix, undefined, { env: {} }).current('acme'),
    ).rejects.toThrow(/needs the environment variable\(s\) ACME_SECRET/);

    const missing = await loadTenantsDir(dir, store, logger, {});
    expect(missing[0]!.status).toBe('invalid');
    expect(missing[0]!.status === 'invalid' && missing[0]!.problems[0]).toBe(
      'environment variable ACME_SECRET is not set',
    );
    expect(lines.join('\n')).not.toContain('s3cret');
  });
});
