import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiTokens } from '../../admin/api/api-tokens.js';
import { createAdminApi, type AdminDeps } from '../../admin/api/create-admin-api.js';
import { OAuthStates } from '../../admin/oauth/oauth-states.js';
import { createZendeskOAuthCallback } from '../../admin/oauth/zendesk-oauth-callback.js';
import { createZendeskClient } from '../../connectors/zendesk/client.js';
import { zendeskConnectionSchema } from '../../connectors/zendesk/connection-schema.js';
import { createZendeskSetup } from '../../connectors/zendesk/setup.js';
import { createLogger } from '../../worker/runtime/create-logger.js';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { SealedTokenStore } from '../../worker/stores/sealed-token-store.js';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { secretKeyFrom } from '../../worker/tenants/seal-secrets.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { FakeZendesk } from '../fakes/fake-zendesk.js';
import { AGENCY_TOKEN } from '../helpers/admin-api-harness.js';
import { helpscoutConnection, SECRET, tenantFile } from '../helpers/pipeline-harness.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

const CLIENT = { clientId: 'zdg-deskplan-test', clientSecret: 'global-client-secret-0123456789' };

let redis: TestRedis;
let fake: FakeZendesk;
let server: Server;
let url: string;
let env: NodeJS.ProcessEnv;
let tenantStore: TenantStore;
let logLines: string[];
const secretKey = secretKeyFrom(randomBytes(32), 'test key');

