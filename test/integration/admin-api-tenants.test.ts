import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadTenantsDir } from '../../worker/tenants/load-tenants-dir.js';
import { REDACTED } from '../../worker/tenants/redact-secrets.js';
import { startAdminApi, type AdminApiHarness } from '../helpers/admin-api-harness.js';
import { OLD_SECRET, SECRET, tenantFile } from '../helpers/pipeline-harness.js';

let api: AdminApiHarness;
beforeEach(async () => {
  api = await startAdminApi();
});
afterEach(() => api.close());

const config = (id: string, overrides: Record<string, unknown> = {}) => ({
  ...tenantFile('s1-product-plan', 'http://127.0.0.1:9'),
  id,
  ...overrides,
});

async function tenantToken(tenantId: string): Promise<string> {
  const issued = await api.call('post', '/tokens', { body: { name: `${tenantId} ops`, tenantId } });
  return issued.body.token as string;
}

describe('admin API: tenant configs (real Redis)', () => {
  it('creates with the agency token, shows the config with secrets redacted, never the secrets', async () => {
    const created = await api.call('put', '/tenants/acme', { body: config('acme') });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      tenantId: 'acme',
      version: 1,
      created: true,
      changed: true,
      savedBy: 'agency:admin',
    });

    const shown = await api.call('get', '/tenants/acme');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ tenantId: 'acme', version: 1, savedBy: 'agency:admin' });
    expect(shown.body.config.connection).toMatchObject({
      vendor: 'zendesk',
      auth: { email: 'agent@acme.example', apiToken: REDACTED },
      webhookSecrets: [REDACTED, REDACTED],
    });
    const yaml = await api.call('get', '/tenants/acme?format=yaml');
    expect(yaml.headers.get('content-type')).toMatch(/application\/yaml/);
    expect(yaml.text).toContain('apiToken: <redacted>');
    for (const text of [
      shown.text,
      yaml.text,
      (await api.call('get', '/tenants/acme/versions')).text,
    ]) {
      for (const secret of ['token-123', SECRET, OLD_SECRET]) expect(text).not.toContain(secret);
    }
    // The worker still gets the real secrets.
    const loaded = await api.deps.catalog.get('acme');
    expect(loaded?.connection).toMatchObject({ webhookSecrets: [SECRET, OLD_SECRET] });
  });

  it('lets a tenant token replace its own config (YAML), keeping secrets left out or redacted; not create one', async () => {
    await api.call('put', '/tenants/acme', { body: config('acme') });
    const token = await tenantToken('acme');

    // What GET shows, sent back as YAML with one change: the secrets stay.
    const shown = (await api.call('get', '/tenants/acme', { token })).body.config;
    shown.name = 'Renamed client';
    const replaced = await api.call('put', '/tenants/acme', {
      token,
      body: stringify(shown),
      type: 'application/yaml',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      version: 2,
      created: false,
      changed: true,
      savedBy: 'tenant:acme:acme ops',
    });
    let stored = await api.deps.tenantStore.current('acme');
    expect(stored?.config).toMatchObject({
      name: 'Renamed client',
      connection: { auth: { apiToken: 'token-123' }, webhookSecrets: [SECRET, OLD_SECRET] },
    });

    // A secret left out, and a webhook secret rotated (the current one kept by its placeholder).
    const { connection } = config('acme') as { connection: Record<string, unknown> };
    const withoutSecrets = {
      ...config('acme'),
      connection: {
        ...connection,
        auth: { email: 'agent@acme.example' },
        webhookSecrets: [REDACTED, 'whsec-new'], // each placeholder keeps the value at its index
      },
    };
    expect((await api.call('put', '/tenants/acme', { token, body: withoutSecrets })).status).toBe(
      200,
    );
    stored = await api.deps.tenantStore.current('acme');
    expect(stored?.config).toMatchObject({
      connection: { auth: { apiToken: 'token-123' }, webhookSecrets: [SECRET, 'whsec-new'] },
    });

    // Nor point deskplan's helpdesk requests somewhere else.
    const elsewhere = {
      ...config('acme'),
      connection: { ...connection, baseUrl: 'http://169.254.169.254' },
    };
    const moved = await api.call('put', '/tenants/acme', { token, body: elsewhere });
    expect(moved).toMatchObject({
      status: 403,
      body: {
        error: { message: "changing the helpdesk connection's baseUrl needs the agency token" },
      },
    });
    expect((await api.call('put', '/tenants/acme', { body: elsewhere })).status).toBe(200);

    // A tenant token cannot create a tenant, nor touch another one.
    const other = await api.call('put', '/tenants/globex', { token, body: config('globex') });
    expect(other.status).toBe(403);
    const globexToken = await tenantToken('globex');
    const create = await api.call('put', '/tenants/globex', {
      token: globexToken,
      body: config('globex'),
    });
    expect(create).toMatchObject({
      status: 403,
      body: { error: { message: 'creating a tenant needs the agency token' } },
    });
  });

  it('lists every problem by path (422), and refuses a body id that is not the path’s', async () => {
    const bad = config('acme', {
      timeZone: 'Nowhere/Else',
      plans: [{ id: 'x', name: 'X', limits: [{ max: 5, per: 'fortnight' }] }],
    });
    const res = await api.call('put', '/tenants/acme', { body: bad });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('the tenant config is not valid');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^body\.timeZone: /),
        'body.plans[0].limits[0].per: expected one of week, month, quarter, year, term',
      ]),
    );
    expect(res.text).not.toMatch(/at .*\.ts:\d+/); // no stack
    const mismatch = await api.call('put', '/tenants/acme', { body: config('globex') });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.details).toEqual([
      "body.id: must be 'acme', the tenant in the path",
    ]);
    const placeholder = await api.call('put', '/tenants/acme', {
      body: config('acme', {
        connection: { ...config('acme').connection, webhookSecrets: [REDACTED] },
      }),
    });
    expect(placeholder.status).toBe(422);
    expect(placeholder.body.error.details[0]).toMatch(/^body\.connection\.webhookSecrets\[0\]: /);
    expect(await api.deps.tenantStore.tenantIds()).toEqual([]);
  });

  it('keeps who and when for each version, rolls back as a new version, and deletes (agency only)', async () => {
    await api.call('put', '/tenants/acme', { body: config('acme') });
    const token = await tenantToken('acme');
    await api.call('put', '/tenants/acme', { token, body: config('acme', { name: 'Second' }) });
    const back = await api.call('post', '/tenants/acme/rollback', {
      token,
      body: { version: 1 },
    });
    expect(back.body).toEqual({
      tenantId: 'acme',
      version: 3,
      rolledBackTo: 1,
      changed: true,
      savedBy: 'tenant:acme:acme ops',
    });
    const history = await api.call('get', '/tenants/acme/versions', { token });
    expect(history.body.versions.map((v: { savedBy: string }) => v.savedBy)).toEqual([
      'agency:admin',
      'tenant:acme:acme ops',
      'tenant:acme:acme ops',
    ]);
    for (const v of history.body.versions) expect(Date.parse(v.savedAt)).toBeGreaterThan(0);
    expect((await api.deps.tenantStore.current('acme'))?.config).not.toHaveProperty(
      'name',
      'Second',
    );
    expect(
      (await api.call('post', '/tenants/acme/rollback', { body: { version: 9 } })).status,
    ).toBe(404);

    expect((await api.call('delete', '/tenants/acme', { token })).status).toBe(403);
    expect((await api.call('delete', '/tenants/acme')).body).toEqual({
      tenantId: 'acme',
      deleted: true,
    });
    expect((await api.call('get', '/tenants/acme')).status).toBe(404);
    expect((await api.call('delete', '/tenants/acme')).status).toBe(404);
  });
});

