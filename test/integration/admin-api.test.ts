import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiPath } from '../../admin/api/openapi.js';
import { startAdminApi, type AdminApiHarness } from '../helpers/admin-api-harness.js';

let api: AdminApiHarness;
beforeEach(async () => {
  api = await startAdminApi();
  await api.deps.tenantStore.save('acme', { id: 'acme', timeZone: 'UTC', plans: [] });
  await api.deps.tenantStore.save('globex', { id: 'globex', timeZone: 'UTC', plans: [] });
});
afterEach(() => api.close());

/** A path of a route with its parameters filled in. */
const fill = (path: string, tenantId: string) =>
  path
    .replace(':tenantId', tenantId)
    .replace(/:([A-Za-z]+)Id\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:([A-Za-z]+)/g, 'x');

describe('admin API: tokens and access (real Redis)', () => {
  it('answers 401 without a token, or with an unknown one, on every route but the document', async () => {
    for (const route of api.routes.filter((r) => r.access !== 'public')) {
      for (const token of [null, 'dp_not-a-token', 'wrong']) {
        const res = await api.call(route.method, fill(route.path, 'acme'), { token });
        expect(res.status, `${route.method} ${route.path} with ${token}`).toBe(401);
        expect(res.body.error.message).toMatch(/token/);
      }
    }
    expect((await api.call('get', '/openapi.json', { token: null })).status).toBe(200);
  });

  it('keeps a tenant token to its own tenant: 403 on every other tenant’s route and on agency routes', async () => {
    const issued = await api.call('post', '/tokens', {
      body: { name: 'acme ops', tenantId: 'acme' },
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ name: 'acme ops', tenantId: 'acme' });
    const token = issued.body.token as string;
    expect(token).toMatch(/^dp_/);

    for (const route of api.routes) {
      if (route.access === 'agency') {
        const res = await api.call(route.method, fill(route.path, 'acme'), { token });
        expect(res.status, `${route.method} ${route.path}`).toBe(403);
      }
      if (route.access === 'tenant' && route.path.includes(':tenantId')) {
        const res = await api.call(route.method, fill(route.path, 'globex'), { token });
        expect(res.status, `${route.method} ${route.path} for globex`).toBe(403);
        expect(res.body.error.message).toBe("this token is not for tenant 'globex'");
      }
    }
    // Its own tenant, and only that one in lists.
    const own = await api.call('get', '/tenants/acme/versions', { token });
    expect(own.status).toBe(200);
    const list = await api.call('get', '/tenants', { token });
    expect(list.body.tenants.map((t: { tenantId: string }) => t.tenantId)).toEqual(['acme']);
    const all = await api.call('get', '/tenants');
    expect(all.body.tenants.map((t: { tenantId: string }) => t.tenantId)).toEqual([
      'acme',
      'globex',
    ]);
  });

  it('stores tokens hashed, shows a token once, and a revoked token stops working', async () => {
    const issued = await api.call('post', '/tokens', { body: { name: 'ci' } });
    const { token, id } = issued.body as { token: string; id: string };
    const stored = await api.redis.client.hgetall(`${api.redis.prefix}:api-tokens`);
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await api.call('get', '/tokens');
    expect(listed.body.tokens).toEqual([
      expect.objectContaining({ id, name: 'ci', tenantId: null }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await api.call('get', '/tenants', { token })).status).toBe(200);
    expect((await api.call('delete', `/tokens/${id}`)).status).toBe(200);
    expect((await api.call('get', '/tenants', { token })).status).toBe(401);
    expect((await api.call('delete', `/tokens/${id}`)).status).toBe(404);
  });

  it('lists every problem of a bad request by path, as JSON (422), and a bad YAML body (400)', async () => {
    const res = await api.call('post', '/tokens', {
      body: { name: '', tenantId: 'Bad Id', extra: 1 },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('the body is not valid');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^body\.name: /),
        expect.stringMatching(/^body\.tenantId: /),
        expect.stringMatching(/^body: .*extra/),
      ]),
    );
    const yaml = await api.call('post', '/tokens', {
      body: 'name: [unclosed',
      type: 'application/yaml',
    });
    expect(yaml.status).toBe(400);
    expect(yaml.body.error.message).toMatch(/YAML/);
    const unknown = await api.call('get', '/nothing-here');
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { message: 'no such endpoint' } },
    });
  });
});

describe('admin API: the OpenAPI document', () => {
  it('documents every route, and every documented route answers', async () => {
    const doc = (await api.call('get', '/openapi.json', { token: null })).body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(documented.sort()).toEqual(
      api.routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort(),
    );
    for (const route of api.routes) {
      const res = await api.call(route.method, fill(route.path, 'acme'));
      expect(res.body?.error?.message, `${route.method} ${route.path}`).not.toBe(
        'no such endpoint',
      );
    }
  });
});
