import {
  ZENDESK_AGENT_REPLY_TRIGGER_BODY,
  ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY,
} from '../../connectors/zendesk/trigger-template.js';
import type { FakeOrganization, FakeTicket } from './fake-zendesk.js';

type Extra = Parameters<typeof renderTrigger>[2];

/**
 * Fills a Zendesk trigger body template the way Zendesk does: each {{placeholder}} becomes the
 * ticket's value as text ('' when it has none), escaped for the JSON string it sits in.
 */
export function renderTrigger(
  template: string,
  ticket: FakeTicket,
  extra: {
    organization?: FakeOrganization;
    requesterEmail?: string;
    currentUserRole?: string;
  } = {},
): string {
  const values: Record<string, string> = {
    'ticket.id': String(ticket.id),
    'ticket.title': ticket.subject,
    'ticket.status': ticket.status,
    'ticket.priority': ticket.priority ?? '',
    'ticket.tags': ticket.tags.join(' '),
    'ticket.created_at_with_timestamp': ticket.created_at,
    'ticket.updated_at_with_timestamp': ticket.updated_at,
    'ticket.organization.id': ticket.organization_id ? String(ticket.organization_id) : '',
    'ticket.organization.name': extra.organization?.name ?? '',
    'ticket.requester.email': extra.requesterEmail ?? '',
    'current_user.role': extra.currentUserRole ?? 'end-user',
  };
  return template.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, name: string) =>
    JSON.stringify(values[name] ?? '').slice(1, -1),
  );
}

/** The agent-reply trigger's delivery: it fires on an agent's public comment. */
export const renderAgentReply = (ticket: FakeTicket, extra: Extra = {}) =>
  renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, ticket, { currentUserRole: 'agent', ...extra });

/** The customer-reply trigger's delivery: it fires on an end user's public comment. */
export const renderCustomerReply = (ticket: FakeTicket, extra: Extra = {}) =>
  renderTrigger(ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY, ticket, {
    currentUserRole: 'end-user',
    ...extra,
  });
