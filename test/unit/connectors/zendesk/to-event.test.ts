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
  it('maps our trigger body, with an id for the delivery taken from the signed body', () => {
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
    expect(delivery.deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
    expect(delivery.incomplete).toBe(false);
    expect(delivery.event).toMatchObject({
      vendor: 'zendesk',
      kind: 'ticket.created',
      eventId: delivery.deliveryId,
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
      ['{"hello": "world"}', /not a deskplan trigger body nor a Zendesk ticket event/],
      ['[1, 2]', /not a deskplan trigger body nor a Zendesk ticket event/],
      ['{"type": "zen:event-type:user.created", "id": "u1"}', /nor a Zendesk ticket event/],
      ['{"deskplan": "1", "ticket": {"subject": "no id"}}', /malformed/],
      ['{"type": "zen:event-type:ticket.created", "id": "x"}', /not a valid Zendesk ticket event/],
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

  it('maps the trigger-created fixture (rendered from the template) to ticket.created', () => {
    const raw = fixture('trigger-created.json');
    const delivery = parseZendeskWebhook(request(raw), 'acme', connection);
    expect(delivery.deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
    expect(parseZendeskWebhook(request(raw), 'acme', connection).deliveryId).toBe(
      delivery.deliveryId,
    );
    expect(delivery.incomplete).toBe(false);
    expect(delivery.event).toMatchObject({
      kind: 'ticket.created',
      eventId: delivery.deliveryId,
      occurredAt: '2026-11-24T01:00:00.000Z',
      actor: { kind: 'customer' },
      ticket: {
        id: '35436',
        subject: 'Product X: "cannot" log in',
        status: { category: 'new', detail: 'new' },
        priority: { category: 'high', detail: 'high' },
        tags: ['vip', 'billing'],
        requester: { email: 'Pat@Acme.Example' },
        account: { id: '1001', name: null, emailDomain: 'acme.example', attributes: {} },
      },
    });
  });

  it('keeps the fixture in step with the trigger template', () => {
    const keys = (value: unknown): unknown =>
      value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keys(v)]))
        : typeof value;
    const template = JSON.parse(ZENDESK_TRIGGER_BODY.replace(/\{\{[^}]+\}\}/g, ''));
    expect(keys(JSON.parse(fixture('trigger-created.json').toString()))).toEqual(keys(template));
  });

  it('maps an update with capitalised labels, an empty priority and +00:00 dates', () => {
    const delivery = parseZendeskWebhook(
      request(fixture('trigger-updated.json'), { 'x-zendesk-webhook-invocation-id': '8350205583' }),
      'acme',
      connection,
    );
    expect(delivery.deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
    expect(delivery.incomplete).toBe(false);
    expect(delivery.event).toMatchObject({
      kind: 'ticket.updated',
      occurredAt: '2026-11-24T03:30:15.000Z',
      actor: { kind: 'agent', id: '902113' },
      ticket: {
        status: { category: 'pending', detail: 'Pending' },
        priority: { category: null, detail: null },
        tags: ['vip', 'billing', 'deskplan_plan_premium'],
        requester: { email: null },
        account: { id: null, emailDomain: null },
        createdAt: '2026-11-24T01:00:00.000Z',
        updatedAt: '2026-11-24T03:30:15.000Z',
      },
    });
  });

  it('marks a trigger body incomplete when its subject or creation date is missing', () => {
    const body = JSON.stringify({ deskplan: '1', ticket: { id: '5', status: 'open' } });
    const delivery = parseZendeskWebhook(request(body), 'acme', connection);
    expect(delivery.incomplete).toBe(true);
    expect(delivery.event.ticket.id).toBe('5');
  });

  it('maps an unknown status to other and keeps the raw label', () => {
    const body = JSON.parse(fixture('trigger-created.json').toString());
    body.ticket.status = 'Awaiting vendor';
    const delivery = parseZendeskWebhook(request(JSON.stringify(body)), 'acme', connection);
    expect(delivery.event.ticket.status).toEqual({ category: 'other', detail: 'Awaiting vendor' });
  });

  it('maps a priority_changed event to ticket.updated, upper-case labels included', () => {
    const delivery = parseZendeskWebhook(
      request(fixture('event-priority-changed.json')),
      'acme',
      connection,
    );
    expect(delivery).toMatchObject({ deliveryId: '01HNYYYY-PCEXAMPLE', incomplete: true });
    expect(delivery.event).toMatchObject({
      kind: 'ticket.updated',
      occurredAt: '2024-04-17T18:02:44.000Z',
      ticket: {
        status: { category: 'open', detail: 'OPEN' },
        priority: { category: 'urgent', detail: 'URGENT' },
        tags: ['vip', 'deskplan_plan_premium'],
        requester: { id: '6596848315901' },
        account: null,
      },
    });
  });

  it('maps comment_added by the author: an agent reply, a customer reply, or a plain update', () => {
    const raw = JSON.parse(fixture('event-comment-added.json').toString());
    const parse = (body: unknown) =>
      parseZendeskWebhook(request(JSON.stringify(body)), 'acme', connection).event;
    expect(parse(raw)).toMatchObject({
      kind: 'ticket.agent_replied',
      actor: { kind: 'agent', id: '6596848315902' },
      reply: { id: '39301428405113', at: '2024-04-17T17:40:02.000Z', public: true },
    });
    const customer = structuredClone(raw);
    customer.event.comment.author = { id: '6596848315901', is_staff: false };
    expect(parse(customer)).toMatchObject({ kind: 'ticket.customer_replied', reply: null });
    const note = structuredClone(raw);
    note.event.comment.is_public = false;
    expect(parse(note)).toMatchObject({ kind: 'ticket.agent_replied', reply: { public: false } });
    const unknown = structuredClone(raw);
    unknown.event = { current: 'something' };
    expect(parse(unknown)).toMatchObject({ kind: 'ticket.updated', actor: null, reply: null });
  });
});

describe('what identifies a Zendesk delivery', () => {
  const replyBody = (updatedAt: string) =>
    renderTrigger(
      ZENDESK_TRIGGER_BODY.replace(
        '"deskplan": "1",',
        '"deskplan": "1",\n  "event": "agent_replied",',
      ),
      fake.addTicket({
        id: 7,
        subject: 'Help',
        created_at: '2026-11-24T01:00:00Z',
        updated_at: updatedAt,
      }),
    );

  it('is taken from the signed body, so a replay with a fresh invocation header is the same reply', () => {
    const body = replyBody('2026-11-24T02:00:00Z');
    const original = parseZendeskWebhook(
      request(body, { 'x-zendesk-webhook-invocation-id': '1001' }),
      'acme',
      connection,
    );
    const replayed = parseZendeskWebhook(
      request(body, { 'x-zendesk-webhook-invocation-id': 'forged-2002' }),
      'acme',
      connection,
    );
    expect(replayed.deliveryId).toBe(original.deliveryId);
    expect(replayed.event.reply?.id).toBe(original.event.reply?.id);
  });

  it('tells genuinely different replies apart', () => {
    const first = parseZendeskWebhook(
      request(replyBody('2026-11-24T02:00:00Z')),
      'acme',
      connection,
    );
    const second = parseZendeskWebhook(
      request(replyBody('2026-11-24T02:05:00Z')),
      'acme',
      connection,
    );
    expect(second.event.reply?.id).not.toBe(first.event.reply?.id);
  });
});

describe('Zendesk form, brand and channel', () => {
  it('a trigger body cannot carry them: null, and named as unknown for the worker', () => {
    const delivery = parseZendeskWebhook(
      request(fixture('trigger-created.json')),
      'acme',
      connection,
    );
    expect(delivery.event.ticket).toMatchObject({
      formId: null,
      brandId: null,
      channel: null,
      unknownFields: ['formId', 'brandId', 'channel'],
    });
  });

  it('a ticket event carries them in its detail', () => {
    const delivery = parseZendeskWebhook(
      request(fixture('event-ticket-created.json')),
      'acme',
      connection,
    );
    expect(delivery.event.ticket).toMatchObject({
      formId: '360000456',
      brandId: '360000123',
      channel: { category: 'web', detail: 'web' },
      unknownFields: [],
    });
  });

  it('normalises via.channel and keeps the raw value', async () => {
    const { toChannel, toId } = await import('../../../../connectors/zendesk/map-fields.js');
    expect(toChannel('voice')).toEqual({ category: 'voice', detail: 'voice' });
    expect(toChannel('native_messaging')).toEqual({
      category: 'messaging',
      detail: 'native_messaging',
    });
    expect(toChannel('some_new_channel')).toEqual({
      category: 'other',
      detail: 'some_new_channel',
    });
    expect(toChannel('')).toBeNull();
    expect([toId(0), toId(''), toId(null), toId(12)]).toEqual([null, null, null, '12']);
  });
});
