import { metricsWithField } from '../core/due-field-ids.js';
import { bodyDeliveryId, parseJsonBody, zodIssues } from '../core/map-values.js';
import type { z } from 'zod';
import type { Delivery, WebhookRequest } from '../core/connector.js';
import { WebhookError } from '../core/errors.js';
import { noTicketHistory, type EventKind, type TicketEvent } from '../core/ticket.js';
import type { ZendeskConnection } from './connection-schema.js';
import { domainOf, toChannel, toId, toInstant, toPriority, toStatus } from './map-fields.js';
import {
  commentAddedSchema,
  ticketEventEnvelopeSchema,
  triggerBodySchema,
} from './vendor-schemas.js';

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
const noHistory = () => ({ ...noTicketHistory(), customFields: {}, vendorSpecific: {} });

/**
 * The trigger body carries no form, brand or channel id: the documented placeholders render the
 * form's and brand's names and the channel's label, not the ids the REST API gives (see
 * trigger-template.ts). Unknown here; the worker reads the ticket when an exclusion needs one.
 */
const TRIGGER_LACKS = {
  formId: null,
  brandId: null,
  channel: null,
  unknownFields: ['formId', 'brandId', 'channel'],
} satisfies Partial<TicketEvent['ticket']>;

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
    actor: actorOf(body.current_user?.role, body.current_user?.id || null),
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
      ...noHistory(),
      ...TRIGGER_LACKS,
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
    metricsWithField(connection.dueFields).length > 0;
  return { event, incomplete };
}

type Actor = NonNullable<TicketEvent['actor']>;

/** Zendesk roles: agents and admins answer, end-users ask. Anything else is not guessed. */
function actorOf(role: string | null | undefined, id: string | null): Actor | null {
  const r = role?.toLowerCase();
  if (r === 'agent' || r === 'admin') return { kind: 'agent', id };
  if (r === 'end-user' || r === 'end_user') return { kind: 'customer', id };
  return null;
}

/** Who wrote the comment of a `ticket.comment_added` event, when the payload says. */
function commentOf(raw: unknown) {
  const parsed = commentAddedSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { comment } = parsed.data;
  const author = comment.author;
  const id = author?.id ?? null;
  const actor: Actor | null =
    typeof author?.is_staff === 'boolean'
      ? { kind: author.is_staff ? 'agent' : 'customer', id }
      : actorOf(author?.role, id);
  return actor
    ? { actor, id: comment.id, isPublic: comment.is_public ?? comment.public ?? null }
    : null;
}

function fromEnvelope(body: z.infer<typeof ticketEventEnvelopeSchema>, tenantId: string) {
  const d = body.detail;
  const occurredAt = toInstant(body.time) ?? new Date(0).toISOString();
  const eventType = body.type.slice('zen:event-type:'.length);
  const comment = eventType === 'ticket.comment_added' ? commentOf(body.event) : null;
  const kind: EventKind =
    eventType === 'ticket.created'
      ? 'ticket.created'
      : comment
        ? comment.actor.kind === 'agent'
          ? 'ticket.agent_replied'
          : 'ticket.customer_replied'
        : 'ticket.updated';
  const event: TicketEvent = {
    ...baseEvent(tenantId, body.id, kind, occurredAt),
    actor: comment?.actor ?? null,
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
      ...noHistory(),
      formId: toId(d.form_id),
      brandId: toId(d.brand_id),
      channel: toChannel(d.via?.channel),
      unknownFields: [],
    },
    // A reply counts (quota, first response) only when Zendesk says the comment is public.
    reply:
      kind === 'ticket.agent_replied' && comment
        ? { id: comment.id ?? body.id, at: occurredAt, public: comment.isPublic === true }
        : null,
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
  const json = parseJsonBody(request.rawBody);
  // What identifies a delivery (and a reply it counts) comes from signed content only: the
  // invocation-id header is not signed, so a captured body re-posted with a fresh header must
  // still be the same delivery. A genuine Zendesk retry resends the same body, so it is too.
  const bodyId = bodyDeliveryId(request.rawBody);
  const object =
    json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : null;
  if (object && 'deskplan' in object) {
    const parsed = triggerBodySchema.safeParse(json);
    if (!parsed.success)
      throw new WebhookError(
        400,
        'the deskplan trigger body is malformed',
        zodIssues(parsed.error),
      );
    const deliveryId = bodyId;
    return { deliveryId, ...fromTrigger(parsed.data, tenantId, deliveryId, connection) };
  }
  const type = object?.type;
  if (typeof type === 'string' && type.startsWith('zen:event-type:ticket.')) {
    const parsed = ticketEventEnvelopeSchema.safeParse(json);
    if (!parsed.success)
      throw new WebhookError(400, 'not a valid Zendesk ticket event', zodIssues(parsed.error));
    return { deliveryId: parsed.data.id, ...fromEnvelope(parsed.data, tenantId) };
  }
  // Neither style: say what each would have needed.
  const asTrigger = triggerBodySchema.safeParse(json);
  const asEvent = ticketEventEnvelopeSchema.safeParse(json);
  throw new WebhookError(400, 'not a deskplan trigger body nor a Zendesk ticket event', [
    ...(asTrigger.success ? [] : zodIssues(asTrigger.error).map((i) => `trigger body: ${i}`)),
    ...(asEvent.success ? [] : zodIssues(asEvent.error).map((i) => `ticket event: ${i}`)),
  ]);
}
