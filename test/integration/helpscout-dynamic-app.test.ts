// Help Scout's Dynamic App (POST /apps/helpscout/:tenantId): a Help Scout tenant whose
// conversation went through the real pipeline (signed convo.created → worker → ticket state, SLA
// index, ledger), then the sidebar request Help Scout would post for it, signed with the app's
// secret key by the production signer.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHelpscoutAppRouter } from '../../admin/apps/helpscout-app-router.js';
import { ticketSummaryOf } from '../../admin/api/ticket-summary.js';
import { formatInstant } from '../../admin/pages/page-format.js';
import { signHelpscoutWebhook } from '../../connectors/helpscout/index.js';
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import {
  DUE_FIELDS,
  SECRET,
  startPipeline,
  TENANT,
  tenantFile,
} from '../helpers/pipeline-harness.js';

const APP_SECRET = 'app-secret-key-current';
const OLD_APP_SECRET = 'app-secret-key-previous';
const NAUGHTY = '<script>alert(1)</script> Acme & "Co"';
const FIXTURE = readFileSync(
  new URL('../fixtures/helpscout/dynamic-app-request.json', import.meta.url),
  'utf8',
);
const CONVERSATION = 301; // the fixture's ticket.id

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let server: Server;
let url: string;
let config: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let sources: Parameters<typeof ticketSummaryOf>[2];
const catalog = () => new TenantCatalog(p.tenants, 0);

/** Saves the Help Scout tenant's config with `change` applied. */
async function saveTenant(change: (c: typeof config) => void) {
  const next = structuredClone(config);
  change(next);
  await p.tenants.save(TENANT, next);
}

