import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApiCommand } from '../../admin/cli/api-commands.js';
import { signZendeskWebhook } from '../../connectors/zendesk/index.js';
import type { FakeTicket, FakeZendesk } from '../fakes/fake-zendesk.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import { AGENCY_TOKEN, startAdminApiOn } from '../helpers/admin-api-harness.js';
import {
  TENANT,
  startPipeline,
  tenantFile,
  waitFor,
  zendeskStamp,
} from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let api: Awaited<ReturnType<typeof startAdminApiOn>>;

/** A tenant as an agency writes it before connect: credentials, no webhook secret, no fields. */
function unconnectedTenant(baseUrl: string) {
  const file = tenantFile('s1-product-plan', baseUrl);
  return {
    ...file,
    connection: {
      vendor: 'zendesk',
      baseUrl,
      auth: { email: 'admin@acme.example', apiToken: 'token-123' },
      accountAttributes: ['licenses'],
    },
  };
}

beforeEach(async () => {
  p = await startPipeline();
  await p.tenants.save(TENANT, unconnectedTenant(p.zendesk.baseUrl));
  api = await startAdminApiOn(p.redis, p.tenants);
  p.zendesk.addOrganization({ id: 1001, name: 'Acme' });
});
afterEach(async () => {
  await api.close();
  await p.close();
});

/**
 * What Zendesk does when a ticket is created: each active trigger on `update_type` Create that
 * notifies a webhook renders its body for the ticket, signs it with that webhook's secret and
 * posts it to the webhook's endpoint. Returns the statuses deskplan answered.
 */
async function zendeskRunsCreateTriggers(zendesk: FakeZendesk, ticket: FakeTicket) {
  const statuses: number[] = [];
  for (const trigger of zendesk.triggers.values()) {
    const onCreate = trigger.conditions.all.some(
      (c) =>
        (c as { field?: string; value?: string }).field === 'update_type' &&
        (c as { value?: string }).value === 'Create',
    );
    if (!trigger.active || !onCreate) continue;
    for (const action of trigger.actions) {
      if (action.field !== 'notification_webhook') continue;
      const [webhookId, template] = action.value as [string, string];
      const webhook = zendesk.webhooks.get(webhookId)!;
      const body = renderTrigger(template, ticket, { requesterEmail: 'ann@acme.example' });
      const timestamp = zendeskStamp();
      const res = await fetch(webhook.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-zendesk-webhook-signature': signZendeskWebhook(
            body,
            zendesk.signingSecrets.get(webhookId)!,
            timestamp,
          ),
          'x-zendesk-webhook-signature-timestamp': timestamp,
        },
        body,
      });
      statuses.push(res.status);
    }
  }
  return statuses;
}

const actionsOf = (body: { steps: { action: string; item: { kind: string } }[] }) =>
  body.steps.map((s) => `${s.action} ${s.item.kind}`);
const writesTo = (zendesk: FakeZendesk) =>
  zendesk.requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/v2/tickets/'));

