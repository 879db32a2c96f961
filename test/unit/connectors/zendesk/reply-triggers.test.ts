import { describe, expect, it } from 'vitest';
import { zendeskConnectionSchema } from '../../../../connectors/zendesk/connection-schema.js';
import {
  ZENDESK_AGENT_REPLY_TRIGGER_BODY,
  ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY,
  ZENDESK_TRIGGER_BODY,
} from '../../../../connectors/zendesk/index.js';
import { parseZendeskWebhook } from '../../../../connectors/zendesk/to-event.js';
import { FakeZendesk } from '../../../fakes/fake-zendesk.js';
import { renderAgentReply, renderCustomerReply } from '../../../fakes/render-trigger.js';

const connection = zendeskConnectionSchema.parse({
  vendor: 'zendesk',
  subdomain: 'acme',
  auth: { email: 'a@acme.example', apiToken: 't' },
  webhookSecrets: ['s'],
});
const parse = (body: string) =>
  parseZendeskWebhook(
    {
      rawBody: Buffer.from(body),
      headers: { 'x-zendesk-webhook-invocation-id': '77' },
      receivedAt: 0,
    },
    'acme',
    connection,
  ).event;
const ticket = new FakeZendesk().addTicket({
  id: 7,
  subject: 'Exports fail',
  status: 'open',
  created_at: '2026-11-24T01:00:00Z',
  updated_at: '2026-11-24T02:30:00Z',
});

describe('the reply triggers documented for Zendesk', () => {
  it('the customer-reply trigger tells deskplan a customer replied, at the ticket update', () => {
    expect(JSON.parse(ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY.replace(/\{\{[^}]+\}\}/g, ''))).toEqual({
      ...JSON.parse(ZENDESK_TRIGGER_BODY.replace(/\{\{[^}]+\}\}/g, '')),
      event: 'customer_replied',
    });
    expect(parse(renderCustomerReply(ticket))).toMatchObject({
      kind: 'ticket.customer_replied',
      occurredAt: '2026-11-24T02:30:00.000Z',
      actor: { kind: 'customer' },
      reply: null,
    });
  });

  it('the agent-reply trigger tells deskplan an agent replied in public', () => {
    expect(ZENDESK_AGENT_REPLY_TRIGGER_BODY).toContain('"event": "agent_replied"');
    expect(parse(renderAgentReply(ticket))).toMatchObject({
      kind: 'ticket.agent_replied',
      actor: { kind: 'agent' },
      reply: {
        id: expect.stringMatching(/^body-[0-9a-f]{32}$/),
        at: '2026-11-24T02:30:00.000Z',
        public: true,
      },
    });
  });
});
