import { bodyDeliveryId, parseJsonBody, zodIssues } from '../core/map-values.js';
import type { Delivery, WebhookRequest } from '../core/connector.js';
import { WebhookError } from '../core/errors.js';
import type { EventKind, TicketEvent } from '../core/ticket.js';
import type { HelpscoutConnection } from './connection-schema.js';
import { toInstant } from './map-fields.js';
import { replyHistory, toTicket } from './to-ticket.js';
import { EVENT_HEADER } from './verify-signature.js';
import { conversationSchema } from './vendor-schemas.js';

/**
 * The `convo.*` events whose body is a v2 Conversation, and what each is in the common model
 * (https://developer.helpscout.com/webhooks/). convo.deleted carries only `{id}`: not accepted.
 */
const EVENT_KINDS: Record<string, EventKind> = {
  'convo.created': 'ticket.created',
  'convo.ai-answers.created': 'ticket.created',
  'convo.agent.reply.created': 'ticket.agent_replied',
  'convo.customer.reply.created': 'ticket.customer_replied',
  'convo.assigned': 'ticket.updated',
  'convo.status': 'ticket.updated',
  'convo.tags': 'ticket.updated',
  'convo.custom-fields': 'ticket.updated',
  'convo.moved': 'ticket.updated',
  'convo.merged': 'ticket.updated',
  'convo.note.created': 'ticket.updated',
};
export const HELPSCOUT_EVENTS = Object.keys(EVENT_KINDS);

/** A verified Help Scout webhook (X-HelpScout-Event: convo.*) → the common event. */
export function parseHelpscoutWebhook(
  request: WebhookRequest,
  tenantId: string,
  connection: HelpscoutConnection,
): Delivery {
  const name = request.headers[EVENT_HEADER];
  const kind = name ? EVENT_KINDS[name] : undefined;
  if (!kind) {
    throw new WebhookError(400, `not a conversation event deskplan handles: '${name ?? ''}'`, [
      `X-HelpScout-Event must be one of ${HELPSCOUT_EVENTS.join(', ')}`,
    ]);
  }
  const json = parseJsonBody(request.rawBody);
  const parsed = conversationSchema.safeParse(json);
  if (!parsed.success) {
    throw new WebhookError(400, 'not a Help Scout conversation', zodIssues(parsed.error));
  }
  // Help Scout sends no delivery id, and the event header is not signed: the delivery is named
  // by its signed body alone, so a replayed body (whatever its headers) is the same delivery and
  // charges nothing, and a Help Scout retry (the same body) is deduplicated too.
  const deliveryId = bodyDeliveryId(request.rawBody);
  const conversation = parsed.data;
  const ticket = toTicket(conversation, connection);
  const threads = conversation._embedded?.threads ?? null;
  const history = threads ? replyHistory(threads) : null;
  const author = kind === 'ticket.agent_replied' ? history?.lastAgentReply : null;
  const message = kind === 'ticket.customer_replied' ? history?.lastCustomerMessage : null;
  const occurredAt =
    toInstant(author?.createdAt ?? message?.createdAt) ??
    (kind === 'ticket.created' ? ticket.createdAt : ticket.updatedAt);
  const actorId = author?.createdBy?.id ?? message?.createdBy?.id ?? null;
  const event: TicketEvent = {
    vendor: 'helpscout',
    tenantId,
    eventId: deliveryId,
    kind,
    occurredAt,
    actor:
      kind === 'ticket.agent_replied'
        ? { kind: 'agent', id: actorId }
        : kind === 'ticket.customer_replied'
          ? { kind: 'customer', id: actorId }
          : null,
    ticket,
    // An agent reply is sent to the customer: public. Its thread id when the body embeds threads.
    reply:
      kind === 'ticket.agent_replied'
        ? { id: author?.id ?? deliveryId, at: occurredAt, public: true }
        : null,
  };
  // The body names the customer, not the organisation: read it when the tenant wants it.
  return { deliveryId, event, incomplete: connection.readOrganization };
}
