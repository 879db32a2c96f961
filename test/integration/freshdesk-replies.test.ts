import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshdeskConnectionSchema } from '../../connectors/freshdesk/connection-schema.js';
import { createFreshdeskClient } from '../../connectors/freshdesk/client.js';
import { FakeFreshdesk } from '../fakes/fake-freshdesk.js';
import { freshdeskConnection } from '../helpers/pipeline-core.js';

let fd: FakeFreshdesk;
beforeEach(async () => {
  fd = new FakeFreshdesk();
  await fd.listen();
});
afterEach(async () => {
  await fd.close();
});

const client = () =>
  createFreshdeskClient(
    freshdeskConnectionSchema.parse(freshdeskConnection(fd.baseUrl, fd.apiKey)),
    { timeoutMs: 2000 },
  );

describe('Freshdesk replies: the fake and the client agree', () => {
  it('lists the agent replies the fake was given, oldest first, across pages, by the ids addReply answered', async () => {
    fd.addTicket({
      id: 20,
      subject: 'Product X: login fails',
      created_at: '2026-11-24T01:00:00Z',
      updated_at: '2026-11-24T01:00:00Z',
    });
    const first = fd.addReply('20', { at: '2026-11-24T01:30:00Z', author: 'agent' });
    fd.addReply('20', { at: '2026-11-24T02:00:00Z', author: 'customer' });
    fd.addReply('20', { at: '2026-11-24T02:10:00Z', author: 'agent', isPublic: false });
    // Enough customer messages to push the last reply onto a second page of conversations.
    for (let i = 0; i < 100; i++) {
      fd.addReply('20', {
        at: `2026-11-24T03:${String(i % 60).padStart(2, '0')}:00Z`,
        author: 'customer',
      });
    }
    const last = fd.addReply('20', { at: '2026-11-25T09:00:00Z', author: 'agent' });
    // A reply given out of order still lists in time order.
    const earliest = fd.addReply('20', { at: '2026-11-24T01:10:00Z', author: 'agent' });

    expect(await client().listReplies!('20')).toEqual([
      { id: earliest, at: '2026-11-24T01:10:00.000Z' },
      { id: first, at: '2026-11-24T01:30:00.000Z' },
      { id: last, at: '2026-11-25T09:00:00.000Z' },
    ]);
    expect(fd.tickets.get(20)!.updated_at).toBe('2026-11-25T09:00:00Z');
    expect(
      fd.requests.filter((r) => r.path === '/api/v2/tickets/20/conversations').map((r) => r.query),
    ).toEqual([
      { page: '1', per_page: '100' },
      { page: '2', per_page: '100' },
    ]);
  });

  it('lists a ticket filed before the bound once a reply updates it, only with alsoUpdated', async () => {
    const since = new Date(Date.now() - 3 * 86_400_000).toISOString();
    fd.addTicket({
      id: 7,
      subject: 'Product X: old question',
      created_at: new Date(Date.now() - 45 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      updated_at: new Date(Date.now() - 40 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    fd.addTicket({ id: 8, subject: 'Product X: new question' });
    const list = (alsoUpdated: boolean) =>
      client().listTickets!({ createdFrom: since, cursor: null, alsoUpdated }).then((page) =>
        page.tickets.map((t) => t.id),
      );

    expect(await list(true)).toEqual(['8']);
    fd.addReply('7', { at: new Date().toISOString(), author: 'agent' });
    expect(await list(true)).toEqual(['7', '8']);
    expect(await list(false)).toEqual(['8']);
  });
});