describe('tenant files and the admin API (TENANTS_DIR precedence)', () => {
  it('a file loads when it changed since it was last loaded; otherwise the API’s change stands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskplan-precedence-'));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const store = api.deps.tenantStore;
    const load = async () => (await loadTenantsDir(dir, store, logger, {}))[0]!;

    writeFileSync(join(dir, 'acme.yaml'), stringify(config('acme', { name: 'From file' })));
    expect(await load()).toMatchObject({ status: 'saved', version: 1 });
    expect((await store.history('acme'))[0]!.savedBy).toBe('file:acme.yaml');

    // The API changes it; a restart with the same file keeps the API's version.
    await api.call('put', '/tenants/acme', { body: config('acme', { name: 'From API' }) });
    expect(await load()).toMatchObject({ status: 'kept', version: 2 });
    expect((await store.current('acme'))?.config).toMatchObject({ name: 'From API' });
    expect(lines.join('\n')).toContain('keeping the tenant as the admin API left it');

    // The file itself changes: it wins, and says which API version it replaced.
    writeFileSync(join(dir, 'acme.yaml'), stringify(config('acme', { name: 'File again' })));
    expect(await load()).toMatchObject({
      status: 'saved',
      version: 3,
      overrode: { version: 2, savedBy: 'agency:admin' },
    });
    expect((await store.current('acme'))?.config).toMatchObject({ name: 'File again' });
    expect(lines.join('\n')).toContain(
      'replaces version 2, saved through the admin API by agency:admin',
    );
    expect(await load()).toMatchObject({ status: 'unchanged', version: 3 });

    // Deleted through the API: the unchanged file does not bring it back.
    await api.call('delete', '/tenants/acme');
    expect(await load()).toMatchObject({ status: 'kept', version: null });
    expect(await store.tenantIds()).toEqual([]);
  });
});
