import { bodyDeliveryId, parseJsonBody, zodIssues } from '../core/map-values.js';
import type { Delivery, WebhookRequest } from '../core/connector.js';
import { WebhookError } from '../core/errors.js';
import { noTicketHistory, type EventKind, type TicketEvent } from '../core/ticket.js';
import type { FreshdeskConnection } from './connection-schema.js';
import { domainOf, splitTags, toId, toInstant, toPriority, toStatus } from './map-fields.js';
import { webhookBodySchema, type WebhookBody } from './vendor-schemas.js';

const KINDS: Record<WebhookBody['event'], EventKind> = {
  created: 'ticket.created',
  updated: 'ticket.updated',
  agent_replied: 'ticket.agent_replied',
  customer_replied: 'ticket.customer_replied',
};

/**
 * The body carries no form, product (brand) or source (channel): unknown here, and the worker
 * reads the ticket when an exclusion of the tenant needs one of them.
 */
const BODY_LACKS = {
  formId: null,
  brandId: null,
  channel: null,
  unknownFields: ['formId', 'brandId', 'channel'],
} satisfies Partial<TicketEvent['ticket']>;

const EPOCH = new Date(0).toISOString();

function toEvent(
  body: WebhookBody,
  tenantId: string,
  deliveryId: string,
  connection: FreshdeskConnection,
): Omit<Delivery, 'deliveryId'> {
  const t = body.ticket;
  const createdAt = toInstant(t.created_at);
  const updatedAt = toInstant(t.updated_at) ?? createdAt;
  const companyId = toId(t.company_id);
  const kind = KINDS[body.event];
  const event: TicketEvent = {
    vendor: 'freshdesk',
    tenantId,
    eventId: deliveryId,
    kind,
    occurredAt: updatedAt ?? EPOCH,
    actor:
      kind === 'ticket.agent_replied'
        ? { kind: 'agent', id: null }
        : kind === 'ticket.customer_replied'
          ? { kind: 'customer', id: null }
          : null,
    ticket: {
      id: t.id,
      subject: t.subject ?? '',
      status: toStatus(t.status),
      priority: toPriority(t.priority),
      tags: splitTags(t.tags),
      requester: { id: null, email: t.requester_email || null, name: null },
      account: {
        id: companyId,
        name: null,
        emailDomain: domainOf(t.requester_email),
        attributes: {},
      },
      createdAt: createdAt ?? EPOCH,
      updatedAt: updatedAt ?? EPOCH,
      ...noTicketHistory(),
      ...BODY_LACKS,
      customFields: {},
      vendorSpecific: {},
    },
    // Each firing of the agent-reply rule is one reply, identified by its body.
    reply:
      kind === 'ticket.agent_replied'
        ? { id: deliveryId, at: updatedAt ?? EPOCH, public: true }
        : null,
  };
  // The body has no due dates, no tag array the API would give, no company fields: the worker
  // reads the ticket when deskplan writes dues or copies company fields, or a date is unreadable.
  const incomplete =
    !createdAt ||
    !toInstant(t.updated_at) ||
    t.subject === null ||
    connection.writeDues.length > 0 ||
    (companyId !== null && connection.accountAttributes.length > 0);
  return { event, incomplete };
}

/**
 * A verified Freshdesk webhook (our documented body) → the common event. The delivery id is a
 * hash of the body: Freshdesk sends no delivery id, and nothing else in the request is bound to
 * the content, so a captured body posted again is the same delivery and charges nothing. Two
 * updates of a ticket differ in `updated_at`, so they are two deliveries.
 */
export function parseFreshdeskWebhook(
  request: WebhookRequest,
  tenantId: string,
  connection: FreshdeskConnection,
): Delivery {
  const json = parseJsonBody(request.rawBody);
  const parsed = webhookBodySchema.safeParse(json);
  if (!parsed.success) {
    throw new WebhookError(
      400,
      'not a deskplan Freshdesk webhook body (see connectors/freshdesk/README.md)',
      zodIssues(parsed.error),
    );
  }
  const deliveryId = bodyDeliveryId(request.rawBody);
  return { deliveryId, ...toEvent(parsed.data, tenantId, deliveryId, connection) };
}