describe('deskplan connect: a Zendesk tenant set up from its credentials alone', () => {
  it('makes the webhook, triggers and due fields, saves the secret, and tickets then count', async () => {
    // Before connect the tenant has no secret: a forged delivery gets 401, never a 202.
    const forged = await p.post('{"deskplan":"1","ticket":{"id":"1"}}', { secret: 'guess' });
    expect(forged.status).toBe(401);

    const res = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: p.url },
    });
    expect(res.status).toBe(200);
    expect(res.body.webhookUrl).toBe(`${p.url}/webhooks/zendesk/${TENANT}`);
    expect(actionsOf(res.body)).toEqual([
      'created webhook',
      ...Array(4).fill('created trigger'),
      ...Array(3).fill('created ticket-field'),
    ]);
    // The pipeline saved version 1, the unconnected tenant 2: connect saves the third.
    expect(res.body.configVersion).toBe(3);
    expect(res.body.warnings).toEqual([]);

    // The secret Zendesk generated is in the stored config (sealed), never in the API's answer.
    const webhookId = [...p.zendesk.webhooks.keys()][0]!;
    const stored = (await p.tenants.current(TENANT))!;
    const connection = (stored.config as { connection: Record<string, unknown> }).connection;
    expect(connection.webhookSecrets).toEqual([p.zendesk.signingSecrets.get(webhookId)]);
    expect(Object.keys(connection.dueFields as object).sort()).toEqual([
      'firstResponse',
      'nextResponse',
      'resolution',
    ]);
    expect(stored.savedBy).toMatch(/^connect:agency/);
    const shown = await api.call('GET', `/tenants/${TENANT}`);
    expect(JSON.stringify(shown.body)).not.toContain(p.zendesk.signingSecrets.get(webhookId));

    // A ticket created in Zendesk now reaches deskplan through what connect made, and counts.
    const ticket = p.zendesk.addTicket({
      id: 501,
      subject: 'Product X: cannot log in',
      organization_id: 1001,
    });
    const statuses = await zendeskRunsCreateTriggers(p.zendesk, ticket);
    expect(statuses).toEqual([202]);
    await waitFor('the ticket to be counted', async () => {
      const keys = await p.ledger.counterKeys(TENANT);
      const usages = await Promise.all(keys.map((k) => p.ledger.usage(TENANT, k)));
      return usages.some((u) => u.count === 1);
    });
  });

  it('a second connect makes nothing and saves no new version; a moved URL updates the webhook', async () => {
    await api.call('POST', `/tenants/${TENANT}/connect`, { body: { publicUrl: p.url } });
    const before = writesTo(p.zendesk).length;
    const again = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: p.url },
    });
    expect(again.status).toBe(200);
    expect(new Set(again.body.steps.map((s: { action: string }) => s.action))).toEqual(
      new Set(['unchanged']),
    );
    expect(again.body.configVersion).toBeNull();
    expect(writesTo(p.zendesk)).toHaveLength(before);

    const moved = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: 'https://deskplan.example.com/' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.steps[0]).toMatchObject({ action: 'updated', item: { kind: 'webhook' } });
    expect([...p.zendesk.webhooks.values()][0]!.endpoint).toBe(
      `https://deskplan.example.com/webhooks/zendesk/${TENANT}`,
    );
    expect(p.zendesk.webhooks.size).toBe(1);
  });

  it('disconnect removes exactly what connect made; doctor then says to connect again', async () => {
    await api.call('POST', `/tenants/${TENANT}/connect`, { body: { publicUrl: p.url } });
    const handMade = p.zendesk.triggers.size + 1;
    p.zendesk.triggers.set(handMade, {
      id: handMade,
      title: 'Escalate VIPs',
      active: true,
      position: 1,
      conditions: { all: [], any: [] },
      actions: [],
      description: null,
    });
    const ok = await api.call('GET', `/tenants/${TENANT}/doctor`);
    expect(ok.status).toBe(200);
    expect(ok.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(ok.body.ok).toBe(true);

    const res = await api.call('POST', `/tenants/${TENANT}/disconnect`);
    expect(res.status).toBe(200);
    expect(actionsOf(res.body).sort()).toEqual(
      [
        ...Array(4).fill('removed trigger'),
        'removed webhook',
        ...Array(3).fill('kept ticket-field'),
      ].sort(),
    );
    expect(p.zendesk.webhooks.size).toBe(0);
    expect([...p.zendesk.triggers.values()].map((t) => t.title)).toEqual(['Escalate VIPs']);
    const again = await api.call('POST', `/tenants/${TENANT}/disconnect`);
    expect(again.body.steps).toEqual([]);

    const doctor = await api.call('GET', `/tenants/${TENANT}/doctor?publicUrl=${p.url}`);
    expect(doctor.body.ok).toBe(false);
    expect(doctor.body.checks[0]).toMatchObject({ check: 'connected', ok: false });
    expect(doctor.body.checks[0].fix).toMatch(/deskplan connect/);
  });

  it('a connect cut short keeps what it made; run again, it adopts the rest, and disconnect removes all', async () => {
    // Zendesk makes the first trigger, then answers 500: the run stops there. The webhook is in
    // deskplan's record already; the trigger's id never reached deskplan.
    p.zendesk.failAfterApplying(500, 1, { method: 'POST', path: '/api/v2/triggers' });
    const cut = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: p.url },
    });
    expect(cut.status).toBe(502);
    expect(cut.body.error.message).toMatch(/helpdesk refused/);
    expect(p.zendesk.webhooks.size).toBe(1);
    expect(p.zendesk.triggers.size).toBe(1);
    const records = await api.deps.onboardings!.doctor(TENANT, { publicUrl: p.url });
    expect(records.checks[0]).toMatchObject({ check: 'connected', ok: false });

    const done = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: p.url },
    });
    expect(done.status).toBe(200);
    expect(
      done.body.steps.find((s: { item: { kind: string } }) => s.item.kind === 'webhook'),
    ).toMatchObject({ action: 'unchanged' });
    expect(p.zendesk.webhooks.size).toBe(1);
    expect(p.zendesk.triggers.size).toBe(4);

    const off = await api.call('POST', `/tenants/${TENANT}/disconnect`);
    expect(off.status).toBe(200);
    expect(p.zendesk.webhooks.size + p.zendesk.triggers.size).toBe(0);
  });

  it('a config saved while connect runs is not overwritten: 409, and a second connect saves onto it', async () => {
    p.zendesk.latencyMs = 150;
    const running = api.call('POST', `/tenants/${TENANT}/connect`, { body: { publicUrl: p.url } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const edited = unconnectedTenant(p.zendesk.baseUrl);
    edited.connection.accountAttributes = ['licenses', 'tier'];
    expect((await api.call('PUT', `/tenants/${TENANT}`, { body: edited })).status).toBe(200);
    const res = await running;
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/changed while connect ran/);

    p.zendesk.latencyMs = 0;
    const again = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: p.url },
    });
    expect(again.status).toBe(200);
    expect(p.zendesk.webhooks.size).toBe(1);
    const stored = (await p.tenants.current(TENANT))!.config as {
      connection: { accountAttributes: string[]; webhookSecrets: string[] };
    };
    expect(stored.connection.accountAttributes).toEqual(['licenses', 'tier']);
    expect(stored.connection.webhookSecrets).toHaveLength(1);
  });

  it('refuses what it cannot do with a clear answer', async () => {
    const noUrl = await api.call('POST', `/tenants/${TENANT}/connect`, { body: {} });
    expect(noUrl.status).toBe(422);
    expect(noUrl.body.error.message).toMatch(/publicUrl|DESKPLAN_PUBLIC_URL/);
    const badUrl = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: 'ftp://x.example' },
    });
    expect(badUrl.status).toBe(422);
    const unknown = await api.call('POST', '/tenants/nobody/connect', {
      body: { publicUrl: p.url },
    });
    expect(unknown.status).toBe(404);
    const noToken = await api.call('POST', `/tenants/${TENANT}/connect`, {
      token: null,
      body: { publicUrl: p.url },
    });
    expect(noToken.status).toBe(401);
    p.zendesk.me = { id: null, role: 'end-user', email: null };
    const doctor = await api.call('GET', `/tenants/${TENANT}/doctor?publicUrl=${p.url}`);
    const credentials = doctor.body.checks.find(
      (c: { check: string }) => c.check === 'credentials',
    );
    expect(credentials).toMatchObject({ ok: false });
    expect(credentials.fix).toBeTruthy();
    // Nothing was made by the refused calls.
    expect(p.zendesk.webhooks.size).toBe(0);
  });

  it("a tenant's token runs doctor on the recorded URL, but may not point it elsewhere", async () => {
    await api.call('POST', `/tenants/${TENANT}/connect`, { body: { publicUrl: p.url } });
    const issued = await api.call('POST', '/tokens', { body: { name: 'ops', tenantId: TENANT } });
    const token = issued.body.token as string;
    // Something on deskplan's network that a tenant must not make deskplan (or Zendesk) call.
    const asked: string[] = [];
    const inside = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    const port = (inside.address() as AddressInfo).port;
    try {
      const own = await api.call('GET', `/tenants/${TENANT}/doctor`, { token });
      expect(own.status).toBe(200);
      expect(own.body.webhookUrl).toBe(`${p.url}/webhooks/zendesk/${TENANT}`);
      const elsewhere = await api.call(
        'GET',
        `/tenants/${TENANT}/doctor?publicUrl=${encodeURIComponent(`http://127.0.0.1:${port}/admin`)}`,
        { token },
      );
      expect(elsewhere.status).toBe(403);
      expect(asked).toEqual([]);
      expect(
        p.zendesk.requests.filter((r) => r.path.includes('/webhooks/test')).map((r) => r.body),
      ).not.toContainEqual(
        expect.objectContaining({
          request: expect.objectContaining({ endpoint: expect.stringContaining(`${port}`) }),
        }),
      );
    } finally {
      await new Promise((resolve) => inside.close(resolve));
    }
  });

  it('warns when the public URL is plain http off this machine', async () => {
    const res = await api.call('POST', `/tenants/${TENANT}/connect`, {
      body: { publicUrl: 'http://deskplan.example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.body.warnings.join(' ')).toMatch(/https/);
  });
});

describe('deskplan connect / doctor / disconnect from the CLI', () => {
  const env = () => ({ DESKPLAN_URL: api.url, DESKPLAN_TOKEN: AGENCY_TOKEN });

  it('prints what it made, then what it checked; doctor exits 6 when a check fails', async () => {
    const connect = await runApiCommand('connect', [TENANT, '--public-url', p.url], env());
    expect(connect).toMatchObject({ code: 0, err: '' });
    expect(connect.out).toContain(`sends its events to ${p.url}/webhooks/zendesk/${TENANT}`);
    expect(connect.out).toMatch(/created\s+webhook\s+deskplan/);
    expect(connect.out).toMatch(/saved as config version 3/);

    const again = await runApiCommand('connect', [TENANT, '--public-url', p.url], env());
    expect(again.out).toMatch(/nothing to change/);

    const healthy = await runApiCommand('doctor', [TENANT], env());
    expect(healthy).toMatchObject({ code: 0, err: '' });
    expect(healthy.out).toMatch(/all checks passed/);

    const trigger = [...p.zendesk.triggers.values()][0]!;
    trigger.active = false;
    const sick = await runApiCommand('doctor', [TENANT], env());
    expect(sick.code).toBe(6);
    expect(sick.out).toMatch(/FAIL\s+trigger: /);
    expect(sick.out).toMatch(/fix: .*connect/);

    const json = await runApiCommand('doctor', [TENANT, '--json'], env());
    expect(JSON.parse(json.out).ok).toBe(false);

    const off = await runApiCommand('disconnect', [TENANT], env());
    expect(off.code).toBe(0);
    expect(off.out).toMatch(/removed\s+webhook/);
  });

  it('has --help and usage errors a script can tell apart', async () => {
    const help = await runApiCommand('doctor', ['--help'], env());
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--public-url/);
    expect((await runApiCommand('connect', [], env())).code).toBe(2);
    expect((await runApiCommand('connect', ['nobody', '--public-url', p.url], env())).code).toBe(1);
  });
});
