import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebhookError } from '../../../../connectors/core/errors.js';
import { ticketEventSchema } from '../../../../connectors/core/ticket.js';
import { freshdeskConnectionSchema } from '../../../../connectors/freshdesk/connection-schema.js';
import { parseFreshdeskWebhook } from '../../../../connectors/freshdesk/to-event.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/freshdesk/${name}`, import.meta.url));
const connection = freshdeskConnectionSchema.parse({
  vendor: 'freshdesk',
  domain: 'acme',
  apiKey: 'key',
  webhookSecrets: ['current-secret-0123456789'],
});
const parse = (raw: Buffer, c = connection) =>
  parseFreshdeskWebhook({ rawBody: raw, headers: {}, receivedAt: Date.now() }, 'acme-desk', c);

describe('Freshdesk webhook body → common event', () => {
  it('maps the created body: labels and strings to the model', () => {
    const { event, deliveryId, incomplete } = parse(fixture('webhook-created.json'));
    expect(ticketEventSchema.parse(event)).toBeTruthy();
    expect(deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
    expect(event).toMatchObject({
      vendor: 'freshdesk',
      eventId: deliveryId,
      kind: 'ticket.created',
      ticket: {
        id: '20',
        status: { category: 'open', detail: 'Open' },
        priority: { category: 'normal', detail: 'Medium' },
        tags: ['vip', 'billing issue'],
        account: { id: '1001', emailDomain: 'acme.example' },
        createdAt: '2026-11-24T01:00:00.000Z',
        unknownFields: ['formId', 'brandId', 'channel'],
      },
    });
    expect(incomplete).toBe(true); // deskplan writes fr_due_by/due_by: the worker reads them first
  });

  it('keeps a custom status as other with its label, and maps High', () => {
    const { event } = parse(fixture('webhook-updated.json'));
    expect(event.kind).toBe('ticket.updated');
    expect(event.ticket.status).toEqual({ category: 'other', detail: 'Waiting on Customer' });
    expect(event.ticket.priority).toEqual({ category: 'high', detail: 'High' });
  });

  it('maps the reply rules to replies, each firing one reply', () => {
    const agent = parse(fixture('webhook-agent-replied.json'));
    expect(agent.event).toMatchObject({
      kind: 'ticket.agent_replied',
      actor: { kind: 'agent' },
      reply: { id: agent.deliveryId, at: '2026-11-24T02:20:00.000Z', public: true },
    });
    const customer = parse(fixture('webhook-customer-replied.json'));
    expect(customer.event).toMatchObject({ kind: 'ticket.customer_replied', reply: null });
  });

  it('names a delivery by its body: a replay is the same delivery, another update is not', () => {
    const body = fixture('webhook-updated.json');
    expect(parse(body).deliveryId).toBe(parse(Buffer.from(body)).deliveryId);
    const later = Buffer.from(body.toString().replace('02:10:00Z', '02:11:00Z'));
    expect(parse(later).deliveryId).not.toBe(parse(body).deliveryId);
  });

  it('is complete when deskplan writes no dues and the dates read', () => {
    const c = freshdeskConnectionSchema.parse({ ...connection, writeDues: [] });
    expect(parse(fixture('webhook-created.json'), c).incomplete).toBe(false);
    const blank = Buffer.from(
      fixture('webhook-created.json')
        .toString()
        .replace(/"updated_at": "[^"]*"/, '"updated_at": ""'),
    );
    expect(parse(blank, c).incomplete).toBe(true);
  });

  it.each([
    ['not JSON', 'nope'],
    ['no event literal', JSON.stringify({ deskplan: '1', ticket: { id: '1' } })],
    ['an unknown event', JSON.stringify({ deskplan: '1', event: 'deleted', ticket: { id: '1' } })],
    ['a foreign body', JSON.stringify({ freshdesk_webhook: { ticket_id: '11' } })],
  ])('refuses %s with 400', (_, body) => {
    const error = (() => {
      try {
        parse(Buffer.from(body));
      } catch (e) {
        return e as WebhookError;
      }
    })();
    expect(error).toBeInstanceOf(WebhookError);
    expect(error?.status).toBe(400);
  });
});
