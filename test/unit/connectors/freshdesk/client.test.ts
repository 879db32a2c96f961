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
import { createFreshdeskClient } from '../../../../connectors/freshdesk/client.js';
import { freshdeskConnectionSchema } from '../../../../connectors/freshdesk/connection-schema.js';

const json = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/freshdesk/${name}`, import.meta.url), 'utf8'));
const view = json('view-ticket.json');
const connection = freshdeskConnectionSchema.parse({
  vendor: 'freshdesk',
  domain: 'acme',
  apiKey: 'fd-key',
  webhookSecrets: ['current-secret-0123456789'],
  accountAttributes: ['licenses'],
});
const api = 'https://acme.freshdesk.com';
const client = createFreshdeskClient(connection, { timeoutMs: 2000 });
const patch: TicketPatch = {
  addTags: ['deskplan_plan_premium'],
  removeTags: ['deskplan_within_quota'],
  priority: 'urgent',
  dues: { resolution: '2026-11-26T01:00:00.000Z' },
  note: 'deskplan: Premium plan\n(deskplan ref n1)',
};
const ticket = { id: '20' } as Parameters<typeof client.applyPatch>[0];

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('Freshdesk REST client', () => {
  it('reads a ticket with company, requester, stats, and the company for its fields', async () => {
    nock(api)
      .get('/api/v2/tickets/20')
      .query({ include: 'company,requester,stats' })
      .basicAuth({ user: 'fd-key', pass: 'X' })
      .reply(200, view);
    nock(api).get('/api/v2/companies/1001').reply(200, json('company.json'));
    const t = await client.fetchTicket('20');
    expect(t).toMatchObject({
      id: '20',
      status: { category: 'open', detail: 'Open' },
      priority: { category: 'normal', detail: 'Medium' },
      tags: ['vip', 'billing issue', 'deskplan_within_quota'],
      requester: { id: '1', email: 'taro@acme.example' },
      account: {
        id: '1001',
        name: 'Acme',
        emailDomain: 'acme.example',
        attributes: { licenses: 80 },
      },
      firstAgentReplyAt: '2026-11-24T01:30:00.000Z',
      channel: { category: 'web', detail: '2' },
      customFields: {
        'deskplan.firstResponse': '2026-11-25T01:00:00.000Z',
        'deskplan.resolution': '2026-11-27T01:00:00.000Z',
      },
    });
    expect(t.account?.attributes).not.toHaveProperty('region');
  });

  it('writes by read-merge-write, checks the tags held, then adds one private note', async () => {
    const bodies: unknown[] = [];
    const merged = ['vip', 'billing issue', 'deskplan_plan_premium'];
    nock(api)
      .get('/api/v2/tickets/20')
      .reply(200, view)
      .put('/api/v2/tickets/20', (b) => (bodies.push(b), true))
      .reply(200, { ...view, tags: merged })
      .get('/api/v2/tickets/20')
      .reply(200, { ...view, tags: merged })
      .post('/api/v2/tickets/20/notes', (b) => (bodies.push(b), true))
      .reply(201, { id: 9, private: true });
    await client.applyPatch(ticket, patch);
    expect(bodies).toEqual([
      {
        tags: merged,
        priority: 4,
        fr_due_by: '2026-11-25T01:00:00.000Z',
        due_by: '2026-11-26T01:00:00.000Z',
      },
      { body: 'deskplan: Premium plan<br>(deskplan ref n1)', private: true },
    ]);
  });

  it("merges again once when a concurrent save dropped deskplan's tags, keeping the agent's", async () => {
    const puts: { tags: string[] }[] = [];
    const agents = ['vip', 'billing issue', 'deskplan_within_quota', 'agent_added'];
    nock(api)
      .get('/api/v2/tickets/20')
      .reply(200, view)
      .put('/api/v2/tickets/20', (b) => (puts.push(b), true))
      .reply(200, view)
      .get('/api/v2/tickets/20')
      .reply(200, { ...view, tags: agents }) // the agent's save replaced ours
      .get('/api/v2/tickets/20')
      .reply(200, { ...view, tags: agents })
      .put('/api/v2/tickets/20', (b) => (puts.push(b), true))
      .reply(200, view)
      .get('/api/v2/tickets/20')
      .reply(200, {
        ...view,
        tags: ['vip', 'billing issue', 'agent_added', 'deskplan_plan_premium'],
      });
    await client.applyPatch(ticket, { ...patch, note: null });
    expect(puts[1]!.tags).toEqual(['vip', 'billing issue', 'agent_added', 'deskplan_plan_premium']);
  });

  it('gives up with a conflict when the tags are replaced twice', async () => {
    const scope = nock(api);
    for (let i = 0; i < 2; i++) {
      scope.get('/api/v2/tickets/20').reply(200, view).put('/api/v2/tickets/20').reply(200, view);
      scope.get('/api/v2/tickets/20').reply(200, view);
    }
    await expect(client.applyPatch(ticket, { ...patch, note: null })).rejects.toBeInstanceOf(
      VendorConflictError,
    );
  });

  it('sends no update when only refused due dates changed', async () => {
    nock(api)
      .get('/api/v2/tickets/20')
      .reply(200, { ...view, status: 5 });
    await client.applyPatch(ticket, {
      addTags: [],
      removeTags: [],
      priority: null,
      dues: { resolution: '2026-11-26T01:00:00Z' },
      note: null,
    });
  });

  it('finds a note by its marker in the conversations', async () => {
    nock(api)
      .get('/api/v2/tickets/20/conversations')
      .query({ page: 1, per_page: 100 })
      .reply(200, json('conversations.json'));
    expect(await client.findNote!('20', 'deskplan ref acme-desk:20:body-0f3a')).toBe(true);
    nock(api).get('/api/v2/tickets/20/conversations').query(true).reply(200, []);
    expect(await client.findNote!('20', 'deskplan ref other')).toBe(false);
  });

  it.each([
    [
      429,
      { 'Retry-After': '7', 'X-RateLimit-Remaining': '0' },
      { message: 'rate limited' },
      VendorRateLimitedError,
    ],
    [409, {}, { code: 'inconsistent_state' }, VendorConflictError],
    [412, {}, { code: 'precondition_failed' }, VendorConflictError],
    [500, {}, { code: 'internal_error' }, VendorUnavailableError],
    [
      400,
      {},
      {
        description: 'Validation failed',
        errors: [{ field: 'due_by', message: 'cannot be set', code: 'incompatible_field' }],
      },
      VendorRejectedError,
    ],
  ] as const)(
    'turns HTTP %i into the error the worker acts on',
    async (status, headers, body, type) => {
      nock(api).get('/api/v2/tickets/1').query(true).reply(status, body, headers);
      const error = await client.fetchTicket('1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      if (status === 429) expect((error as VendorRateLimitedError).retryAfterMs).toBe(7000);
      if (status === 400) expect((error as Error).message).toContain('cannot be set');
    },
  );

  it('reports the due dates it writes', () => {
    expect(client.dueMetrics).toEqual(['firstResponse', 'resolution']);
  });
});

/** A listing cursor as the client makes it (base64url JSON), and back. */
const cursorOf = (c: object) => Buffer.from(JSON.stringify(c)).toString('base64url');
const decode = (c: string | null) =>
  c === null ? null : JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
/** A ticket of a List All Tickets page, in no company. */
const row = (id: number, createdAt: string, updatedAt = createdAt) => ({
  ...view,
  id,
  company_id: null,
  created_at: createdAt,
  updated_at: updatedAt,
});

describe('Freshdesk listTickets: the page cap', () => {
  it('at page 300 starts the listing again from the last ticket created, and skips what it saw', async () => {
    const since = '2026-11-01T00:00:00Z';
    const full = Array.from({ length: 100 }, (_, i) =>
      row(1000 + i, `2026-11-0${i < 50 ? 2 : 3}T10:00:00Z`),
    );
    nock(api)
      .get('/api/v2/tickets')
      .query((q) => q.page === '300' && q.updated_since === since)
      .reply(200, full);
    const page300 = await client.listTickets!({
      createdFrom: since,
      cursor: cursorOf({ since, page: 300, after: null }),
    });
    expect(page300.tickets).toHaveLength(100);
    const next = decode(page300.nextCursor);
    expect(next).toEqual({
      since: '2026-11-03T10:00:00.000Z',
      page: 1,
      after: { createdAt: Date.parse('2026-11-03T10:00:00Z'), id: 1099 },
    });

    // The new listing begins with tickets already seen (same second, lower id) and an older one
    // updated since: both are dropped.
    nock(api)
      .get('/api/v2/tickets')
      .query((q) => q.page === '1' && q.updated_since === next.since)
      .reply(200, [
        row(50, '2026-10-20T00:00:00Z'),
        row(1098, '2026-11-03T10:00:00Z'),
        row(1099, '2026-11-03T10:00:00Z'),
        row(1100, '2026-11-03T10:00:00Z'),
        row(1101, '2026-11-04T08:00:00Z'),
      ]);
    const after = await client.listTickets!({ createdFrom: since, cursor: page300.nextCursor });
    expect(after.tickets.map((t) => t.id)).toEqual(['1100', '1101']);
    expect(after.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not make', async () => {
    await expect(
      client.listTickets!({ createdFrom: '2026-11-01T00:00:00Z', cursor: 'not-a-cursor' }),
    ).rejects.toBeInstanceOf(VendorRejectedError);
  });
});

describe('Freshdesk listTickets: tickets created earlier but updated since (alsoUpdated)', () => {
  const since = '2026-11-01T00:00:00Z';
  const page1 = [
    row(7, '2026-09-15T08:00:00Z', '2026-11-05T09:00:00Z'), // filed in September, answered since
    row(1001, '2026-11-02T10:00:00Z'),
  ];
  const listing = () =>
    nock(api)
      .get('/api/v2/tickets')
      .query(
        (q) =>
          q.updated_since === since &&
          q.order_by === 'created_at' &&
          q.order_type === 'asc' &&
          q.page === '1',
      )
      .reply(200, page1);

  it('lists an older ticket updated since the bound only when asked to', async () => {
    listing();
    const also = await client.listTickets!({ createdFrom: since, cursor: null, alsoUpdated: true });
    expect(also.tickets.map((t) => [t.id, t.createdAt])).toEqual([
      ['7', '2026-09-15T08:00:00.000Z'],
      ['1001', '2026-11-02T10:00:00.000Z'],
    ]);
    expect(also.nextCursor).toBeNull();

    listing();
    const only = await client.listTickets!({ createdFrom: since, cursor: null });
    expect(only.tickets.map((t) => t.id)).toEqual(['1001']);
  });

  it('at page 300 starts again from the last ticket created, never from before the bound, and skips what it saw', async () => {
    // Page 300: older tickets updated since come first (oldest-created first), then new ones.
    const full = [
      ...Array.from({ length: 30 }, (_, i) =>
        row(10 + i, '2026-08-01T00:00:00Z', '2026-11-04T00:00:00Z'),
      ),
      ...Array.from({ length: 70 }, (_, i) => row(2000 + i, '2026-11-03T10:00:00Z')),
    ];
    nock(api)
      .get('/api/v2/tickets')
      .query((q) => q.page === '300' && q.updated_since === since)
      .reply(200, full);
    const page300 = await client.listTickets!({
      createdFrom: since,
      cursor: cursorOf({ since, page: 300, after: null }),
      alsoUpdated: true,
    });
    expect(page300.tickets).toHaveLength(100);
    const next = decode(page300.nextCursor);
    expect(next).toEqual({
      since: '2026-11-03T10:00:00.000Z',
      page: 1,
      after: { createdAt: Date.parse('2026-11-03T10:00:00Z'), id: 2069 },
    });

    // The new listing holds older tickets updated since its bound (seen already), the last
    // ticket seen, and what is new: only the new ones come.
    nock(api)
      .get('/api/v2/tickets')
      .query((q) => q.page === '1' && q.updated_since === next.since)
      .reply(200, [
        row(10, '2026-08-01T00:00:00Z', '2026-11-04T00:00:00Z'),
        row(2069, '2026-11-03T10:00:00Z', '2026-11-04T00:00:00Z'),
        row(2070, '2026-11-03T10:00:00Z'),
        row(2071, '2026-11-04T08:00:00Z'),
      ]);
    const after = await client.listTickets!({
      createdFrom: since,
      cursor: page300.nextCursor,
      alsoUpdated: true,
    });
    expect(after.tickets.map((t) => t.id)).toEqual(['2070', '2071']);
    expect(after.nextCursor).toBeNull();
  });

  it('fails rather than list the same pages again when page 300 holds only tickets created before the bound', async () => {
    const old = Array.from({ length: 100 }, (_, i) =>
      row(10 + i, '2026-08-01T00:00:00Z', '2026-11-04T00:00:00Z'),
    );
    nock(api)
      .get('/api/v2/tickets')
      .query((q) => q.page === '300')
      .reply(200, old);
    await expect(
      client.listTickets!({
        createdFrom: since,
        cursor: cursorOf({ since, page: 300, after: null }),
        alsoUpdated: true,
      }),
    ).rejects.toBeInstanceOf(VendorRejectedError);
  });
});

describe('Freshdesk listReplies', () => {
  const conversation = (id: number, at: string, more: Record<string, unknown>) => ({
    id,
    body: `<div>c${id}</div>`,
    body_text: `c${id}`,
    incoming: false,
    private: false,
    source: 0,
    user_id: 7,
    ticket_id: 20,
    support_email: 'support@acme.freshdesk.com',
    to_emails: [],
    cc_emails: [],
    bcc_emails: null,
    attachments: [],
    created_at: at,
    updated_at: at,
    ...more,
  });

  it('keeps only public agent replies, oldest first, with their conversation ids, across pages', async () => {
    const page1 = [
      conversation(31, '2026-11-24T01:30:00Z', {}), // the agent's reply
      conversation(32, '2026-11-24T01:31:00Z', { private: true, source: 2 }), // private note
      conversation(33, '2026-11-24T02:00:00Z', { source: 2 }), // public note
      conversation(34, '2026-11-24T03:00:00Z', { incoming: true, user_id: 1 }), // customer reply
      conversation(35, '2026-11-24T04:00:00Z', { source: 8 }), // forward to a third party
      conversation(36, '2026-11-24T05:00:00Z', { structured_body: { x: 1 }, thread_id: 9 }),
      ...Array.from({ length: 94 }, (_, i) =>
        conversation(100 + i, '2026-11-24T06:00:00Z', { private: true, source: 2 }),
      ),
    ];
    nock(api)
      .get('/api/v2/tickets/20/conversations')
      .query({ page: 1, per_page: 100 })
      .reply(200, page1, {
        Link: '<https://acme.freshdesk.com/api/v2/tickets/20/conversations?page=2&per_page=100>; rel="next"',
      })
      .get('/api/v2/tickets/20/conversations')
      .query({ page: 2, per_page: 100 })
      .reply(200, [conversation(240, '2026-11-25T09:15:00+05:30', {})]);
    expect(await client.listReplies!('20')).toEqual([
      { id: '31', at: '2026-11-24T01:30:00.000Z' },
      { id: '36', at: '2026-11-24T05:00:00.000Z' },
      { id: '240', at: '2026-11-25T03:45:00.000Z' },
    ]);
  });

  it('turns a 429 into VendorRateLimitedError with its Retry-After', async () => {
    nock(api)
      .get('/api/v2/tickets/20/conversations')
      .query(true)
      .reply(429, { message: 'rate limited' }, { 'Retry-After': '12' });
    const error = await client.listReplies!('20').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect((error as VendorRateLimitedError).retryAfterMs).toBe(12_000);
  });
});
