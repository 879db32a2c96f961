import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SetupItem, SetupTarget } from '../../connectors/core/setup.js';
import { helpscoutConnector, signHelpscoutWebhook } from '../../connectors/helpscout/index.js';
import type { HelpscoutConnection } from '../../connectors/helpscout/connection-schema.js';
import { FakeHelpscout } from '../fakes/fake-helpscout.js';

const TENANT = 'acme-desk';
const URL_NOW = `https://deskplan.example/webhooks/helpscout/${TENANT}`;
const target: SetupTarget = { tenantId: TENANT, webhookUrl: URL_NOW };
const SECRET = 'whsec-current-0123456789';
const EVENTS = [
  'convo.created',
  'convo.agent.reply.created',
  'convo.customer.reply.created',
  'convo.status',
  'convo.assigned',
  'convo.tags',
  'convo.custom-fields',
  'convo.moved',
  'convo.merged',
];

let hs: FakeHelpscout;
beforeEach(async () => {
  hs = new FakeHelpscout();
  await hs.listen();
  hs.addMailbox({
    id: 13,
    name: 'Support',
    fields: [
      { id: 9001, name: 'First response due', type: 'date' },
      { id: 9002, name: 'Resolution due', type: 'date' },
      { id: 9003, name: 'Product', type: 'dropdown' },
    ],
  });
});
afterEach(() => hs.close());

/** The tenant's connection as stored (the config the tenant store hands out), with overrides. */
function connectionOf(overrides: Record<string, unknown> = {}): HelpscoutConnection {
  return helpscoutConnector.connectionSchema.parse({
    vendor: 'helpscout',
    baseUrl: hs.baseUrl,
    auth: { appId: 'app-id', appSecret: 'app-secret' },
    webhookSecrets: [SECRET, 'whsec-previous'],
    dueFields: { firstResponse: 9001, resolution: 9002 },
    ...overrides,
  });
}

/** What the integrator keeps between runs: the items, the connection with connect's additions. */
function tenantState() {
  let connection = connectionOf();
  let items: SetupItem[] = [];
  const journaled: SetupItem[] = [];
  const journal = {
    created: async (item: SetupItem) => {
      journaled.push(item);
      items = [...items.filter((i) => i.id !== item.id), item];
    },
  };
  return {
    journaled,
    get items() {
      return items;
    },
    get connection() {
      return connection;
    },
    change(overrides: Record<string, unknown>) {
      connection = { ...connection, ...overrides } as HelpscoutConnection;
    },
    async connect(at: SetupTarget = target) {
      const setup = helpscoutConnector.createSetup!(connection);
      const result = await setup.connect(at, items, journal);
      items = result.items;
      connection = { ...connection, ...result.connection } as HelpscoutConnection;
      return result;
    },
    disconnect: () => helpscoutConnector.createSetup!(connection).disconnect(items),
    doctor: (at: SetupTarget = target) =>
      helpscoutConnector.createSetup!(connection).doctor(at, items),
  };
}

const webhookWrites = () => hs.writes.filter((r) => r.path.startsWith('/v2/webhooks'));

