import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  VendorConflictError,
  VendorRateLimitedError,
  VendorRejectedError,
} from '../../../../connectors/core/errors.js';
import { createHelpscoutClient } from '../../../../connectors/helpscout/client.js';
import { helpscoutConnectionSchema } from '../../../../connectors/helpscout/connection-schema.js';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../fixtures/helpscout/${name}.json`, import.meta.url), 'utf8'),
  );
const api = 'https://api.helpscout.net';
const connection = helpscoutConnectionSchema.parse({
  vendor: 'helpscout',
  auth: { appId: 'app', appSecret: 'sec' },
  webhookSecrets: ['s'],
  dueFields: { resolution: 104 },
});
const conversation = fixture('conversation');
const token = (value: string, times = 1) =>
  nock(api)
    .post('/v2/oauth2/token', {
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 'sec',
    })
    .times(times)
    .reply(200, { token_type: 'bearer', access_token: value, expires_in: 172800 });
const bearer = (value: string) => ({ reqheaders: { authorization: `Bearer ${value}` } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('Help Scout REST client', () => {
  it('reads the conversation with threads, its customer and organisation, on one cached token', async () => {
    token('t1');
    nock(api, bearer('t1'))
      .get('/v2/conversations/23')
      .query({ embed: 'threads' })
      .reply(200, conversation)
      .get('/v2/customers/100')
      .reply(200, fixture('customer'))
      .get('/v2/organizations/7')
      .reply(200, fixture('organization'));
    const client = createHelpscoutClient(connection);
    const ticket = await client.fetchTicket('23');
    expect(ticket).toMatchObject({
      id: '23',
      account: { id: '7', name: 'Test Company', emailDomain: 'testcompany.com' },
      firstAgentReplyAt: '2023-06-15T12:05:00.000Z',
      customFields: { 'deskplan.resolution': '2023-06-16' },
    });
    expect(client.token.fetches).toBe(1);
  });

  it('renews a refused token and retries the call once', async () => {
    token('old');
    token('new');
    nock(api)
      .get('/v2/conversations/23')
      .matchHeader('authorization', 'Bearer old')
      .query(true)
      .reply(401, { error: 'invalid_token' })
      .get('/v2/conversations/23')
      .matchHeader('authorization', 'Bearer new')
      .query(true)
      .reply(200, conversation);
    const client = createHelpscoutClient({ ...connection, readOrganization: false });
    await expect(client.fetchTicket('23')).resolves.toMatchObject({ id: '23' });
    expect(client.token.fetches).toBe(2);
  });

  it('a second 401 is a rejection, not a loop', async () => {
    token('a');
    token('b');
    nock(api).get('/v2/conversations/23').query(true).times(2).reply(401, {});
    const client = createHelpscoutClient({ ...connection, readOrganization: false });
    await expect(client.fetchTicket('23')).rejects.toBeInstanceOf(VendorRejectedError);
  });

  it('wrong app credentials are a rejection', async () => {
    nock(api).post('/v2/oauth2/token').reply(401, { error: 'invalid_client' });
    const client = createHelpscoutClient(connection);
    await expect(client.fetchTicket('23')).rejects.toBeInstanceOf(VendorRejectedError);
  });

  it('a 429 carries X-RateLimit-Retry-After as the delay', async () => {
    token('t');
    nock(api)
      .get('/v2/conversations/23')
      .query(true)
      .reply(429, { message: 'Too many requests' }, { 'X-RateLimit-Retry-After': '17' });
    const client = createHelpscoutClient(connection);
    const error = await client.fetchTicket('23').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect((error as VendorRateLimitedError).retryAfterMs).toBe(17_000);
  });

  it('merges into a fresh read, writes tags and fields, checks them, then adds the note', async () => {
    token('t');
    const after = {
      ...conversation,
      tags: [{ tag: 'vip' }, { tag: 'escalated' }, { tag: 'deskplan_within_quota' }],
      customFields: [
        { id: 8, value: '6' },
        { id: 104, value: '2026-11-24' },
      ],
    };
    const fresh = { ...conversation, tags: [{ tag: 'vip' }, { tag: 'escalated' }] };
    nock(api)
      .get('/v2/conversations/23')
      .reply(200, fresh)
      .put('/v2/conversations/23/tags', { tags: ['vip', 'escalated', 'deskplan_within_quota'] })
      .reply(204)
      .put('/v2/conversations/23/fields', {
        fields: [
          { id: 8, value: '6' },
          { id: 104, value: '2026-11-24' },
        ],
      })
      .reply(204)
      .get('/v2/conversations/23')
      .reply(200, after)
      .post('/v2/conversations/23/notes', (b: { text: string }) =>
        b.text.includes('Resolution due: 2026-11-24T04:00:00.000Z'),
      )
      .reply(201, '', { 'Resource-ID': '99' });
    await createHelpscoutClient(connection).applyPatch({ id: '23' } as never, {
      addTags: ['deskplan_within_quota'],
      removeTags: [],
      priority: null,
      dues: { resolution: '2026-11-24T04:00:00.000Z' },
      note: 'deskplan: plan',
    });
  });

  it('gives up with a conflict when a concurrent writer replaces our tags twice', async () => {
    token('t');
    const base = { ...conversation, tags: [{ tag: 'vip' }] };
    nock(api)
      .get('/v2/conversations/23')
      .times(4)
      .reply(200, base)
      .put('/v2/conversations/23/tags')
      .times(2)
      .reply(204);
    const client = createHelpscoutClient(connection);
    await expect(
      client.applyPatch({ id: '23' } as never, {
        addTags: ['deskplan_within_quota'],
        removeTags: [],
        priority: null,
        dues: {},
        note: 'never written',
      }),
    ).rejects.toBeInstanceOf(VendorConflictError);
  });

  it('finds a note by its marker in the threads', async () => {
    token('t');
    nock(api)
      .get('/v2/conversations/23/threads')
      .query({ page: 1 })
      .times(2)
      .reply(200, fixture('threads'));
    const client = createHelpscoutClient(connection);
    await expect(client.findNote!('23', 'deskplan ref 0123456789ab')).resolves.toBe(true);
    await expect(client.findNote!('23', 'deskplan ref ffffffffffff')).resolves.toBe(false);
  });

  describe('backfill of replies', () => {
    const FROM = '2026-03-01T00:00:00.000Z';
    const user = { id: 4, type: 'user', email: 'agent@helpscout.com' };
    const customer = { id: 100, type: 'customer', email: 'john@testcompany.com' };
    type T = { id: number; type: string; state?: string; at: string; by: object };
    const thread = (t: T) => ({
      id: t.id,
      type: t.type,
      status: 'active',
      state: t.state ?? 'published',
      body: t.type,
      createdBy: t.by,
      createdAt: t.at,
    });
    /** A conversation as a listing renders it: threads newest first, with their count. */
    const listed = (id: number, createdAt: string, threads: T[], more: object = {}) => ({
      ...conversation,
      id,
      createdAt,
      userUpdatedAt: createdAt,
      threads: threads.length,
      _embedded: { threads: threads.map(thread).reverse() },
      ...more,
    });
    const opening = (id: number, at: string): T => ({ id, type: 'customer', at, by: customer });
    const page = (conversations: object[]) => ({
      _embedded: { conversations },
      page: { size: 25, totalElements: conversations.length, totalPages: 1, number: 1 },
    });
    const noOrg = { ...connection, readOrganization: false };
    const listQuery = (since: object) => ({
      status: 'all',
      sortField: 'createdAt',
      sortOrder: 'asc',
      embed: 'threads',
      page: 1,
      ...since,
    });

    // 40: created before the period, answered in it. 41: created before, untouched since.
    // 42: created in the period.
    const older = listed(40, '2026-02-20T09:00:00Z', [
      opening(400, '2026-02-20T09:00:00Z'),
      { id: 401, type: 'reply', at: '2026-03-02T10:00:00Z', by: user },
    ]);
    const stale = listed(41, '2026-02-10T09:00:00Z', [opening(410, '2026-02-10T09:00:00Z')]);
    const fresh = listed(42, '2026-03-03T09:00:00Z', [opening(420, '2026-03-03T09:00:00Z')]);

    it('with alsoUpdated lists by modification, keeping older conversations answered since', async () => {
      token('t');
      nock(api)
        .get('/v2/conversations')
        .query(listQuery({ modifiedSince: '2026-02-28T23:59:59Z' }))
        .reply(200, page([stale, older, fresh]));
      const result = await createHelpscoutClient(noOrg).listTickets!({
        createdFrom: FROM,
        cursor: null,
        alsoUpdated: true,
      });
      expect(result.tickets.map((t) => t.id)).toEqual(['40', '42']);
      expect(result.nextCursor).toBeNull();
    });

    it('without alsoUpdated an older conversation is still dropped, whatever the search returns', async () => {
      token('t');
      nock(api)
        .get('/v2/conversations')
        .query(listQuery({ query: '(createdAt:[2026-03-01T00:00:00Z TO *])' }))
        .reply(200, page([older, fresh]));
      const result = await createHelpscoutClient(noOrg).listTickets!({
        createdFrom: FROM,
        cursor: null,
      });
      expect(result.tickets.map((t) => t.id)).toEqual(['42']);
    });

    it('answers the replies of a conversation it just listed from the embedded threads, without a call', async () => {
      token('t');
      const busy = listed(43, '2026-03-01T08:00:00Z', [
        opening(430, '2026-03-01T08:00:00Z'),
        { id: 431, type: 'note', at: '2026-03-01T08:10:00Z', by: user },
        { id: 432, type: 'reply', at: '2026-03-01T09:00:00Z', by: user },
        { id: 433, type: 'customer', at: '2026-03-01T10:00:00Z', by: customer },
        { id: 434, type: 'reply', state: 'draft', at: '2026-03-01T11:00:00Z', by: user },
        { id: 435, type: 'reply', at: '2026-03-01T12:00:00Z', by: user },
      ]);
      nock(api)
        .get('/v2/conversations')
        .query(true)
        .reply(200, page([busy]));
      const client = createHelpscoutClient(noOrg);
      await client.listTickets!({ createdFrom: FROM, cursor: null, alsoUpdated: true });
      // nock has nothing more: a call here would fail.
      await expect(client.listReplies!('43')).resolves.toEqual([
        { id: '432', at: '2026-03-01T09:00:00.000Z' },
        { id: '435', at: '2026-03-01T12:00:00.000Z' },
      ]);
    });

    it('reads every page of threads otherwise, and keeps only the published agent replies', async () => {
      token('t');
      // Newest first, 50 a page in Help Scout; two small pages here. The conversation was
      // opened by an agent (an outgoing message): that opening is not a reply.
      const newest = [
        { id: 509, type: 'chat', at: '2026-03-05T10:00:00Z', by: user },
        { id: 508, type: 'lineitem', at: '2026-03-05T09:00:00Z', by: user },
        { id: 507, type: 'reply', state: 'underreview', at: '2026-03-05T08:00:00Z', by: user },
        { id: 506, type: 'reply', state: 'hidden', at: '2026-03-05T07:00:00Z', by: user },
        { id: 505, type: 'phone', at: '2026-03-05T06:00:00Z', by: user },
      ];
      const oldest = [
        { id: 504, type: 'reply', at: '2026-03-04T12:00:00Z', by: user },
        { id: 503, type: 'customer', at: '2026-03-04T11:00:00Z', by: customer },
        { id: 502, type: 'note', at: '2026-03-04T10:30:00Z', by: user },
        { id: 501, type: 'message', at: '2026-03-04T10:00:00Z', by: user },
        { id: 500, type: 'lineitem', at: '2026-03-04T10:00:00Z', by: user },
      ];
      const threadPage = (threads: T[], number: number) => ({
        _embedded: { threads: threads.map(thread) },
        page: { size: 5, totalElements: 10, totalPages: 2, number },
      });
      nock(api)
        .get('/v2/conversations/50/threads')
        .query({ page: 1 })
        .reply(200, threadPage(newest, 1))
        .get('/v2/conversations/50/threads')
        .query({ page: 2 })
        .reply(200, threadPage(oldest, 2));
      await expect(createHelpscoutClient(noOrg).listReplies!('50')).resolves.toEqual([
        { id: '504', at: '2026-03-04T12:00:00.000Z' },
        { id: '509', at: '2026-03-05T10:00:00.000Z' },
      ]);
    });

    it('reads the threads of a listed chat conversation again (a listing truncates chats)', async () => {
      token('t');
      const chat = listed(44, '2026-03-01T08:00:00Z', [opening(440, '2026-03-01T08:00:00Z')], {
        type: 'chat',
      });
      nock(api)
        .get('/v2/conversations')
        .query(true)
        .reply(200, page([chat]))
        .get('/v2/conversations/44/threads')
        .query({ page: 1 })
        .reply(200, {
          _embedded: {
            threads: [
              thread({ id: 441, type: 'chat', at: '2026-03-01T08:01:00Z', by: user }),
              thread(opening(440, '2026-03-01T08:00:00Z')),
            ],
          },
          page: { size: 50, totalElements: 2, totalPages: 1, number: 1 },
        });
      const client = createHelpscoutClient(noOrg);
      await client.listTickets!({ createdFrom: FROM, cursor: null });
      await expect(client.listReplies!('44')).resolves.toEqual([
        { id: '441', at: '2026-03-01T08:01:00.000Z' },
      ]);
    });

    it('a 429 while reading threads is a VendorRateLimitedError', async () => {
      token('t');
      nock(api)
        .get('/v2/conversations/50/threads')
        .query({ page: 1 })
        .reply(429, { message: 'Too many requests' }, { 'X-RateLimit-Retry-After': '9' });
      const error = await createHelpscoutClient(noOrg).listReplies!('50').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorRateLimitedError);
      expect((error as VendorRateLimitedError).retryAfterMs).toBe(9_000);
    });
  });
});
