import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHelpscoutClient } from '../../connectors/helpscout/client.js';
import { helpscoutConnector } from '../../connectors/helpscout/index.js';
import { FakeHelpscout } from '../fakes/fake-helpscout.js';

const FROM = '2026-03-01T00:00:00.000Z';
let hs: FakeHelpscout;

beforeEach(async () => {
  hs = new FakeHelpscout();
  await hs.listen();
  hs.addCustomer({ id: 1, email: 'kim@acme.example' });
  hs.addConversation({ id: 40, subject: 'older, answered', createdAt: '2026-02-20T09:00:00Z' });
  hs.addConversation({ id: 41, subject: 'older, untouched', createdAt: '2026-02-10T09:00:00Z' });
  hs.addConversation({ id: 42, subject: 'in the period', createdAt: '2026-03-03T09:00:00Z' });
});
afterEach(() => hs.close());

const client = () =>
  createHelpscoutClient(
    helpscoutConnector.connectionSchema.parse({
      vendor: 'helpscout',
      baseUrl: hs.baseUrl,
      auth: { appId: 'app-id', appSecret: 'app-secret' },
      webhookSecrets: ['s'],
      dueFields: {},
      readOrganization: false,
    }),
  );
const threadCalls = () => hs.requests.filter((r) => r.path.endsWith('/threads'));

describe('Help Scout replies: the fake and the real client agree', () => {
  it('lists the public agent replies the fake was given, by thread id, oldest first', async () => {
    const second = hs.addReply('42', { at: '2026-03-04T12:00:00Z', author: 'agent' });
    hs.addReply('42', { at: '2026-03-03T10:00:00Z', author: 'customer' });
    hs.addReply('42', { at: '2026-03-03T11:00:00Z', author: 'agent', isPublic: false });
    const first = hs.addReply('42', { at: '2026-03-03T10:30:00Z', author: 'agent' });

    await expect(client().listReplies!('42')).resolves.toEqual([
      { id: first, at: '2026-03-03T10:30:00.000Z' },
      { id: second, at: '2026-03-04T12:00:00.000Z' },
    ]);
    expect(threadCalls()).toHaveLength(1);
  });

  it('alsoUpdated lists an older conversation answered since, and its replies need no call', async () => {
    const reply = hs.addReply('40', { at: '2026-03-02T10:00:00Z', author: 'agent' });
    const c = client();

    const created = await c.listTickets!({ createdFrom: FROM, cursor: null });
    expect(created.tickets.map((t) => t.id)).toEqual(['42']);

    const page = await c.listTickets!({ createdFrom: FROM, cursor: null, alsoUpdated: true });
    expect(page.tickets.map((t) => t.id)).toEqual(['40', '42']);
    await expect(c.listReplies!('40')).resolves.toEqual([
      { id: reply, at: '2026-03-02T10:00:00.000Z' },
    ]);
    await expect(c.listReplies!('42')).resolves.toEqual([]);
    expect(threadCalls()).toHaveLength(0);
  });
});
