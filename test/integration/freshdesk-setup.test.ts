import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VendorUnavailableError } from '../../connectors/core/errors.js';
import type { Setup, SetupItem, SetupJournal, SetupTarget } from '../../connectors/core/setup.js';
import {
  freshdeskConnectionSchema,
  type FreshdeskConnection,
} from '../../connectors/freshdesk/connection-schema.js';
import { freshdeskConnector } from '../../connectors/freshdesk/index.js';
import { webhookContent } from '../../connectors/freshdesk/setup-plan.js';
import { FakeFreshdesk, type FakeAutomationRule } from '../fakes/fake-freshdesk.js';
import { renderFreshdeskTemplate } from '../fakes/render-freshdesk-webhook.js';

const SECRET = 'fd-webhook-secret-0123456789';
const NEW_SECRET = 'fd-webhook-secret-rotated-9876';
const TARGET: SetupTarget = {
  tenantId: 'acme',
  webhookUrl: 'https://deskplan.example/webhooks/freshdesk/acme',
};

let fd: FakeFreshdesk;
beforeEach(async () => {
  fd = new FakeFreshdesk();
  await fd.listen();
});
afterEach(async () => {
  await fd.close();
});

function connectionWith(secrets: string[] = [SECRET], apiKey = fd.apiKey): FreshdeskConnection {
  return freshdeskConnectionSchema.parse({
    vendor: 'freshdesk',
    baseUrl: fd.baseUrl,
    apiKey,
    webhookSecrets: secrets,
  });
}
const setupWith = (connection = connectionWith()): Setup =>
  freshdeskConnector.createSetup!(connection, { timeoutMs: 2000 });

/** A journal like the integrator's: everything reported, kept across connects. */
function journal() {
  const items: SetupItem[] = [];
  const j: SetupJournal = {
    async created(item) {
      if (!items.some((i) => i.kind === item.kind && i.id === item.id)) items.push(item);
    },
  };
  return { items, j };
}

const ruleWrites = () =>
  fd.requests.filter((r) => r.path.includes('/automations/') && r.method !== 'GET');
const ours = () => [...fd.rules.values()].filter((r) => r.name.startsWith('deskplan acme'));
const webhookOf = (rule: FakeAutomationRule) =>
  rule.actions.find((a) => a.field_name === 'trigger_webhook') as Record<string, unknown>;
const byName = (suffix: string) => ours().find((r) => r.name === `deskplan acme: ${suffix}`)!;

