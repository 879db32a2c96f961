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
});
