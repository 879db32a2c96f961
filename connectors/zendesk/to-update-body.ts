import type { Ticket } from '../core/ticket.js';
import { DUE_METRICS, type TicketPatch } from '../core/ticket-patch.js';
import type { ZendeskConnection } from './connection-schema.js';

/**
 * One Update Ticket body for a patch: tags added and removed without replacing anyone else's
 * (additional_tags / remove_tags), priority, due instants in the tenant's custom fields, a
 * private note, and safe_update so a concurrent change gives a 409 instead of being overwritten.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
 */
export function toUpdateBody(ticket: Ticket, patch: TicketPatch, connection: ZendeskConnection) {
  const body: Record<string, unknown> = {};
  if (patch.addTags.length) body.additional_tags = patch.addTags;
  if (patch.removeTags.length) body.remove_tags = patch.removeTags;
  if (patch.priority) body.priority = patch.priority;
  const fields = DUE_METRICS.flatMap((metric) => {
    const id = connection.dueFields[metric];
    return id !== undefined && metric in patch.dues
      ? [{ id, value: patch.dues[metric] ?? null }]
      : [];
  });
  if (fields.length) body.custom_fields = fields;
  if (patch.note) body.comment = { body: patch.note, public: false };
  const stamp = ticket.vendorSpecific.updatedStamp;
  if (typeof stamp === 'string') Object.assign(body, { safe_update: true, updated_stamp: stamp });
  return { ticket: body };
}
