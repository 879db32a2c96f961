import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  VendorConflictError,
  VendorRateLimitedError,
  VendorRejectedError,
  VendorUnavailableError,
} from '../../../../connectors/core/errors.js';
import type { TicketPatch } from '../../../../connectors/core/ticket-patch.js';
import { createZendeskClient } from '../../../../connectors/zendesk/client.js';
import { zendeskConnectionSchema } from '../../../../connectors/zendesk/connection-schema.js';

const connection = zendeskConnectionSchema.parse({
  vendor: 'zendesk',
  subdomain: 'acme',
  auth: { email: 'agent@acme.example', apiToken: 'tok' },
  webhookSecrets: ['s'],
  dueFields: { firstResponse: 9001, resolution: 9002 },
  accountAttributes: ['licenses'],
});
const api = 'https://acme.zendesk.com';
const show = JSON.parse(
  readFileSync(new URL('../../../fixtures/zendesk/show-ticket.json', import.meta.url), 'utf8'),
);
const client = createZendeskClient(connection, { timeoutMs: 2000 });
const patch: TicketPatch = {
  addTags: ['deskplan_plan_premium'],
  removeTags: ['deskplan_within_quota'],
  priority: 'urgent',
  dues: { resolution: '2026-11-24T04:00:00.000Z' },
  note: 'deskplan: Premium plan',
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('Zendesk REST client', () => {
  it('reads a ticket with its organisation and requester in one request', async () => {
    nock(api)
      .get('/api/v2/tickets/35436.json')
      .query({ include: 'organizations,users' })
      .basicAuth({ user: 'agent@acme.example/token', pass: 'tok' })
      .reply(200, show);
    const ticket = await client.fetchTicket('35436');
    expect(ticket).toMatchObject({
      id: '35436',
      status: { category: 'open' },
      tags: ['vip', 'deskplan_within_quota'],
      account: {
        id: '1001',
        name: 'Acme',
        emailDomain: 'acme.example',
        attributes: { licenses: 80 },
      },
      customFields: {
        'deskplan.firstResponse': '2024-04-17T18:18:10.000Z',
        'deskplan.resolution': null,
      },
      vendorSpecific: { updatedStamp: '2024-04-17T17:20:01Z' },
    });
    expect(ticket.account?.attributes).not.toHaveProperty('region');
  });

  it('writes a patch in exactly one safe update that leaves other tags alone', async () => {
    const ticket = await (async () => {
      nock(api).get('/api/v2/tickets/35436.json').query(true).reply(200, show);
      return client.fetchTicket('35436');
    })();
    let sent: unknown;
    nock(api)
      .put('/api/v2/tickets/35436.json', (body) => ((sent = body), true))
      .reply(200, { ticket: show.ticket });
    await client.applyPatch(ticket, patch);
    expect(sent).toEqual({
      ticket: {
        additional_tags: ['deskplan_plan_premium'],
        remove_tags: ['deskplan_within_quota'],
        priority: 'urgent',
        custom_fields: [{ id: 9002, value: '2026-11-24T04:00:00.000Z' }],
        comment: { body: 'deskplan: Premium plan', public: false },
        safe_update: true,
        updated_stamp: '2024-04-17T17:20:01Z',
      },
    });
  });

  it('sends nothing for an empty patch', async () => {
    nock(api).get('/api/v2/tickets/35436.json').query(true).reply(200, show);
    const ticket = await client.fetchTicket('35436');
    await client.applyPatch(ticket, {
      addTags: [],
      removeTags: [],
      priority: null,
      dues: {},
      note: null,
    });
  });

  it.each([
    [429, { 'Retry-After': '7' }, { error: 'APIRateLimitExceeded' }, VendorRateLimitedError],
    [409, {}, { error: 'UpdateConflict' }, VendorConflictError],
    [500, {}, { error: 'InternalServerError' }, VendorUnavailableError],
    [422, {}, { error: 'RecordInvalid', description: 'Ticket is closed' }, VendorRejectedError],
  ] as const)(
    'turns HTTP %i into the error the worker acts on',
    async (status, headers, body, type) => {
      nock(api).get('/api/v2/tickets/1.json').query(true).reply(status, body, headers);
      const error = await client.fetchTicket('1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      if (status === 429) expect((error as VendorRateLimitedError).retryAfterMs).toBe(7000);
      if (status === 422) expect((error as Error).message).toContain('Ticket is closed');
    },
  );

  it('reports the due fields it can hold', () => {
    expect(client.dueMetrics).toEqual(['firstResponse', 'resolution']);
  });

  it('uses a bearer token and a base URL when configured that way', async () => {
    const local = createZendeskClient(
      zendeskConnectionSchema.parse({
        vendor: 'zendesk',
        baseUrl: 'http://127.0.0.1:4010',
        auth: { oauthToken: 'oauth-abc' },
        webhookSecrets: ['s'],
      }),
    );
    nock('http://127.0.0.1:4010', { reqheaders: { authorization: 'Bearer oauth-abc' } })
      .get('/api/v2/tickets/7.json')
      .query({ include: 'organizations,users' })
      .reply(200, { ticket: { ...show.ticket, id: 7 } });
    expect((await local.fetchTicket('7')).id).toBe('7');
  });

  it('turns a 409 on the safe update into a conflict the worker re-reads on', async () => {
    nock(api).get('/api/v2/tickets/35436.json').query(true).reply(200, show);
    const ticket = await client.fetchTicket('35436');
    nock(api)
      .put('/api/v2/tickets/35436.json')
      .once()
      .reply(409, { error: 'UpdateConflict', description: 'Safe Update prevented the update' });
    const error = await client.applyPatch(ticket, patch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorConflictError);
    expect((error as Error).message).toMatch(/^Zendesk update ticket 35436: HTTP 409/);
  });

  it("turns a 422 on a closed ticket into a rejection carrying Zendesk's description", async () => {
    nock(api).get('/api/v2/tickets/35436.json').query(true).reply(200, show);
    const ticket = await client.fetchTicket('35436');
    nock(api)
      .put('/api/v2/tickets/35436.json')
      .reply(422, { error: 'RecordInvalid', description: 'Ticket is closed' });
    const error = await client.applyPatch(ticket, patch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorRejectedError);
    expect((error as VendorRejectedError).retryable).toBe(false);
    expect((error as Error).message).toContain('Ticket is closed');
  });
});