describe('Freshdesk connect', () => {
  it('makes the four automation rules on an empty account, each posting its body with the secret header', async () => {
    const { items, j } = journal();
    const result = await setupWith().connect(TARGET, [], j);

    expect(result.connection).toEqual({});
    expect(result.steps.map((s) => s.action)).toEqual(['created', 'created', 'created', 'created']);
    expect(result.items).toHaveLength(4);
    expect(items).toEqual(result.items);
    expect(fd.rulesOf(1).map((r) => r.name)).toEqual(['deskplan acme: ticket created']);
    expect(fd.rulesOf(4).map((r) => r.name)).toEqual([
      'deskplan acme: ticket updated',
      'deskplan acme: agent reply',
      'deskplan acme: customer reply',
    ]);
    const events = {
      'ticket created': 'created',
      'ticket updated': 'updated',
      'agent reply': 'agent_replied',
      'customer reply': 'customer_replied',
    } as const;
    for (const [suffix, event] of Object.entries(events)) {
      const rule = byName(suffix);
      expect(rule.active).toBe(true);
      expect(webhookOf(rule)).toMatchObject({
        request_type: 'POST',
        url: TARGET.webhookUrl,
        content_type: 'JSON',
        custom_headers: { 'X-Deskplan-Secret': SECRET },
        content: webhookContent(event),
      });
    }
    expect(byName('agent reply').performer).toEqual({ type: 1 });
    expect(byName('customer reply').performer).toEqual({ type: 2 });
    expect(byName('ticket created').performer).toBeUndefined();
  });

  it('changes nothing on a second connect', async () => {
    const { items, j } = journal();
    await setupWith().connect(TARGET, [], j);
    const before = ruleWrites().length;

    const again = await setupWith().connect(TARGET, items, j);

    expect(again.steps.map((s) => s.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(again.items).toEqual(items);
    expect(ruleWrites()).toHaveLength(before);
    expect(ours()).toHaveLength(4);
  });

  it('updates every rule for a changed URL and for a rotated secret, and says what changed', async () => {
    const { items, j } = journal();
    await setupWith().connect(TARGET, [], j);

    const moved = { ...TARGET, webhookUrl: 'https://new.deskplan.example/webhooks/freshdesk/acme' };
    const urlChange = await setupWith().connect(moved, items, j);
    expect(urlChange.steps.map((s) => [s.action, s.detail])).toEqual(
      Array(4).fill(['updated', 'url changed']),
    );
    expect(ours().every((r) => webhookOf(r).url === moved.webhookUrl)).toBe(true);

    // Rotation: the new secret goes first; the old one stays accepted while the rules change.
    const rotated = await setupWith(connectionWith([NEW_SECRET, SECRET])).connect(moved, items, j);
    expect(rotated.steps.map((s) => s.detail)).toEqual(Array(4).fill('secret header changed'));
    expect(
      ours().every(
        (r) => (webhookOf(r).custom_headers as Record<string, string>)['X-Deskplan-Secret'],
      ),
    ).toBe(true);
    expect(
      ours().map(
        (r) => (webhookOf(r).custom_headers as Record<string, string>)['X-Deskplan-Secret'],
      ),
    ).toEqual(Array(4).fill(NEW_SECRET));
    expect(ours()).toHaveLength(4);
  });

  it('reactivates a rule switched off in Freshdesk and makes a deleted one again', async () => {
    const { items, j } = journal();
    await setupWith().connect(TARGET, [], j);
    byName('agent reply').active = false;
    const deleted = byName('customer reply');
    fd.rules.delete(deleted.id);

    const result = await setupWith().connect(TARGET, items, j);

    expect(result.steps.map((s) => [s.item.name, s.action, s.detail])).toEqual([
      ['deskplan acme: ticket created', 'unchanged', undefined],
      ['deskplan acme: ticket updated', 'unchanged', undefined],
      ['deskplan acme: agent reply', 'updated', 'inactive'],
      ['deskplan acme: customer reply', 'created', 'deleted in Freshdesk; made again'],
    ]);
    expect(byName('agent reply').active).toBe(true);
    expect(byName('customer reply').id).not.toBe(deleted.id);
    expect(result.items.map((i) => i.id)).toContain(String(byName('customer reply').id));
    expect(result.items.map((i) => i.id)).not.toContain(String(deleted.id));
    expect(ours()).toHaveLength(4);
  });

  it('a connect cut short by a 500 after Freshdesk made the rule makes no duplicate next time', async () => {
    const { items, j } = journal();
    fd.failAfterApplying(500, 1, { method: 'POST' });

    await expect(setupWith().connect(TARGET, [], j)).rejects.toBeInstanceOf(VendorUnavailableError);
    expect(ours()).toHaveLength(1); // Freshdesk made it; deskplan never learnt its id

    const result = await setupWith().connect(TARGET, items, j);

    expect(result.steps.map((s) => s.action)).toEqual([
      'unchanged',
      'created',
      'created',
      'created',
    ]);
    expect(ours()).toHaveLength(4);
    expect(fd.rulesOf(1)).toHaveLength(1);
    // The adopted rule is journalled too, so disconnect will remove it.
    expect(items.map((i) => i.id).sort()).toEqual(
      ours()
        .map((r) => String(r.id))
        .sort(),
    );
  });

  it('leaves rules of other tenants and hand-made rules alone', async () => {
    fd.addRule({ automation_type_id: 1, name: 'Route billing to Ana' });
    fd.addRule({ automation_type_id: 4, name: 'deskplan globex: agent reply' });
    const { j } = journal();

    await setupWith().connect(TARGET, [], j);

    expect(fd.rulesOf(1).map((r) => r.name)).toEqual([
      'Route billing to Ana',
      'deskplan acme: ticket created',
    ]);
    expect(fd.rulesOf(4).map((r) => r.name)).toContain('deskplan globex: agent reply');
    expect(ours()).toHaveLength(4);
  });
});

describe('Freshdesk disconnect', () => {
  it('deletes exactly the rules it made; one already deleted is gone; a hand-made rule stays', async () => {
    const handMade = fd.addRule({ automation_type_id: 4, name: 'Escalate urgent' });
    const { items, j } = journal();
    await setupWith().connect(TARGET, [], j);
    fd.rules.delete(byName('ticket updated').id);

    const steps = await setupWith().disconnect(items);

    expect(steps.map((s) => [s.item.name, s.action])).toEqual([
      ['deskplan acme: ticket created', 'removed'],
      ['deskplan acme: ticket updated', 'gone'],
      ['deskplan acme: agent reply', 'removed'],
      ['deskplan acme: customer reply', 'removed'],
    ]);
    expect([...fd.rules.values()]).toEqual([handMade]);
    const deletes = fd.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path).sort()).toEqual(
      items
        .map(
          (i) => `/api/v2/automations/${i.kind === 'ticket-creation-rule' ? 1 : 4}/rules/${i.id}`,
        )
        .sort(),
    );
  });
});

