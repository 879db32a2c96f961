import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SetupItem, SetupStep } from '../../connectors/core/setup.js';
import {
  zendeskConnectionSchema,
  type ZendeskConnection,
} from '../../connectors/zendesk/connection-schema.js';
import { signZendeskWebhook, zendeskConnector } from '../../connectors/zendesk/index.js';
import { FakeZendesk } from '../fakes/fake-zendesk.js';
import { renderTrigger } from '../fakes/render-trigger.js';

const TENANT = 'acme';
let zendesk: FakeZendesk;
let receiver: Server;
let receiverStatus: number;
let receiverUrl: string;

beforeEach(async () => {
  zendesk = new FakeZendesk();
  await zendesk.listen();
  // Stands in for deskplan's receiver in the webhook test (doctor's reachability check).
  receiverStatus = 401;
  receiver = createServer((_req, res) => {
    res.statusCode = receiverStatus;
    res.end('{}');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zendesk/${TENANT}`;
});
afterEach(async () => {
  await zendesk.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const connectionOf = (extra: Record<string, unknown> = {}): ZendeskConnection =>
  zendeskConnectionSchema.parse({
    vendor: 'zendesk',
    baseUrl: zendesk.baseUrl,
    auth: { email: 'admin@acme.example', apiToken: 't' },
    ...extra,
  });

/** A journal like the integrator's: what was made, recorded as soon as Zendesk made it. */
function journal() {
  const recorded: SetupItem[] = [];
  return {
    recorded,
    created: async (item: SetupItem) => {
      if (!recorded.some((r) => r.kind === item.kind && r.id === item.id)) recorded.push(item);
    },
  };
}

const target = () => ({ tenantId: TENANT, webhookUrl: receiverUrl });
const actions = (steps: SetupStep[]) => steps.map((s) => `${s.action} ${s.item.kind}`);
const writes = () =>
  zendesk.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));

/** connect, then the tenant config as the integrator would merge it. */
async function connectOnce(connection: ZendeskConnection, known: SetupItem[] = []) {
  const j = journal();
  const result = await zendeskConnector.createSetup!(connection).connect(target(), known, j);
  const merged = zendeskConnectionSchema.parse({ ...connection, ...result.connection });
  return { result, merged, journal: j.recorded };
}

describe('Zendesk onboarding: connect', () => {
  it('makes one webhook, four triggers and the three due fields on an empty account', async () => {
    const { result, merged, journal: recorded } = await connectOnce(connectionOf());
    expect(actions(result.steps)).toEqual([
      'created webhook',
      'created trigger',
      'created trigger',
      'created trigger',
      'created trigger',
      'created ticket-field',
      'created ticket-field',
      'created ticket-field',
    ]);
    expect(zendesk.webhooks.size).toBe(1);
    const [webhook] = [...zendesk.webhooks.values()];
    expect(webhook).toMatchObject({
      name: `deskplan (${TENANT})`,
      endpoint: receiverUrl,
      http_method: 'POST',
      request_format: 'json',
      status: 'active',
      subscriptions: ['conditional_ticket_events'],
    });
    const triggers = [...zendesk.triggers.values()];
    expect(triggers.map((t) => t.title)).toEqual([
      'deskplan ticket created (acme)',
      'deskplan ticket updated (acme)',
      'deskplan agent reply (acme)',
      'deskplan customer reply (acme)',
    ]);
    for (const t of triggers) {
      expect(t.actions[0]).toMatchObject({ field: 'notification_webhook' });
      expect((t.actions[0]!.value as string[])[0]).toBe(webhook!.id);
    }
    expect(triggers[2]!.conditions.all).toContainEqual({
      field: 'comment_is_public',
      operator: 'is',
      value: 'true',
    });
    // The secret and the new field ids go into the tenant's config.
    expect(merged.webhookSecrets).toEqual([zendesk.signingSecrets.get(webhook!.id)]);
    const fields = [...zendesk.ticketFields.values()];
    expect(fields.map((f) => [f.type, f.title])).toEqual([
      ['text', 'deskplan first response due'],
      ['text', 'deskplan next response due'],
      ['text', 'deskplan resolution due'],
    ]);
    expect(merged.dueFields).toEqual({
      firstResponse: fields[0]!.id,
      nextResponse: fields[1]!.id,
      resolution: fields[2]!.id,
    });
    expect(result.items).toHaveLength(8);
    expect(recorded).toEqual(result.items);
  });

  it('makes only the due fields the tenant has no id for, keeping the configured ones', async () => {
    zendesk.ticketFields.set(77, {
      id: 77,
      type: 'text',
      title: 'SLA due',
      description: '',
      active: true,
    });
    const { result, merged } = await connectOnce(connectionOf({ dueFields: { resolution: 77 } }));
    expect(merged.dueFields.resolution).toBe(77);
    expect(merged.dueFields.firstResponse).toBeDefined();
    expect([...zendesk.ticketFields.values()].map((f) => f.title)).toEqual([
      'SLA due',
      'deskplan first response due',
      'deskplan next response due',
    ]);
    // The tenant's own field is not deskplan's to remove.
    expect(result.items.some((i) => i.id === '77')).toBe(false);
  });

  it('a second connect makes and changes nothing', async () => {
    const first = await connectOnce(connectionOf());
    const before = writes().length;
    const second = await connectOnce(first.merged, first.result.items);
    expect(second.result.steps.every((s) => s.action === 'unchanged')).toBe(true);
    expect(second.result.connection).toEqual({});
    expect(writes()).toHaveLength(before);
    expect(second.result.items).toEqual(first.result.items);
  });

  it('points the webhook at a changed deskplan URL', async () => {
    const first = await connectOnce(connectionOf());
    const j = journal();
    const moved = 'https://deskplan.example/webhooks/zendesk/acme';
    const result = await zendeskConnector.createSetup!(first.merged).connect(
      { tenantId: TENANT, webhookUrl: moved },
      first.result.items,
      j,
    );
    expect(result.steps[0]).toMatchObject({ action: 'updated', detail: 'endpoint changed' });
    expect([...zendesk.webhooks.values()][0]!.endpoint).toBe(moved);
    expect(result.steps.slice(1).every((s) => s.action === 'unchanged')).toBe(true);
  });

  it('puts back a trigger deactivated or edited in Zendesk, and remakes a deleted one', async () => {
    const first = await connectOnce(connectionOf());
    const [created, updated, agentReply] = [...zendesk.triggers.values()];
    created!.active = false;
    updated!.conditions.all = [{ field: 'status', operator: 'is', value: 'open' }];
    zendesk.triggers.delete(agentReply!.id);
    const second = await connectOnce(first.merged, first.result.items);
    const byName = Object.fromEntries(second.result.steps.map((s) => [s.item.name, s]));
    expect(byName['deskplan ticket created (acme)']).toMatchObject({
      action: 'updated',
      detail: 'active changed',
    });
    expect(byName['deskplan ticket updated (acme)']).toMatchObject({
      action: 'updated',
      detail: 'conditions changed',
    });
    expect(byName['deskplan agent reply (acme)']!.action).toBe('created');
    expect(created!.active).toBe(true);
    expect(updated!.conditions.all).toEqual([
      { field: 'update_type', operator: 'is', value: 'Change' },
    ]);
    expect(zendesk.triggers.size).toBe(4);
    expect(second.journal.map((i) => i.name)).toContain('deskplan agent reply (acme)');
  });

  it('after a connect cut short by a 500, the next connect finds what was made instead of making it twice', async () => {
    // The first trigger is made but answered with a 500: connect stops there.
    zendesk.failAfterApplying(500, 1, { method: 'POST', path: '/api/v2/triggers' });
    const j = journal();
    await expect(
      zendeskConnector.createSetup!(connectionOf()).connect(target(), [], j),
    ).rejects.toThrow(/HTTP 500/);
    expect(j.recorded.map((i) => i.kind)).toEqual(['webhook']);
    expect(zendesk.triggers.size).toBe(1);

    const again = await connectOnce(connectionOf(), j.recorded);
    expect(zendesk.webhooks.size).toBe(1);
    expect(zendesk.triggers.size).toBe(4);
    expect(again.result.steps[0]).toMatchObject({ action: 'unchanged', item: { kind: 'webhook' } });
    expect(again.result.steps[1]).toMatchObject({
      action: 'unchanged',
      detail: expect.stringContaining('found by its name'),
    });
    expect(again.journal.filter((i) => i.kind === 'trigger')).toHaveLength(4);
  });

  it('a webhook made but answered with a 500 is adopted by its name on the next connect', async () => {
    zendesk.failAfterApplying(500, 1, { method: 'POST', path: '/api/v2/webhooks' });
    await expect(
      zendeskConnector.createSetup!(connectionOf()).connect(target(), [], journal()),
    ).rejects.toThrow(/HTTP 500/);
    const again = await connectOnce(connectionOf());
    expect(zendesk.webhooks.size).toBe(1);
    expect(again.result.steps[0]!.detail).toContain('found by its name');
    expect(again.journal[0]).toMatchObject({
      kind: 'webhook',
      id: [...zendesk.webhooks.keys()][0],
    });
    expect(again.merged.webhookSecrets).toHaveLength(1);
  });

  it('keeps an old configured secret second when a new webhook brings a new one', async () => {
    const { merged } = await connectOnce(connectionOf({ webhookSecrets: ['old-secret'] }));
    const [id] = [...zendesk.webhooks.keys()];
    expect(merged.webhookSecrets).toEqual([zendesk.signingSecrets.get(id!), 'old-secret']);
  });
});

describe('Zendesk onboarding: disconnect', () => {
  it('removes the triggers then the webhook it made, keeps fields and what admins made by hand', async () => {
    const first = await connectOnce(connectionOf());
    zendesk.triggers.set(1, {
      id: 1,
      title: 'Notify requester of received request',
      active: true,
      position: 0,
      conditions: { all: [], any: [] },
      actions: [],
      description: null,
    });
    const gone = first.result.items.find((i) => i.name === 'deskplan ticket updated (acme)')!;
    zendesk.triggers.delete(Number(gone.id));
    const steps = await zendeskConnector.createSetup!(first.merged).disconnect(first.result.items);
    expect(actions(steps)).toEqual([
      'removed trigger',
      'gone trigger',
      'removed trigger',
      'removed trigger',
      'removed webhook',
      'kept ticket-field',
      'kept ticket-field',
      'kept ticket-field',
    ]);
    expect(steps.find((s) => s.action === 'kept')!.detail).toMatch(
      /deletes its value on every ticket/,
    );
    expect([...zendesk.triggers.keys()]).toEqual([1]);
    expect(zendesk.webhooks.size).toBe(0);
    expect(zendesk.ticketFields.size).toBe(3);
    const deletes = zendesk.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes.at(-1)).toMatch(/^\/api\/v2\/webhooks\//);
  });
});

describe('Zendesk onboarding: doctor', () => {
  const failing = (checks: { check: string; ok: boolean }[]) =>
    checks.filter((c) => !c.ok).map((c) => c.check);

  it('is all ok after connect, and says Zendesk reached deskplan', async () => {
    const first = await connectOnce(connectionOf());
    const before = writes().length;
    const checks = await zendeskConnector.createSetup!(first.merged).doctor(
      target(),
      first.result.items,
    );
    expect(failing(checks)).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual([
      'credentials',
      'webhook',
      'signing secret',
      'trigger: deskplan ticket created (acme)',
      'trigger: deskplan ticket updated (acme)',
      'trigger: deskplan agent reply (acme)',
      'trigger: deskplan customer reply (acme)',
      'due field: deskplan first response due',
      'due field: deskplan next response due',
      'due field: deskplan resolution due',
      'reachability',
    ]);
    expect(checks.at(-1)!.detail).toContain('HTTP 401');
    // Only the webhook test is a POST; nothing in Zendesk changed.
    expect(
      writes()
        .slice(before)
        .map((r) => r.path),
    ).toEqual(['/api/v2/webhooks/test']);
  });

  it('reports a deactivated trigger, a wrong URL and an unreachable endpoint, each with a fix', async () => {
    const first = await connectOnce(connectionOf());
    [...zendesk.triggers.values()][3]!.active = false;
    [...zendesk.webhooks.values()][0]!.endpoint = 'https://old.example/webhooks/zendesk/acme';
    receiverStatus = 503;
    const checks = await zendeskConnector.createSetup!(first.merged).doctor(
      target(),
      first.result.items,
    );
    const bad = checks.filter((c) => !c.ok);
    expect(bad.map((c) => c.check)).toEqual([
      'webhook',
      'trigger: deskplan customer reply (acme)',
      'reachability',
    ]);
    expect(bad[0]!.detail).toContain(`not ${receiverUrl}`);
    expect(bad[1]!.detail).toBe('deactivated in Zendesk');
    expect(bad[2]!.detail).toContain('HTTP 503');
    for (const c of bad) expect(c.fix).toBeTruthy();
    expect(bad[0]!.fix).toBe('run deskplan connect acme');
  });

  it('reports bad credentials (an anonymous answer) and stops there', async () => {
    zendesk.me = { id: null, role: 'end-user', email: null };
    const checks = await zendeskConnector.createSetup!(connectionOf()).doctor(target(), []);
    expect(checks).toEqual([
      expect.objectContaining({
        check: 'credentials',
        ok: false,
        detail: 'Zendesk answered as an anonymous user',
        fix: expect.stringContaining('API token'),
      }),
    ]);
  });

  it('reports a missing set-up and a missing signing secret before connect', async () => {
    const checks = await zendeskConnector.createSetup!(connectionOf()).doctor(target(), []);
    expect(failing(checks)).toEqual([
      'webhook',
      'trigger: deskplan ticket created (acme)',
      'trigger: deskplan ticket updated (acme)',
      'trigger: deskplan agent reply (acme)',
      'trigger: deskplan customer reply (acme)',
      'due field: deskplan first response due',
      'due field: deskplan next response due',
      'due field: deskplan resolution due',
    ]);
  });
});

describe('Zendesk onboarding end to end', () => {
  it('a body rendered from the made trigger and signed with the returned secret is accepted', async () => {
    const { merged } = await connectOnce(connectionOf());
    const trigger = [...zendesk.triggers.values()].find((t) =>
      t.title.startsWith('deskplan agent reply'),
    )!;
    const template = (trigger.actions[0]!.value as string[])[1]!;
    const ticket = zendesk.addTicket({ id: 42, subject: 'Printer on fire', status: 'open' });
    const body = renderTrigger(template, ticket, { currentUserRole: 'agent' });
    const [secret] = [...zendesk.signingSecrets.values()];
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const request = {
      rawBody: Buffer.from(body),
      headers: {
        'x-zendesk-webhook-signature': signZendeskWebhook(body, secret!, timestamp),
        'x-zendesk-webhook-signature-timestamp': timestamp,
      },
      receivedAt: Date.now(),
    };
    expect(() => zendeskConnector.verify(request, merged)).not.toThrow();
    const delivery = zendeskConnector.parse(request, TENANT, merged);
    expect(delivery.event).toMatchObject({
      kind: 'ticket.agent_replied',
      tenantId: TENANT,
      ticket: { id: '42' },
    });
  });
});
