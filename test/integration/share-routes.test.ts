import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAdminApi, type AdminApiHarness } from '../helpers/admin-api-harness.js';
import { ZENDESK } from '../helpers/pages-harness.js';

let api: AdminApiHarness;
beforeEach(async () => {
  api = await startAdminApi();
  await api.deps.tenantStore.save('acme', {
    id: 'acme',
    timeZone: 'UTC',
    plans: [{ id: 'p', name: 'P', limits: [{ max: 5, per: 'month' }] }],
    contracts: [
      { id: 'c1', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' },
      {
        id: 'tiers',
        account: { attribute: { name: 'licenses', min: 50 } },
        plan: 'p',
        start: '2026-01-01',
      },
    ],
    connection: ZENDESK,
  });
});
afterEach(() => api.close());

describe('share link routes (real Redis)', () => {
  it('creates a link once, lists it without its token, and revokes it', async () => {
    const { body: issued } = await api.call('post', '/tokens', {
      body: { name: 'acme ops', tenantId: 'acme' },
    });
    const created = await api.call('post', '/tenants/acme/contracts/c1/share-links', {
      token: issued.token,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      tenantId: 'acme',
      contractId: 'c1',
      createdBy: 'tenant:acme:acme ops',
    });
    expect(created.body.path).toBe(`/share/${created.body.token}`);
    expect(await api.deps.shareLinks!.resolve(created.body.token)).toMatchObject({
      contractId: 'c1',
    });

    const listed = await api.call('get', '/tenants/acme/share-links');
    expect(listed.body.links).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect(listed.text).not.toContain(created.body.token);

    const revoked = await api.call('delete', `/tenants/acme/share-links/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(await api.deps.shareLinks!.resolve(created.body.token)).toBeNull();
    expect((await api.call('delete', `/tenants/acme/share-links/${created.body.id}`)).status).toBe(
      404,
    );
  });

  it('refuses an unknown contract (404) and one with a quota per account (422)', async () => {
    expect((await api.call('post', '/tenants/acme/contracts/nope/share-links')).status).toBe(404);
    const perAccount = await api.call('post', '/tenants/acme/contracts/tiers/share-links');
    expect(perAccount.status).toBe(422);
    expect(perAccount.body.error.message).toMatch(/each account/);
  });
});
