import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zendeskConnectionSchema } from '../../../../connectors/zendesk/connection-schema.js';
import { parseZendeskWebhook } from '../../../../connectors/zendesk/to-event.js';
import { ZENDESK_TRIGGER_BODY } from '../../../../connectors/zendesk/trigger-template.js';
import { FakeZendesk } from '../../../fakes/fake-zendesk.js';
import { renderTrigger } from '../../../fakes/render-trigger.js';

const connection = zendeskConnectionSchema.parse({
  vendor: 'zendesk',
  subdomain: 'acme',
  auth: { email: 'a@acme.example', apiToken: 't' },
  webhookSecrets: ['s'],
});
const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/zendesk/${name}`, import.meta.url));
const request = (raw: string | Buffer, headers: Record<string, string> = {}) => ({
  rawBody: Buffer.from(raw),
  headers,
  receivedAt: 0,
});
const fake = new FakeZendesk();

describe('Zendesk webhooks to the common event', () => {
  it('maps our trigger body, with the invocation id as the delivery id', () => {
    const ticket = fake.addTicket({
      id: 42,
      subject: 'Product X "quoted" subject',
      status: 'open',
      priority: 'high',
      tags: ['vip', 'billing'],
      organization_id: 1001,
      created_at: '2026-11-24T01:00:00Z',
      updated_at: '2026-11-24T01:00:00Z',
    });
    const body = renderTrigger(ZENDESK_TRIGGER_BODY, ticket, {
      requesterEmail: 'Pat@Acme.Example',
    });
    const delivery = parseZendeskWebhook(
      request(body, { 'x-zendesk-webhook-invocation-id': '8350205582' }),
      'acme',
      connection,
    );
    expect(delivery.deliveryId).toBe('8350205582');
    expect(delivery.incomplete).toBe(false);
    expect(delivery.event).toMatchObject({
      vendor: 'zendesk',
      kind: 'ticket.created',
      eventId: '8350205582',
      ticket: {
        id: '42',
        subject: 'Product X "quoted" subject',
        status: { category: 'open', detail: 'open' },
        priority: { category: 'high', detail: 'high' },
        tags: ['vip', 'billing'],
        account: { id: '1001', emailDomain: 'acme.example' },
        createdAt: '2026-11-24T01:00:00.000Z',
      },
    });
  });

  it('marks a trigger body incomplete when due fields or organisation attributes are configured', () => {
    const ticket = fake.addTicket({ id: 43, subject: 'x', organization_id: 7 });
    const body = renderTrigger(ZENDESK_TRIGGER_BODY, ticket);
    const withFields = { ...connection, dueFields: { resolution: 9002 } };
    expect(parseZendeskWebhook(request(body), 'acme', withFields).incomplete).toBe(true);
    const withAttributes = { ...connection, accountAttributes: ['licenses'] };
    expect(parseZendeskWebhook(request(body), 'acme', withAttributes).incomplete).toBe(true);
  });

  it('maps a ticket event subscription and keeps its id across retries', () => {
    const first = parseZendeskWebhook(
      request(fixture('event-ticket-created.json')),
      'acme',
      connection,
    );
    const retry = parseZendeskWebhook(
      request(fixture('event-ticket-created.json'), { 'x-zendesk-webhook-invocation-id': 'other' }),
      'acme',
      connection,
    );
    expect(first.deliveryId).toBe('01HNXXXX-CTEXAMPLE');
    expect(retry.deliveryId).toBe(first.deliveryId);
    expect(first.incomplete).toBe(true);
    expect(first.event).toMatchObject({
      kind: 'ticket.created',
      occurredAt: '2024-04-17T17:18:10.000Z',
      ticket: {
        id: '35436',
        status: { category: 'open', detail: 'Open' },
        priority: { category: 'high' },
        account: { id: '1001' },
      },
    });
  });

  it('refuses what is not a ticket webhook with a 400 listing the problems', () => {
    const cases = [
      ['{"deskplan": ', /not JSON/],
      ['{"hello": "world"}', /neither/],
      ['{"deskplan": "1", "ticket": {"subject": "no id"}}', /malformed/],
      ['{"type": "zen:event-type:ticket.created", "id": "x"}', /not a Zendesk ticket event/],
    ] as const;
    for (const [body, message] of cases) {
      let error: { status?: number; message?: string; details?: string[] } = {};
      try {
        parseZendeskWebhook(request(body), 'acme', connection);
      } catch (e) {
        error = e as typeof error;
      }
      expect(error.status, body).toBe(400);
      expect(error.message).toMatch(message);
      expect(error.details?.length).toBeGreaterThan(0);
    }
  });
});
