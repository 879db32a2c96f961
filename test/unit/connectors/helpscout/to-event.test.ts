import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { helpscoutConnectionSchema } from '../../../../connectors/helpscout/connection-schema.js';
import { parseHelpscoutWebhook } from '../../../../connectors/helpscout/to-event.js';
import { helpscoutConnector } from '../../../../connectors/helpscout/index.js';
import { signHelpscoutWebhook } from '../../../../connectors/helpscout/verify-signature.js';
import { ticketEventSchema } from '../../../../connectors/core/ticket.js';

const raw = readFileSync(
  new URL('../../../fixtures/helpscout/conversation.json', import.meta.url),
  'utf8',
);
const connection = helpscoutConnectionSchema.parse({
  vendor: 'helpscout',
  auth: { appId: 'a', appSecret: 'b' },
  webhookSecrets: ['s3cret'],
  dueFields: { resolution: 104 },
});
const request = (event: string, body = raw) => ({
  rawBody: Buffer.from(body),
  headers: {
    'x-helpscout-event': event,
    'x-helpscout-signature': signHelpscoutWebhook(body, 's3cret'),
  },
  receivedAt: Date.now(),
});

describe('Help Scout webhook → common event', () => {
  it('verifies the fixture signed with the production signer, then maps convo.created', () => {
    helpscoutConnector.verify(request('convo.created'), connection);
    const delivery = parseHelpscoutWebhook(request('convo.created'), 't1', connection);
    expect(delivery.deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
    expect(delivery.incomplete).toBe(true); // the organisation is read
    const event = ticketEventSchema.parse(delivery.event);
    expect(event).toMatchObject({
      vendor: 'helpscout',
      kind: 'ticket.created',
      occurredAt: '2023-06-15T10:30:00.000Z',
      ticket: {
        id: '23',
        subject: 'Help with organization setup',
        status: { category: 'open', detail: 'active' },
        priority: { category: null, detail: null },
        tags: ['vip'],
        requester: { id: '100', email: 'john@testcompany.com', name: 'John Doe' },
        account: { id: null, emailDomain: 'testcompany.com' },
        createdAt: '2023-06-15T10:30:00.000Z',
        updatedAt: '2023-06-15T14:45:00.000Z',
        firstAgentReplyAt: '2023-06-15T12:05:00.000Z',
        lastAgentReplyAt: '2023-06-15T12:05:00.000Z',
        lastCustomerMessageAt: '2023-06-15T14:45:00.000Z',
        brandId: '13',
        channel: { category: 'email', detail: 'email' },
        customFields: { 'deskplan.resolution': '2023-06-16' },
      },
    });
  });

  it('an agent reply names the reply thread; a customer reply its message', () => {
    const agent = parseHelpscoutWebhook(request('convo.agent.reply.created'), 't1', connection);
    expect(agent.event).toMatchObject({
      kind: 'ticket.agent_replied',
      actor: { kind: 'agent', id: '4' },
      reply: { id: '1235', at: '2023-06-15T12:05:00.000Z', public: true },
    });
    const customer = parseHelpscoutWebhook(
      request('convo.customer.reply.created'),
      't1',
      connection,
    );
    expect(customer.event).toMatchObject({
      kind: 'ticket.customer_replied',
      occurredAt: '2023-06-15T14:45:00.000Z',
      actor: { kind: 'customer', id: '100' },
    });
  });

  it('maps statuses and reads priority from the deskplan tag', () => {
    const body = JSON.parse(raw);
    for (const [status, category] of [
      ['pending', 'pending'],
      ['closed', 'closed'],
      ['spam', 'spam'],
      ['weird', 'other'],
    ]) {
      body.status = status;
      body.tags = [{ tag: 'vip' }, { tag: 'deskplan_priority_high' }];
      const { event } = parseHelpscoutWebhook(
        request('convo.status', JSON.stringify(body)),
        't1',
        connection,
      );
      expect(event.ticket.status).toEqual({ category, detail: status });
      expect(event.ticket.priority).toEqual({ category: 'high', detail: 'deskplan_priority_high' });
      expect(event.ticket.tags).toEqual(['vip']);
    }
  });

  it('the same body is the same delivery whatever the event header says', () => {
    const a = parseHelpscoutWebhook(request('convo.created'), 't1', connection);
    const b = parseHelpscoutWebhook(request('convo.tags'), 't1', connection);
    expect(b.deliveryId).toBe(a.deliveryId);
  });

  it('refuses other events and bodies that are not conversations with a 400', () => {
    for (const [event, body] of [
      ['convo.deleted', '{"id":23}'],
      ['helpscout.test', raw],
      ['customer.created', raw],
      ['convo.created', 'not json'],
      ['convo.created', '{"id":23}'],
    ] as const) {
      expect(() => parseHelpscoutWebhook(request(event, body), 't1', connection)).toThrow(
        expect.objectContaining({ status: 400 }),
      );
    }
  });
});

describe('Help Scout connection secrets', () => {
  it('the app secret and the webhook secrets are sealed at rest; the app id is not', async () => {
    const { isSecretField } = await import('../../../../worker/tenants/seal-secrets.js');
    expect(isSecretField('connection.auth.appSecret')).toBe(true);
    expect(isSecretField('connection.webhookSecrets')).toBe(true);
    expect(isSecretField('connection.auth.appId')).toBe(false);
  });
});