describe('Freshdesk doctor', () => {
  it('is all ok after connect, and reads only', async () => {
    const { items, j } = journal();
    await setupWith().connect(TARGET, [], j);
    const writes = ruleWrites().length;

    const checks = await setupWith().doctor(TARGET, items);

    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ['credentials', true],
      ['automation rule: deskplan acme: ticket created', true],
      ['automation rule: deskplan acme: ticket updated', true],
      ['automation rule: deskplan acme: agent reply', true],
      ['automation rule: deskplan acme: customer reply', true],
    ]);
    expect(checks[0]!.detail).toContain('admin@acme.example');
    expect(ruleWrites()).toHaveLength(writes);
  });

  it('reports a switched-off, a deleted, a re-pointed and a never-made rule, each with a fix, and never prints the secret', async () => {
    const { items, j } = journal();
    await setupWith().connect(TARGET, [], j);
    byName('ticket created').active = false;
    fd.rules.delete(byName('ticket updated').id);
    webhookOf(byName('agent reply')).url = 'https://elsewhere.example/hook';
    (webhookOf(byName('agent reply')).custom_headers as Record<string, string>)[
      'X-Deskplan-Secret'
    ] = 'someone-elses-secret-value';
    const known = items.filter((i) => i.name !== 'deskplan acme: customer reply');

    const checks = await setupWith().doctor(TARGET, known);

    const failed = checks.filter((c) => !c.ok);
    expect(failed.map((c) => [c.check, c.detail])).toEqual([
      ['automation rule: deskplan acme: ticket created', expect.stringContaining('inactive')],
      ['automation rule: deskplan acme: ticket updated', expect.stringContaining('deleted')],
      [
        'automation rule: deskplan acme: agent reply',
        expect.stringMatching(/url changed, .*secret header changed/),
      ],
      ['automation rule: deskplan acme: customer reply', 'not made yet'],
    ]);
    expect(failed.every((c) => c.fix === 'run deskplan connect acme')).toBe(true);
    expect(JSON.stringify(checks)).not.toContain(SECRET);
    expect(JSON.stringify(checks)).not.toContain('someone-elses-secret-value');
  });

  it('says the API key is wrong, with a fix, and checks nothing else', async () => {
    const checks = await setupWith(connectionWith([SECRET], 'wrong-key')).doctor(TARGET, []);

    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ check: 'credentials', ok: false });
    expect(checks[0]!.detail).toContain('401');
    expect(checks[0]!.fix).toMatch(/apiKey/);
  });
});

describe('Freshdesk rules end to end', () => {
  it('the body a created rule sends, with its header, passes verify and parses to its event', async () => {
    const connection = connectionWith();
    const { j } = journal();
    await setupWith(connection).connect(TARGET, [], j);
    const ticket = fd.addTicket({
      id: 42,
      subject: 'Login "fails" again',
      priority: 3,
      company_id: 1001,
      tags: ['vip'],
    });
    const expected = {
      'ticket created': 'created',
      'ticket updated': 'updated',
      'agent reply': 'agent_replied',
      'customer reply': 'customer_replied',
    } as const;

    for (const [suffix, event] of Object.entries(expected)) {
      const action = webhookOf(byName(suffix));
      // Freshdesk sends the content with each placeholder filled in, and the custom headers.
      const body = renderFreshdeskTemplate(JSON.stringify(action.content), ticket);
      const headers = Object.fromEntries(
        Object.entries(action.custom_headers as Record<string, string>).map(([k, v]) => [
          k.toLowerCase(),
          v,
        ]),
      );
      const request = { rawBody: Buffer.from(body), headers, receivedAt: Date.now() };

      expect(() => freshdeskConnector.verify(request, connection)).not.toThrow();
      const delivery = freshdeskConnector.parse(request, TARGET.tenantId, connection);
      expect(delivery.event).toMatchObject({
        kind: `ticket.${event}`,
        ticket: {
          id: '42',
          subject: 'Login "fails" again',
          priority: { category: 'high' },
          tags: ['vip'],
        },
      });
    }
  });
});
