import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/core/connector.js';
import { VendorRejectedError } from '../../connectors/core/errors.js';
import type { ConnectResult, DoctorCheck, Setup } from '../../connectors/core/setup.js';
import { Onboardings } from '../../worker/onboarding/onboardings.js';
import { SetupRecords } from '../../worker/stores/setup-records.js';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { secretKeyFrom } from '../../worker/tenants/seal-secrets.js';
import type { LoadedTenant } from '../../worker/tenants/tenant-catalog.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

// The orchestration around a vendor's Setup: what it saves into the tenant's config and what it
// lets through of the vendor's answers. The Setup is a stand-in; the stores are the real ones.

const WEBHOOK_SECRET = 'wh-secret-from-the-environment-0001';
const API_TOKEN = 'api-token-literal-0123456789';
const LIVE_SECRET = 'the-webhook-secret-the-helpdesk-holds';

let redis: TestRedis;
let tenantStore: TenantStore;
let records: SetupRecords;
let setup: Setup;

const writtenConnection = {
  vendor: 'zendesk',
  baseUrl: 'https://acme.example',
  auth: { email: 'admin@acme.example', apiToken: API_TOKEN },
  webhookSecrets: ['${ZD_WEBHOOK_SECRET}'],
};

function onboardings() {
  const tenants = {
    async get(id: string): Promise<LoadedTenant | null> {
      if (id !== 'acme') return null;
      const current = (await tenantStore.current(id))!;
      return {
        id,
        version: current.version,
        savedAt: current.savedAt,
        compiled: {} as LoadedTenant['compiled'],
        connector: { vendor: 'zendesk', createSetup: () => setup } as unknown as Connector<unknown>,
        connection: (current.config as { connection: unknown }).connection,
      };
    },
  };
  return new Onboardings({
    tenantStore,
    tenants,
    records,
    publicUrl: 'https://deskplan.example.com',
    probe: async () => 200,
  });
}

const stubSetup = (over: Partial<Setup>): Setup => ({
  connect: async () => ({ steps: [], items: [], connection: {} }),
  disconnect: async () => [],
  doctor: async () => [],
  ...over,
});

beforeEach(async () => {
  redis = await useTestRedis();
  tenantStore = new TenantStore(redis.client, redis.prefix, undefined, {
    secretKey: secretKeyFrom(randomBytes(32), 'test key'),
    env: { ZD_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  records = new SetupRecords(redis.client, redis.prefix);
  await tenantStore.save('acme', { id: 'acme', connection: writtenConnection });
});
afterEach(async () => {
  await redis.close();
});

describe('onboarding: the secrets of a tenant', () => {
  it('keeps a ${NAME} reference of webhookSecrets when connect adds the live secret before it', async () => {
    // Zendesk's connect puts the webhook's live secret first and keeps the configured one second
    // (as it reads it: resolved from the environment).
    setup = stubSetup({
      connect: async (): Promise<ConnectResult> => ({
        steps: [],
        items: [],
        connection: { webhookSecrets: [LIVE_SECRET, WEBHOOK_SECRET] },
      }),
    });
    const report = await onboardings().connect('acme', { by: 'agency' });
    expect(report.configVersion).toBe(2);
    const written = (await tenantStore.currentAsWritten('acme'))!.config as {
      connection: { webhookSecrets: string[] };
    };
    expect(written.connection.webhookSecrets).toEqual([LIVE_SECRET, '${ZD_WEBHOOK_SECRET}']);
  });

  it('never answers a secret the helpdesk echoed in its refusal (connect, disconnect, doctor)', async () => {
    // Help Scout's validation errors name the refused value (`rejectedValue`):
    // https://developer.helpscout.com/mailbox-api/overview/errors/
    const echo = (what: string) =>
      new VendorRejectedError(
        `${what}: HTTP 400 {"message":"Bad request","_embedded":{"errors":[{"path":"secret","rejectedValue":"${WEBHOOK_SECRET}"},{"path":"token","rejectedValue":"${API_TOKEN}"}]}}`,
        400,
      );
    setup = stubSetup({
      connect: async () => {
        throw echo('create webhook');
      },
      disconnect: async () => {
        throw echo('delete webhook');
      },
      doctor: async (): Promise<DoctorCheck[]> => [
        { check: 'credentials', ok: false, detail: echo('users/me').message },
      ],
    });
    const o = onboardings();
    const connect = await o.connect('acme', { by: 'agency' }).catch((e: Error) => e);
    expect(connect).toMatchObject({ status: 502 });
    expect((connect as Error).message).toMatch(/create webhook: HTTP 400/);
    expect((connect as Error).message).not.toContain(WEBHOOK_SECRET);
    expect((connect as Error).message).not.toContain(API_TOKEN);

    await records.remember('acme', { kind: 'webhook', id: '1', name: 'deskplan acme' });
    const disconnect = await o.disconnect('acme', 'agency').catch((e: Error) => e);
    expect(disconnect).toMatchObject({ status: 502 });
    expect((disconnect as Error).message).not.toContain(WEBHOOK_SECRET);

    const doctor = JSON.stringify(await o.doctor('acme'));
    expect(doctor).toMatch(/users\/me: HTTP 400/);
    expect(doctor).not.toContain(WEBHOOK_SECRET);
    expect(doctor).not.toContain(API_TOKEN);

    setup = stubSetup({
      doctor: async () => {
        throw echo('list webhooks');
      },
    });
    const thrown = JSON.stringify(await onboardings().doctor('acme'));
    expect(thrown).toMatch(/list webhooks: HTTP 400/);
    expect(thrown).not.toContain(WEBHOOK_SECRET);
  });
});
