import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Delivery, WebhookRequest } from '../core/connector.js';
import { WebhookError } from '../core/errors.js';
import type { EventKind, TicketEvent } from '../core/ticket.js';
import type { ZendeskConnection } from './connection-schema.js';
import { domainOf, toInstant, toPriority, toStatus } from './map-fields.js';
import { ticketEventEnvelopeSchema, triggerBodySchema } from './vendor-schemas.js';

const issues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);

function baseEvent(tenantId: string, eventId: string, kind: EventKind, occurredAt: string) {
  return {
    vendor: 'zendesk' as const,
    tenantId,
    eventId,
    kind,
    occurredAt,
    actor: null,
    reply: null,
  };
}

/** History fields a webhook never carries; the worker fills them from what it keeps. */
const NO_HISTORY = {
  firstAgentReplyAt: null,
  lastAgentReplyAt: null,
  lastCustomerMessageAt: null,
  solvedAt: null,
  pausedIntervals: [],
  customFields: {},
  vendorSpecific: {},
};

function kindOf(
  event: string | null | undefined,
  createdAt: string | null,
  updatedAt: string | null,
): EventKind {
  if (event === 'agent_replied') return 'ticket.agent_replied';
  if (event === 'customer_replied') return 'ticket.customer_replied';
  return createdAt && createdAt === updatedAt ? 'ticket.created' : 'ticket.updated';
}

function fromTrigger(
  body: z.infer<typeof triggerBodySchema>,
  tenantId: string,
  deliveryId: string,
  connection: ZendeskConnection,
) {
  const t = body.ticket;
  const createdAt = toInstant(t.created_at);
  const updatedAt = toInstant(t.updated_at) ?? createdAt;
  const orgId = t.organization_id || null;
  // Built from validated parts and typed as the model (the worker validates it again on dequeue).
  const event: TicketEvent = {
    ...baseEvent(
      tenantId,
      deliveryId,
      kindOf(body.event, createdAt, updatedAt),
      updatedAt ?? new Date(0).toISOString(),
    ),
    ticket: {
      id: t.id,
      subject: t.subject ?? '',
      status: toStatus(t.status),
      priority: toPriority(t.priority),
      tags: (t.tags ?? '').split(/\s+/).filter(Boolean),
      requester: { id: null, email: t.requester_email || null, name: null },
      account: { id: orgId, name: null, emailDomain: domainOf(t.requester_email), attributes: {} },
      createdAt: createdAt ?? new Date(0).toISOString(),
      updatedAt: updatedAt ?? new Date(0).toISOString(),
      ...NO_HISTORY,
    },
    reply:
      body.event === 'agent_replied'
        ? { id: deliveryId, at: updatedAt ?? new Date(0).toISOString(), public: true }
        : null,
  };
  // The body has no organisation fields and no custom field values: fetch when they matter.
  const incomplete =
    !createdAt ||
    t.subject === null ||
    (orgId !== null && connection.accountAttributes.length > 0) ||
    Object.keys(connection.dueFields).length > 0;
  return { event, incomplete };
}

const EVENT_KINDS: Record<string, EventKind> = {
  'zen:event-type:ticket.created': 'ticket.created',
};

function fromEnvelope(body: z.infer<typeof ticketEventEnvelopeSchema>, tenantId: string) {
  const d = body.detail;
  const occurredAt = toInstant(body.time) ?? new Date(0).toISOString();
  const event: TicketEvent = {
    ...baseEvent(tenantId, body.id, EVENT_KINDS[body.type] ?? 'ticket.updated', occurredAt),
    ticket: {
      id: d.id,
      subject: d.subject ?? '',
      status: toStatus(d.status),
      priority: toPriority(d.priority),
      tags: d.tags ?? [],
      requester: { id: d.requester_id, email: null, name: null },
      account:
        d.organization_id && d.organization_id !== '0'
          ? { id: d.organization_id, name: null, emailDomain: null, attributes: {} }
          : null,
      createdAt: toInstant(d.created_at) ?? occurredAt,
      updatedAt: toInstant(d.updated_at) ?? occurredAt,
      ...NO_HISTORY,
    },
  };
  // Event payloads carry ids, not the organisation or the requester's email: always fetch.
  return { event, incomplete: true };
}

/** A verified Zendesk webhook → the common event. Either connection style is accepted. */
export function parseZendeskWebhook(
  request: WebhookRequest,
  tenantId: string,
  connection: ZendeskConnection,
): Delivery {
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new WebhookError(400, 'body is not JSON', [(error as Error).message]);
  }
  const invocation = request.headers['x-zendesk-webhook-invocation-id'];
  const bodyHash = createHash('sha256').update(request.rawBody).digest('hex').slice(0, 32);
  if (json && typeof json === 'object' && 'deskplan' in json) {
    const parsed = triggerBodySchema.safeParse(json);
    if (!parsed.success)
      throw new WebhookError(400, 'the deskplan trigger body is malformed', issues(parsed.error));
    return {
      deliveryId: invocation || bodyHash,
      ...fromTrigger(parsed.data, tenantId, invocation || bodyHash, connection),
    };
  }
  if (json && typeof json === 'object' && 'type' in json) {
    const parsed = ticketEventEnvelopeSchema.safeParse(json);
    if (!parsed.success)
      throw new WebhookError(400, 'not a Zendesk ticket event', issues(parsed.error));
    return { deliveryId: parsed.data.id, ...fromEnvelope(parsed.data, tenantId) };
  }
  throw new WebhookError(
    400,
    'neither the deskplan trigger body nor a zen:event-type:ticket.* event',
    ['(body): expected a "deskplan" key (trigger) or a "type" key (event subscription)'],
  );
}