beforeEach(async () => {
  redis = await useTestRedis();
  fake = new FakeZendesk();
  await fake.listen();
  fake.enableOAuth(CLIENT);
  logLines = [];
  const logger = createLogger('debug', {
    format: 'json',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  tenantStore = new TenantStore(redis.client, redis.prefix, undefined, {
    secretKey,
    env: {},
  });
  env = {
    DESKPLAN_ZENDESK_CLIENT_ID: CLIENT.clientId,
    DESKPLAN_ZENDESK_CLIENT_SECRET: CLIENT.clientSecret,
  };
  const zendeskOAuth = {
    states: new OAuthStates(redis.client, redis.prefix),
    env,
    // Every subdomain's OAuth endpoints are the fake's.
    originOf: () => fake.baseUrl,
  };
  const deps: AdminDeps = {
    tokens: new ApiTokens(redis.client, redis.prefix, AGENCY_TOKEN),
    tenantStore,
    catalog: new TenantCatalog(tenantStore, 0),
    ledger: new QuotaLedger(redis.client, redis.prefix),
    logger,
    slaIndex: new SlaIndex(redis.client, redis.prefix),
    zendeskOAuth,
  };
  const app = express();
  app.use('/api', createAdminApi(deps));
  app.use(createZendeskOAuthCallback({ oauth: zendeskOAuth, tenantStore, logger }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env.DESKPLAN_PUBLIC_URL = `${url}/`;
  await tenantStore.save('acme', { ...tenantFile('s1-product-plan', fake.baseUrl), id: 'acme' });
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fake.close();
  await redis.close();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${AGENCY_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

/** Starts the flow and opens Zendesk's consent screen (the fake's); the state it carries. */
async function startAuthorization(tenantId = 'acme', subdomain = 'acme') {
  const started = await api('post', `/tenants/${tenantId}/oauth/zendesk`, { subdomain });
  expect(started.status).toBe(200);
  const screen = await fetch(started.body.authorizeUrl);
  expect(screen.status).toBe(200);
  return new URL(started.body.authorizeUrl).searchParams.get('state')!;
}

const page = async (address: string, lang = 'en') => {
  const res = await fetch(address, { headers: { 'accept-language': lang } });
  return { status: res.status, text: await res.text() };
};

const rawVersions = () => redis.client.hgetall(`${redis.prefix}:{acme}:config:versions`);

describe('Zendesk OAuth (global OAuth client) against the fake Zendesk', () => {
  it('a public install: a tenant made without credentials is approved, then connect sets it up', async () => {
    // The agency writes the tenant before the client's admin approves: no auth, no secret.
    const file = tenantFile('s1-product-plan', fake.baseUrl);
    const {
      auth: _auth,
      webhookSecrets: _secrets,
      ...bare
    } = file.connection as Record<string, unknown>;
    await tenantStore.save('acme', { ...file, id: 'acme', connection: bare });
    const setupOf = async () => {
      const current = await tenantStore.current('acme');
      const connection = zendeskConnectionSchema.parse(
        (current!.config as { connection: unknown }).connection,
      );
      return createZendeskSetup(connection);
    };
    const target = { tenantId: 'acme', webhookUrl: `${url}/webhooks/zendesk/acme` };
    const before = await (await setupOf()).doctor(target, []);
    expect(before[0]).toMatchObject({ check: 'credentials', ok: false });
    expect(before[0]!.fix).toMatch(/oauth\/zendesk/);

    const { redirect } = fake.approve(await startAuthorization());
    expect((await page(redirect)).status).toBe(200);

    // With the approved token, connect makes the webhook and triggers through Bearer calls.
    const result = await (await setupOf()).connect(target, [], { created: async () => {} });
    expect(result.steps.filter((s) => s.action === 'created').length).toBeGreaterThan(0);
    expect(fake.webhooks.size).toBe(1);
    const bearerWrites = fake.requests.filter((r) => r.method === 'POST' && r.status === 201);
    expect(bearerWrites.length).toBeGreaterThan(0);
  });

  it('connects: start, consent, callback; the token is stored sealed and the client reads tickets with it', async () => {
    const started = await api('post', '/tenants/acme/oauth/zendesk', { subdomain: 'acme' });
    expect(started.status).toBe(200);
    const authorize = new URL(started.body.authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      `${fake.baseUrl}/oauth/authorizations/new`,
    );
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: `${url}/oauth/zendesk/callback`,
      scope: 'read write',
      code_challenge_method: 'S256',
    });
    const state = authorize.searchParams.get('state')!;
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    expect((await fetch(authorize)).status).toBe(200);

    const { code, redirect } = fake.approve(state);
    const landed = await page(redirect);
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('Zendesk is connected');
    expect(landed.text).not.toContain(code);

    // The code was exchanged once, with the PKCE verifier and the client's secret.
    const exchanges = fake.requests.filter((r) => r.path === '/oauth/tokens');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      status: 200,
      body: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${url}/oauth/zendesk/callback`,
      },
    });

    const stored = await tenantStore.current('acme');
    expect(stored?.savedBy).toBe('oauth:zendesk');
    const connection = zendeskConnectionSchema.parse(
      (stored?.config as { connection: unknown }).connection,
    );
    const auth = connection.auth as { oauthToken: string; refreshToken?: string };
    expect(fake.accessTokens.has(auth.oauthToken)).toBe(true);
    expect(auth.refreshToken).toEqual(expect.any(String));
    // Everything else of the config is kept.
    expect(connection).toMatchObject({
      baseUrl: fake.baseUrl,
      webhookSecrets: [SECRET, expect.any(String)],
    });
    expect((stored?.config as { plans: unknown[] }).plans.length).toBeGreaterThan(0);

    // Encrypted at rest: Redis holds neither token.
    const raw = JSON.stringify(await rawVersions());
    expect(raw).toContain('$sealed');
    expect(raw).not.toContain(auth.oauthToken);
    expect(raw).not.toContain(auth.refreshToken!);

    // The API shows it redacted.
    const shown = await api('get', '/tenants/acme');
    expect(shown.body.config.connection.auth).toEqual({
      oauthToken: '<redacted>',
      refreshToken: '<redacted>',
    });
    expect(shown.text).not.toContain(auth.oauthToken);

    // The worker's client reads a ticket with `Authorization: Bearer <token>`; the fake refuses others.
    fake.addTicket({ id: 7, subject: 'Printer on fire' });
    const ticket = await createZendeskClient(connection).fetchTicket('7');
    expect(ticket.id).toBe('7');
    const forged = zendeskConnectionSchema.parse({
      ...connection,
      auth: { oauthToken: 'not-a-token-zendesk-issued' },
    });
    await expect(createZendeskClient(forged).fetchTicket('7')).rejects.toThrow(/401/);

    // Nothing secret in the logs.
    const logs = logLines.join('');
    expect(logs).toContain('Zendesk connected through OAuth');
    for (const secret of [auth.oauthToken, auth.refreshToken!, code, CLIENT.clientSecret, state]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('answers a replayed callback 400 and does not exchange its code again', async () => {
    const state = await startAuthorization();
    const { redirect } = fake.approve(state);
    expect((await page(redirect)).status).toBe(200);
    const versions = Object.keys(await rawVersions()).length;

    const replay = await page(redirect);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('expired');
    expect(fake.requests.filter((r) => r.path === '/oauth/tokens')).toHaveLength(1);
    expect(Object.keys(await rawVersions())).toHaveLength(versions);
  });

  it('answers an unknown state 400, and a state older than 10 minutes too', async () => {
    const unknown = await page(`${url}/oauth/zendesk/callback?code=abc&state=never-issued`);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('This link has expired');

    const state = await startAuthorization();
    const { redirect } = fake.approve(state);
    // Redis expires the pending authorization: as if 10 minutes had passed.
    const keys = await redis.client.keys(`${redis.prefix}:oauth-state:zendesk:*`);
    expect(keys).toHaveLength(1);
    const ttl = await redis.client.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(9 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(10 * 60 * 1000);
    await redis.client.del(keys[0]!);
    expect((await page(redirect)).status).toBe(400);
    expect(fake.requests.filter((r) => r.path === '/oauth/tokens')).toHaveLength(0);

    const missing = await page(`${url}/oauth/zendesk/callback?code=abc`);
    expect(missing.status).toBe(400);
  });

  it('shows a refusal (error=access_denied) in English or Japanese and saves nothing', async () => {
    const state = await startAuthorization();
    const refused = await page(fake.deny(state));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Access was not granted');
    expect((await tenantStore.current('acme'))?.version).toBe(1);
    expect(fake.requests.filter((r) => r.path === '/oauth/tokens')).toHaveLength(0);

    const again = await startAuthorization();
    const ja = await page(fake.deny(again), 'ja');
    expect(ja.text).toContain('アクセスは許可されませんでした');
  });

  it('shows an error page when Zendesk refuses the exchange, saves nothing and leaks nothing', async () => {
    env.DESKPLAN_ZENDESK_CLIENT_SECRET = 'a-wrong-secret-for-this-client';
    const state = await startAuthorization();
    const { code, redirect } = fake.approve(state);
    const failed = await page(redirect);
    expect(failed.status).toBe(502);
    expect(failed.text).toContain('Zendesk did not complete the connection');
    expect(failed.text).not.toContain(code);
    expect(failed.text).not.toMatch(/at .*\.ts:\d+/);
    expect(fake.requests.filter((r) => r.path === '/oauth/tokens')[0]?.status).toBe(401);
    expect((await tenantStore.current('acme'))?.version).toBe(1);
    const logs = logLines.join('');
    expect(logs).toContain('HTTP 401 invalid_client');
    for (const secret of [code, 'a-wrong-secret-for-this-client'])
      expect(logs).not.toContain(secret);
  });

  it('refuses to start for a tenant that is not on Zendesk (422), an unknown tenant (404), another subdomain (422)', async () => {
    await tenantStore.save('beta', {
      ...tenantFile('s1-product-plan', fake.baseUrl),
      id: 'beta',
      connection: helpscoutConnection(fake.baseUrl),
    });
    const beta = await api('post', '/tenants/beta/oauth/zendesk', { subdomain: 'beta' });
    expect(beta.status).toBe(422);
    expect(beta.body.error.message).toContain('not a Zendesk tenant');
    expect((await api('post', '/tenants/nobody/oauth/zendesk', { subdomain: 'x' })).status).toBe(
      404,
    );
    const bad = await api('post', '/tenants/acme/oauth/zendesk', { subdomain: 'Not A Subdomain' });
    expect(bad.status).toBe(422);

    await tenantStore.save('gamma', {
      ...tenantFile('s1-product-plan', fake.baseUrl),
      id: 'gamma',
      connection: {
        ...(tenantFile('s1-product-plan', fake.baseUrl).connection as Record<string, unknown>),
        baseUrl: undefined,
        subdomain: 'gamma',
      },
    });
    const other = await api('post', '/tenants/gamma/oauth/zendesk', { subdomain: 'acme' });
    expect(other.status).toBe(422);
    expect(other.body.error.details[0]).toContain("'gamma'");
  });

  it('saves no token into a tenant whose subdomain changed while its admin was approving', async () => {
    const connection = {
      ...(tenantFile('s1-product-plan', fake.baseUrl).connection as Record<string, unknown>),
      baseUrl: undefined,
    };
    const save = (subdomain: string) =>
      tenantStore.save('gamma', {
        ...tenantFile('s1-product-plan', fake.baseUrl),
        id: 'gamma',
        connection: { ...connection, subdomain },
      });
    await save('gamma');
    const state = await startAuthorization('gamma', 'gamma');
    // Meanwhile the agency points the tenant at another Zendesk account.
    await save('delta');
    const before = await tenantStore.current('gamma');
    const { redirect } = fake.approve(state);
    const landed = await page(redirect);
    expect(landed.status).toBe(404);
    const after = await tenantStore.current('gamma');
    expect(after!.version).toBe(before!.version);
    expect((after!.config as { connection: { auth: unknown } }).connection.auth).toEqual(
      (before!.config as { connection: { auth: unknown } }).connection.auth,
    );
  });

  it('answers 503 naming the variable to set when the global OAuth client is not configured', async () => {
    delete env.DESKPLAN_ZENDESK_CLIENT_SECRET;
    const res = await api('post', '/tenants/acme/oauth/zendesk', { subdomain: 'acme' });
    expect(res.status).toBe(503);
    expect(res.body.error.details).toEqual(['DESKPLAN_ZENDESK_CLIENT_SECRET is not set']);
    env.DESKPLAN_ZENDESK_CLIENT_SECRET = CLIENT.clientSecret;
    env.DESKPLAN_PUBLIC_URL = 'not a url';
    const badUrl = await api('post', '/tenants/acme/oauth/zendesk', { subdomain: 'acme' });
    expect(badUrl.status).toBe(503);
    expect(badUrl.body.error.details[0]).toMatch(/^DESKPLAN_PUBLIC_URL must be/);
  });

  it('needs the agency token to start', async () => {
    const res = await fetch(`${url}/api/tenants/acme/oauth/zendesk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subdomain: 'acme' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('Zendesk OAuth: expiring access tokens are refreshed', () => {
  /** Connects acme through the flow; the stored connection. */
  async function connect() {
    const state = await startAuthorization();
    expect((await page(fake.approve(state).redirect)).status).toBe(200);
    const stored = await tenantStore.current('acme');
    return zendeskConnectionSchema.parse((stored?.config as { connection: unknown }).connection);
  }
  const workerOptions = () => ({
    tokens: new SealedTokenStore(redis.client, redis.prefix, secretKey),
    oauthClients: { zendesk: CLIENT },
  });
  const refreshCalls = () =>
    fake.requests.filter(
      (r) =>
        r.path === '/oauth/tokens' &&
        (r.body as { grant_type?: string }).grant_type === 'refresh_token',
    );

  it('stores expiresAt, renews before expiry, and other processes use the renewed pair (sealed in Redis)', async () => {
    fake.accessTokenLifeS = 200; // inside the 5-minute margin: due for renewal at once
    const connection = await connect();
    const auth = connection.auth as { oauthToken: string; refreshToken: string; expiresAt: string };
    expect(Date.parse(auth.expiresAt)).toBeGreaterThan(Date.now());
    fake.accessTokenLifeS = 3600;
    fake.addTicket({ id: 7, subject: 'Printer on fire' });

    const first = createZendeskClient(connection, workerOptions());
    expect((await first.fetchTicket('7')).id).toBe('7');
    expect(refreshCalls()).toHaveLength(1);
    expect(fake.accessTokens.has(auth.oauthToken)).toBe(false); // the old pair is gone

    // Another process, same stored config: takes the renewed pair (the old refresh token is spent).
    const second = createZendeskClient(connection, workerOptions());
    expect((await second.fetchTicket('7')).id).toBe('7');
    expect(refreshCalls()).toHaveLength(1);

    const [issued] = [...fake.accessTokens.keys()];
    const raw = JSON.stringify(
      await Promise.all(
        (await redis.client.keys(`${redis.prefix}:vendor-token:*`)).map((k) => redis.client.get(k)),
      ),
    );
    expect(raw).toContain('$sealed');
    expect(raw).not.toContain(issued!);
  });

  it('two processes renewing at once: one refresh wins, the other takes its pair', async () => {
    fake.accessTokenLifeS = 200;
    const connection = await connect();
    fake.accessTokenLifeS = 3600;
    fake.addTicket({ id: 7, subject: 'Printer on fire' });
    const results = await Promise.all([
      createZendeskClient(connection, workerOptions()).fetchTicket('7'),
      createZendeskClient(connection, workerOptions()).fetchTicket('7'),
    ]);
    expect(results.map((t) => t.id)).toEqual(['7', '7']);
    expect(
      refreshCalls()
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 400]);
  });

  it('without the global OAuth client, an expired token fails without retrying and says what to set', async () => {
    fake.accessTokenLifeS = 200;
    const connection = await connect();
    fake.addTicket({ id: 7, subject: 'Printer on fire' });
    const error = await createZendeskClient(connection, {})
      .fetchTicket('7')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('DESKPLAN_ZENDESK_CLIENT_ID'),
    });
  });

  it('a token without expiry is used as it is, with no refresh', async () => {
    const connection = await connect();
    expect((connection.auth as { expiresAt?: string }).expiresAt).toBeUndefined();
    fake.addTicket({ id: 7, subject: 'Printer on fire' });
    await createZendeskClient(connection, workerOptions()).fetchTicket('7');
    expect(refreshCalls()).toHaveLength(0);
  });
});
