import { freshdeskWebhookBody } from '../../connectors/freshdesk/webhook-template.js';
import { FakeFreshdesk, type FakeFreshdeskTicket } from './fake-freshdesk.js';

/**
 * Fills deskplan's Freshdesk webhook template the way Freshdesk does: each {{placeholder}}
 * becomes the ticket's value as text, status and priority as their labels, '' when empty,
 * escaped for the JSON string it sits in. Tags render comma-separated (an assumption; see
 * connectors/freshdesk/map-fields.ts).
 */
export function renderFreshdeskWebhook(
  event: Parameters<typeof freshdeskWebhookBody>[0],
  ticket: FakeFreshdeskTicket,
  extra: RenderExtra = {},
): string {
  return renderFreshdeskTemplate(freshdeskWebhookBody(event), ticket, extra);
}

type RenderExtra = { requesterEmail?: string; triggeredEvent?: string; statusLabel?: string };

/** Fills any template text (a rule's content as Freshdesk holds it) with the ticket's values. */
export function renderFreshdeskTemplate(
  template: string,
  ticket: FakeFreshdeskTicket,
  extra: RenderExtra = {},
): string {
  const values: Record<string, string> = {
    'ticket.id': String(ticket.id),
    'ticket.subject': ticket.subject,
    'ticket.status': extra.statusLabel ?? FakeFreshdesk.statusLabel(ticket.status),
    'ticket.priority': FakeFreshdesk.priorityLabel(ticket.priority),
    'ticket.tags': ticket.tags.join(', '),
    'ticket.created_at': ticket.created_at,
    'ticket.updated_at': ticket.updated_at,
    'ticket.company.id': ticket.company_id ? String(ticket.company_id) : '',
    'ticket.requester.email': extra.requesterEmail ?? 'someone@acme.example',
    triggered_event: extra.triggeredEvent ?? '',
  };
  return template.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, name: string) =>
    JSON.stringify(values[name] ?? '').slice(1, -1),
  );
}
