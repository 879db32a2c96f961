import type { WEBHOOK_EVENTS } from './vendor-schemas.js';

type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * The JSON to paste into a Freshdesk automation rule's "Trigger webhook" action (Encoding JSON,
 * Advanced content). Freshdesk fills each placeholder with text: status and priority as their
 * display labels ("Pending", "High"), ids and dates as strings. Each rule sends its own literal
 * `event`, because nothing in the rendered ticket says which rule fired.
 *
 * Verified placeholders (Zulip's Freshdesk integration, whose fixtures are real deliveries):
 * {{ticket.id}}, {{ticket.subject}}, {{ticket.status}}, {{ticket.priority}},
 * {{ticket.requester.email}}, {{triggered_event}}. Seen only in third-party templates:
 * {{ticket.tags}}, {{ticket.created_at}}, {{ticket.updated_at}}, {{ticket.company.id}}. The
 * parser survives any of those rendering empty or differently: the worker then reads the
 * ticket, and the delivery id is the body's hash whatever they render.
 * `updated_at` is here so that two updates of one ticket render two different bodies.
 */
export function freshdeskWebhookBody(event: WebhookEvent): string {
  return `{
  "deskplan": "1",
  "event": "${event}",
  "ticket": {
    "id": "{{ticket.id}}",
    "subject": "{{ticket.subject}}",
    "status": "{{ticket.status}}",
    "priority": "{{ticket.priority}}",
    "tags": "{{ticket.tags}}",
    "created_at": "{{ticket.created_at}}",
    "updated_at": "{{ticket.updated_at}}",
    "company_id": "{{ticket.company.id}}",
    "requester_email": "{{ticket.requester.email}}"
  },
  "triggered_event": "{{triggered_event}}"
}`;
}

/** "Ticket creation" rule (Dispatch'r): every new ticket. */
export const FRESHDESK_CREATED_BODY = freshdeskWebhookBody('created');
/** "Ticket updates" rule (Observer): status, priority, tags and other property changes. */
export const FRESHDESK_UPDATED_BODY = freshdeskWebhookBody('updated');
/** "Ticket updates" rule on "Reply is sent" by an agent: counts responses, stops first-response clocks. */
export const FRESHDESK_AGENT_REPLY_BODY = freshdeskWebhookBody('agent_replied');
/** "Ticket updates" rule on a customer's reply: starts next-response clocks. */
export const FRESHDESK_CUSTOMER_REPLY_BODY = freshdeskWebhookBody('customer_replied');
