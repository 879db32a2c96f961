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

describe('Zendesk backfill listings', () => {
  const exported = (t: {
    id: number;
    created_at: string;
    updated_at: string;
    status?: string;
  }) => ({
    subject: `Ticket ${t.id}`,
    status: 'open',
    tags: [],
    ...t,
  });
  const exportPage = {
    tickets: [
      exported({ id: 1, created_at: '2026-10-20T08:00:00Z', updated_at: '2026-11-02T09:00:00Z' }),
      exported({ id: 2, created_at: '2026-11-01T10:00:00Z', updated_at: '2026-11-03T10:00:00Z' }),
      exported({
        id: 3,
        created_at: '2026-10-21T08:00:00Z',
        updated_at: '2026-11-04T09:00:00Z',
        status: 'deleted',
      }),
    ],
    after_cursor: 'MTc2MTk1NTIwMDoz',
    end_of_stream: false,
  };
  const createdFrom = '2026-11-01T00:00:00.000Z';
  const fromS = String(Date.parse(createdFrom) / 1000);

  it('lists only tickets created since the start, unless asked for older ones updated since', async () => {
    const query = { include: 'organizations,users', exclude_deleted: 'true', start_time: fromS };
    nock(api)
      .get('/api/v2/incremental/tickets/cursor.json')
      .query(query)
      .twice()
      .reply(200, exportPage);
    const onlyNew = await client.listTickets!({ createdFrom, cursor: null });
    const withUpdated = await client.listTickets!({ createdFrom, cursor: null, alsoUpdated: true });
    expect(onlyNew.tickets.map((t) => t.id)).toEqual(['2']);
    expect(withUpdated.tickets.map((t) => t.id)).toEqual(['1', '2']); // never the deleted one
    expect(withUpdated.nextCursor).toBe('MTc2MTk1NTIwMDoz');
  });

  it('resumes an alsoUpdated listing from a saved cursor, ending at the end of the stream', async () => {
    nock(api)
      .get('/api/v2/incremental/tickets/cursor.json')
      .query({
        include: 'organizations,users',
        exclude_deleted: 'true',
        cursor: 'MTc2MTk1NTIwMDoz',
      })
      .reply(200, { ...exportPage, tickets: exportPage.tickets.slice(0, 1), end_of_stream: true });
    const page = await client.listTickets!({
      createdFrom,
      cursor: 'MTc2MTk1NTIwMDoz',
      alsoUpdated: true,
    });
    expect(page).toMatchObject({ tickets: [{ id: '1' }], nextCursor: null });
  });

  const comment = (id: number, author: number, at: string, isPublic = true) => ({
    id,
    type: 'Comment',
    author_id: author,
    body: `comment ${id}`,
    public: isPublic,
    created_at: at,
    some_new_field: { x: 1 },
  });
  const users = [
    { id: 11, name: 'Ana', role: 'agent' },
    { id: 12, name: 'Bo', role: 'admin' },
    { id: 20, name: 'Customer', role: 'end-user' },
  ];

  it('lists the public replies of agents and admins over every page, oldest first, with their ids', async () => {
    nock(api)
      .get('/api/v2/tickets/77/comments.json')
      .query({ include: 'users', 'page[size]': '100' })
      .reply(200, {
        comments: [
          // The description: not a reply, even when an agent opened the ticket.
          comment(501, 11, '2026-11-02T08:00:00Z'),
          comment(502, 20, '2026-11-02T09:00:00Z'),
          comment(503, 11, '2026-11-02T10:00:00Z'),
          comment(504, 11, '2026-11-02T10:30:00Z', false), // internal note
        ],
        users,
        meta: { has_more: true, after_cursor: 'c2', before_cursor: null },
        // Never followed: only the cursor is sent, to the account's own host.
        links: { next: 'https://evil.example/api/v2/tickets/77/comments.json?page[after]=c2' },
      });
    nock(api)
      .get('/api/v2/tickets/77/comments.json')
      .query({ include: 'users', 'page[size]': '100', 'page[after]': 'c2' })
      .reply(200, {
        comments: [
          comment(505, 12, '2026-11-03T11:00:00Z'),
          comment(506, 99, '2026-11-03T12:00:00Z'), // author not side-loaded: not guessed
          comment(507, 20, '2026-11-03T13:00:00Z'),
        ],
        users: users.slice(1),
        meta: { has_more: false, after_cursor: null },
        links: { next: null },
      });
    expect(await client.listReplies!('77')).toEqual([
      { id: '503', at: '2026-11-02T10:00:00.000Z' },
      { id: '505', at: '2026-11-03T11:00:00.000Z' },
    ]);
  });

  it('takes the cursor from links.next when meta has none', async () => {
    nock(api)
      .get('/api/v2/tickets/77/comments.json')
      .query({ include: 'users', 'page[size]': '100' })
      .reply(200, {
        comments: [comment(501, 20, '2026-11-02T08:00:00Z')],
        users,
        meta: { has_more: true },
        links: { next: `${api}/api/v2/tickets/77/comments.json?page[size]=100&page[after]=xyz` },
      });
    nock(api)
      .get('/api/v2/tickets/77/comments.json')
      .query({ include: 'users', 'page[size]': '100', 'page[after]': 'xyz' })
      .reply(200, { comments: [comment(502, 12, '2026-11-02T09:00:00Z')], users });
    expect(await client.listReplies!('77')).toEqual([
      { id: '502', at: '2026-11-02T09:00:00.000Z' },
    ]);
  });

  it('fails rather than loop when Zendesk keeps giving the same cursor', async () => {
    const same = {
      comments: [comment(501, 20, '2026-11-02T08:00:00Z')],
      users,
      meta: { has_more: true, after_cursor: 'c2' },
    };
    nock(api).get('/api/v2/tickets/77/comments.json').query(true).twice().reply(200, same);
    const error = await client.listReplies!('77').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorRejectedError);
  });

  it('turns a 429 on the comments into a rate limit with its Retry-After', async () => {
    nock(api)
      .get('/api/v2/tickets/77/comments.json')
      .query(true)
      .reply(429, { error: 'APIRateLimitExceeded' }, { 'retry-after': '7' });
    const error = await client.listReplies!('77').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect((error as VendorRateLimitedError).retryAfterMs).toBe(7000);
  });
});
