import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZendeskClient } from '../../connectors/zendesk/client.js';
import { zendeskConnectionSchema } from '../../connectors/zendesk/connection-schema.js';
import { FakeZendesk } from '../fakes/fake-zendesk.js';

let zendesk: FakeZendesk;
beforeEach(async () => {
  zendesk = new FakeZendesk();
  await zendesk.listen();
});
afterEach(() => zendesk.close());

const clientOf = () =>
  createZendeskClient(
    zendeskConnectionSchema.parse({
      vendor: 'zendesk',
      baseUrl: zendesk.baseUrl,
      auth: { email: 'admin@acme.example', apiToken: 't' },
      webhookSecrets: ['s'],
    }),
    { timeoutMs: 2000 },
  );

describe('the fake Zendesk and the real client agree on replies', () => {
  it('the ids addReply answers are the public agent replies listReplies reads, over pages', async () => {
    zendesk.commentPageSize = 2; // five comments with the description: three pages
    zendesk.addTicket({
      id: 41,
      subject: 'Exports fail',
      created_at: '2026-11-02T08:00:00Z',
      updated_at: '2026-11-02T08:00:00Z',
    });
    const first = zendesk.addReply('41', { at: '2026-11-02T09:00:00Z', author: 'agent' });
    zendesk.addReply('41', { at: '2026-11-02T10:00:00Z', author: 'customer' });
    zendesk.addReply('41', { at: '2026-11-02T11:00:00Z', author: 'agent', isPublic: false });
    const second = zendesk.addReply('41', { at: '2026-11-03T12:00:00Z', author: 'agent' });

    expect(await clientOf().listReplies!('41')).toEqual([
      { id: first, at: '2026-11-02T09:00:00.000Z' },
      { id: second, at: '2026-11-03T12:00:00.000Z' },
    ]);
    const pages = zendesk.requests.filter((r) => r.path === '/api/v2/tickets/41/comments.json');
    expect(pages).toHaveLength(3);
    expect(zendesk.tickets.get(41)!.updated_at).toBe('2026-11-03T12:00:00Z');
  });

  it('a ticket created before the start but answered since is listed only with alsoUpdated', async () => {
    zendesk.addTicket({
      id: 42,
      subject: 'Old but answered',
      created_at: '2026-10-20T08:00:00Z',
      updated_at: '2026-10-20T08:00:00Z',
    });
    zendesk.addReply('42', { at: '2026-11-05T09:00:00Z', author: 'agent' });
    const query = { createdFrom: '2026-11-01T00:00:00.000Z', cursor: null };
    const client = clientOf();
    expect((await client.listTickets!(query)).tickets).toEqual([]);
    const page = await client.listTickets!({ ...query, alsoUpdated: true });
    expect(page.tickets.map((t) => t.id)).toEqual(['42']);
  });
});