beforeAll(async () => {
  p = await startPipeline({ vendor: 'helpscout' });
  const hs = p.helpscout!;
  hs.addOrganization({ id: 1001, name: 'Acme', domains: ['acme.example'] });
  hs.addCustomer({ id: 1, email: 'kim@acme.example', organizationId: 1001 });
  for (const id of Object.values(DUE_FIELDS)) hs.dateFields.add(id);
  hs.addConversation({ id: CONVERSATION, subject: 'Product X: login fails', tags: [] });
  const body = JSON.stringify(hs.render(hs.conversations.get(CONVERSATION)!));
  const delivery = await p.postHelpscout(body, 'convo.created');
  expect((await p.settled(delivery.deliveryId)).state).toBe('completed');

  // The admin sets up the sidebar app: its secret key (and the previous one, while rotating).
  // The contract's name has markup in it.
  config = (await p.tenants.current(TENANT))!.config as typeof config;
  config.connection.appSecrets = [APP_SECRET, OLD_APP_SECRET];
  config.contracts[0].name = NAUGHTY;
  await p.tenants.save(TENANT, config);
  // A Zendesk tenant, and a Help Scout one without an app secret.
  await p.tenants.save(
    'zendesk-desk',
    tenantFile('s1-product-plan', p.zendesk.baseUrl, { id: 'zendesk-desk' }),
  );
  const { appSecrets: _none, ...bare } = config.connection;
  await p.tenants.save('bare-helpscout', { ...config, id: 'bare-helpscout', connection: bare });

  sources = {
    ledger: p.ledger,
    slaIndex: new SlaIndex(p.redis.client, p.redis.prefix),
    ticketStates: new TicketStateStore(p.redis.client, p.redis.prefix),
  };
  const app = express();
  app.use(
    createHelpscoutAppRouter({
      catalog: catalog(),
      ...sources,
      logger: pino({ level: 'silent' }),
      maxBodyBytes: 4096,
    }),
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await p?.close();
});

/** POSTs `body` as Help Scout posts to a Dynamic App: JSON, signed with `secret`. */
async function post(
  body: string,
  init: { secret?: string | null; tenant?: string; signature?: string } = {},
) {
  const secret = init.secret === undefined ? APP_SECRET : init.secret;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = init.signature ?? (secret === null ? null : signHelpscoutWebhook(body, secret));
  if (signature !== null) headers['x-helpscout-signature'] = signature;
  const res = await fetch(`${url}/apps/helpscout/${init.tenant ?? TENANT}`, {
    method: 'POST',
    headers,
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const withTicket = (ticket: unknown) => JSON.stringify({ ...JSON.parse(FIXTURE), ticket });

describe('POST /apps/helpscout/:tenantId (Help Scout Dynamic App, real pipeline and Redis)', () => {
  it('answers the signed request with the plan, contract, usage, quota state and dues as html', async () => {
    const res = await post(FIXTURE);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['html']);
    const html: string = res.body.html;
    expect(html).toContain('Product X Standard');
    // Both limits of the plan, one ticket counted in each.
    expect(html).toContain('1 of 25 tickets used');
    expect(html).toContain('1 of 50 tickets used');
    expect(html).toContain('24 remaining');
    expect(html).toContain('Within allowance');
    // The dues, with their instants in the tenant's zone (Asia/Tokyo).
    const summary = (await ticketSummaryOf(
      (await catalog().get(TENANT))!,
      String(CONVERSATION),
      sources,
      Date.now(),
    ))!;
    expect(summary.dues.map((d) => d.metric)).toEqual(['firstResponse', 'resolution']);
    expect(html).toContain('First response');
    expect(html).toContain('Resolution');
    for (const due of summary.dues) {
      expect(html).toContain(`due ${formatInstant(due.due, 'en', 'Asia/Tokyo')}`);
    }
    expect(html).toMatch(/in \d+(d|h|m)/);
    // Help Scout's sidebar list markup, and the tenant's dashboard on deskplan's origin.
    expect(html).toContain('<ul class="c-sb-list c-sb-list--two-line">');
    expect(html).toContain(`<a href="${url}/tenants/${TENANT}" target="_blank"`);
    expect(html).not.toMatch(/style=|<script/i);
  });

  it('escapes markup from the config (a contract name with a script in it)', async () => {
    const { body } = await post(FIXTURE);
    expect(body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Acme &amp; &quot;Co&quot;');
    expect(body.html).not.toContain('<script>');
  });

  it('accepts the previous secret key while it is rotated', async () => {
    const res = await post(FIXTURE, { secret: OLD_APP_SECRET });
    expect(res.status).toBe(200);
    expect(res.body.html).toContain('Product X Standard');
  });

  it('refuses a wrong or missing signature (401), and the webhook secret is not the app key', async () => {
    for (const init of [
      { secret: 'someone-else' },
      { secret: SECRET },
      { secret: null },
      { signature: 'not-base64!' },
    ]) {
      const res = await post(FIXTURE, init);
      expect(res.status, JSON.stringify(init)).toBe(401);
      expect(res.body.error.message).toMatch(/X-HelpScout-Signature|secret key/);
      expect(JSON.stringify(res.body)).not.toContain('Product X');
    }
    // A body changed after signing.
    const signature = signHelpscoutWebhook(FIXTURE, APP_SECRET);
    expect((await post(withTicket({ id: 302 }), { signature })).status).toBe(401);
  });

  it('answers the same 404 for an unknown tenant, a Zendesk tenant and a Help Scout tenant without the app', async () => {
    const answers = await Promise.all(
      ['no-such-tenant', 'zendesk-desk', 'bare-helpscout'].map(async (tenant) => {
        const res = await post(FIXTURE, { tenant });
        return { status: res.status, message: res.body.error.message.replace(tenant, 'X') };
      }),
    );
    expect(answers).toEqual(
      Array(3).fill({ status: 404, message: "no Help Scout app for tenant 'X'" }),
    );
  });

  it('refuses a signed body that is not a Help Scout app request (400), and a huge one (413)', async () => {
    const notJson = await post('ticket=301');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toBe('the body is not JSON');
    const badId = await post(withTicket({ id: 'abc', subject: 'x' }));
    expect(badId.status).toBe(400);
    expect(badId.body.error.details.join()).toMatch(/ticket\.id/);
    const huge = await post(withTicket({ id: CONVERSATION, subject: 'x'.repeat(5000) }));
    expect(huge.status).toBe(413);
  });

  it('says so, kindly, for a conversation deskplan has not seen and for a draft', async () => {
    const unknown = await post(withTicket({ id: 999999, number: 1, subject: 'New' }));
    expect(unknown.status).toBe(200);
    expect(unknown.body.html).toBe(
      '<p class="muted">deskplan has not handled this conversation yet.</p>',
    );
    const draft = await post(withTicket(false));
    expect(draft.status).toBe(200);
    expect(draft.body.html).toContain('once the conversation is sent');
  });

  it("speaks the tenant's language (ja)", async () => {
    await saveTenant((c) => (c.locale = 'ja'));
    try {
      const { status, body } = await post(FIXTURE);
      expect(status).toBe(200);
      expect(body.html).toContain('プラン');
      expect(body.html).toContain('25 件中 1 使用');
      expect(body.html).toContain('初回応答');
      expect(body.html).toContain('deskplan で開く');
    } finally {
      await saveTenant(() => {});
    }
  });
});