describe('Help Scout connect', () => {
  it('makes one webhook with the url, the convo.* events, the secret, V2 and its label', async () => {
    const t = tenantState();
    const result = await t.connect();
    expect(hs.webhooks.size).toBe(1);
    const [webhook] = [...hs.webhooks.values()];
    expect(webhook).toMatchObject({
      url: URL_NOW,
      secret: SECRET,
      label: `deskplan ${TENANT}`,
      state: 'enabled',
      notification: false,
      payloadVersion: 'V2',
    });
    expect([...webhook!.events].sort()).toEqual([...EVENTS].sort());
    const item = { kind: 'webhook', id: String(webhook!.id), name: `deskplan ${TENANT}` };
    expect(result.steps).toEqual([{ action: 'created', item }]);
    expect(result.items).toEqual([item]);
    expect(t.journaled).toEqual([item]); // recorded the moment Help Scout made it
    expect(result.connection).toEqual({ webhookSecretFingerprint: expect.any(String) });
    // The fingerprint tells nothing of the secret by itself.
    expect(JSON.stringify(result.connection)).not.toContain(SECRET);
  });

  it('a second connect changes nothing: no POST, no PUT, no new config', async () => {
    const t = tenantState();
    await t.connect();
    const before = webhookWrites().length;
    const again = await t.connect();
    expect(again.steps.map((s) => s.action)).toEqual(['unchanged']);
    expect(again.connection).toEqual({});
    expect(webhookWrites()).toHaveLength(before);
    expect(hs.webhooks.size).toBe(1);
  });

  it('a changed public URL updates the webhook in place', async () => {
    const t = tenantState();
    await t.connect();
    const id = [...hs.webhooks.keys()][0]!;
    const moved = `https://desk.acme.example/webhooks/helpscout/${TENANT}`;
    const result = await t.connect({ tenantId: TENANT, webhookUrl: moved });
    expect(result.steps).toEqual([
      expect.objectContaining({ action: 'updated', detail: 'url changed' }),
    ]);
    expect(hs.webhooks.get(id)).toMatchObject({ url: moved, secret: SECRET });
    expect(hs.webhooks.size).toBe(1);
    expect(webhookWrites().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a new first secret is sent again (Help Scout never shows it), once', async () => {
    const t = tenantState();
    await t.connect();
    const id = [...hs.webhooks.keys()][0]!;
    t.change({ webhookSecrets: ['whsec-rotated-abc', SECRET] });
    const result = await t.connect();
    expect(result.steps).toEqual([
      expect.objectContaining({ action: 'updated', detail: 'secret changed' }),
    ]);
    expect(hs.webhooks.get(id)!.secret).toBe('whsec-rotated-abc');
    expect(result.connection.webhookSecretFingerprint).toEqual(expect.any(String));
    expect((await t.connect()).steps.map((s) => s.action)).toEqual(['unchanged']);
  });

  it('events someone removed by hand are put back', async () => {
    const t = tenantState();
    await t.connect();
    const webhook = [...hs.webhooks.values()][0]!;
    webhook.events = ['convo.created'];
    const result = await t.connect();
    expect(result.steps[0]).toMatchObject({ action: 'updated', detail: 'events changed' });
    expect([...webhook.events].sort()).toEqual([...EVENTS].sort());
  });

  it('makes the webhook again when it was deleted in Help Scout', async () => {
    const t = tenantState();
    await t.connect();
    const old = [...hs.webhooks.keys()][0]!;
    hs.webhooks.clear();
    const result = await t.connect();
    expect(result.steps).toEqual([
      expect.objectContaining({
        action: 'created',
        detail: `webhook ${old} was deleted in Help Scout`,
      }),
    ]);
    expect(hs.webhooks.size).toBe(1);
    expect(t.items).toEqual([expect.objectContaining({ id: String([...hs.webhooks.keys()][0]) })]);
  });

  it('replaces a webhook Help Scout disabled', async () => {
    const t = tenantState();
    await t.connect();
    const old = [...hs.webhooks.values()][0]!;
    old.state = 'disabled';
    const result = await t.connect();
    expect(result.steps[0]).toMatchObject({ action: 'created' });
    expect(result.steps[0]!.detail).toContain('disabled');
    expect(hs.webhooks.has(old.id)).toBe(false);
    expect([...hs.webhooks.values()]).toEqual([expect.objectContaining({ state: 'enabled' })]);
  });

  it('a connect cut short by a 500 after Help Scout made the webhook makes no duplicate', async () => {
    const t = tenantState();
    hs.failAfter('POST', /^\/v2\/webhooks$/);
    await expect(t.connect()).rejects.toThrow(/HTTP 500/);
    expect(hs.webhooks.size).toBe(1); // made, but the answer said it failed: no id, no record
    expect(t.items).toEqual([]);

    const result = await t.connect();
    expect(hs.webhooks.size).toBe(1);
    expect(webhookWrites().filter((r) => r.method === 'POST')).toHaveLength(1);
    const id = String([...hs.webhooks.keys()][0]);
    expect(result.items).toEqual([{ kind: 'webhook', id, name: `deskplan ${TENANT}` }]);
    // Adopted; the secret is sent again since connect cannot know the first POST set it.
    expect(result.steps[0]).toMatchObject({ action: 'updated' });
    expect(result.steps[0]!.detail).toMatch(/adopted webhook \d+.*secret changed/);
    expect((await t.connect()).steps.map((s) => s.action)).toEqual(['unchanged']);
  });

  it('adopts a webhook made by hand at the tenant URL instead of making a second', async () => {
    const t = tenantState();
    const manual = hs.addWebhook({ url: URL_NOW, events: EVENTS, secret: SECRET });
    const result = await t.connect();
    expect(hs.webhooks.size).toBe(1);
    expect(result.items).toEqual([
      { kind: 'webhook', id: String(manual.id), name: `deskplan ${TENANT}` },
    ]);
    expect(manual.label).toBe(`deskplan ${TENANT}`);
  });
});

describe('Help Scout disconnect', () => {
  it('deletes exactly the recorded webhook; one made by hand stays; a second run says gone', async () => {
    const t = tenantState();
    const other = hs.addWebhook({ url: 'https://other.example/hook', label: 'CRM sync' });
    await t.connect();
    const ours = t.items[0]!;
    const steps = await t.disconnect();
    expect(steps).toEqual([{ action: 'removed', item: ours }]);
    expect([...hs.webhooks.values()]).toEqual([other]);
    const deletes = hs.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([`/v2/webhooks/${ours.id}`]);

    expect(await t.disconnect()).toEqual([
      { action: 'gone', item: ours, detail: 'already deleted in Help Scout' },
    ]);
    expect([...hs.webhooks.values()]).toEqual([other]);
  });
});

describe('Help Scout doctor', () => {
  it('is all ok after connect, and writes nothing', async () => {
    const t = tenantState();
    await t.connect();
    const writes = hs.writes.length;
    const checks = await t.doctor();
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual([
      'credentials',
      'webhook',
      'webhook: state',
      'webhook: url',
      'webhook: events',
      'webhook: payload',
      'webhook: secret',
      'due field: firstResponse',
      'due field: resolution',
    ]);
    expect(checks[0]!.detail).toContain('bear@acme.example');
    expect(hs.writes).toHaveLength(writes);
  });

  it('reports a missing due field and one that is not a Date, with how to make one', async () => {
    const t = tenantState();
    t.change({ dueFields: { firstResponse: 9003, resolution: 9999 } });
    await t.connect();
    const checks = await t.doctor();
    const bad = checks.filter((c) => !c.ok);
    expect(bad.map((c) => c.check)).toEqual(['due field: firstResponse', 'due field: resolution']);
    expect(bad[0]!.detail).toMatch(/9003 "Product" in Support is of type dropdown, not Date/);
    expect(bad[1]!.detail).toBe('no custom field 9999 in any mailbox');
    for (const check of bad) {
      expect(check.fix).toMatch(/cannot create custom fields.*Custom Fields.*type Date/);
      expect(check.fix).toContain('dueFields.');
    }
  });

  it('reports a webhook posting elsewhere, and a deleted one, with "run deskplan connect"', async () => {
    const t = tenantState();
    await t.connect();
    [...hs.webhooks.values()][0]!.url = 'https://old.example/webhooks/helpscout/acme-desk';
    const url = (await t.doctor()).find((c) => c.check === 'webhook: url')!;
    expect(url).toMatchObject({ ok: false, fix: `run deskplan connect ${TENANT}` });
    expect(url.detail).toContain('https://old.example');

    hs.webhooks.clear();
    const gone = (await t.doctor()).find((c) => c.check === 'webhook')!;
    expect(gone).toMatchObject({ ok: false });
    expect(gone.detail).toMatch(/was deleted in Help Scout/);
    expect(gone.fix).toContain(`run deskplan connect ${TENANT}`);
  });

  it('reports a disabled webhook and missing events', async () => {
    const t = tenantState();
    await t.connect();
    const webhook = [...hs.webhooks.values()][0]!;
    webhook.state = 'disabled';
    webhook.events = ['convo.created', 'convo.deleted'];
    const checks = await t.doctor();
    expect(checks.find((c) => c.check === 'webhook: state')).toMatchObject({ ok: false });
    const events = checks.find((c) => c.check === 'webhook: events')!;
    expect(events.ok).toBe(false);
    expect(events.detail).toContain('missing convo.agent.reply.created');
    expect(events.detail).toContain('convo.deleted, which deskplan answers 400');
  });

  it('reports bad credentials, with where to find the app', async () => {
    const t = tenantState();
    t.change({ auth: { appId: 'app-id', appSecret: 'wrong' } });
    const checks = await t.doctor();
    expect(checks).toEqual([
      {
        check: 'credentials',
        ok: false,
        detail: expect.stringContaining('HTTP 401'),
        fix: expect.stringContaining('My Apps'),
      },
    ]);
  });
});

describe('end to end: a delivery signed with the secret connect set', () => {
  it('is accepted by verify and parsed; one signed with another secret is refused', async () => {
    const t = tenantState();
    await t.connect();
    const webhook = [...hs.webhooks.values()][0]!;
    hs.addCustomer({ id: 1, email: 'kim@acme.example' });
    const body = JSON.stringify(hs.render(hs.addConversation({ id: 77, subject: 'Help' })));
    // Help Scout signs with the webhook's secret: base64(HMAC-SHA1(secret, body)).
    const request = {
      rawBody: Buffer.from(body),
      headers: {
        'content-type': 'application/json',
        'x-helpscout-event': webhook.events[0]!,
        'x-helpscout-signature': signHelpscoutWebhook(body, webhook.secret),
      },
      receivedAt: Date.now(),
    };
    expect(() => helpscoutConnector.verify(request, t.connection)).not.toThrow();
    const delivery = helpscoutConnector.parse(request, TENANT, t.connection);
    expect(delivery.event).toMatchObject({ kind: 'ticket.created', ticket: { id: '77' } });

    const forged = {
      ...request,
      headers: { ...request.headers, 'x-helpscout-signature': signHelpscoutWebhook(body, 'x') },
    };
    expect(() => helpscoutConnector.verify(forged, t.connection)).toThrow(/signature/);
  });
});
