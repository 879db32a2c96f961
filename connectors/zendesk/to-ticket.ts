import { noTicketHistory, type Ticket } from '../core/ticket.js';
import { dueCustomFields } from '../core/due-field-ids.js';
import type { ZendeskConnection } from './connection-schema.js';
import { toAccount } from '../core/map-values.js';
import { toAttribute, toChannel, toId, toInstant, toPriority, toStatus } from './map-fields.js';
import type { ShowTicket } from './vendor-schemas.js';

/** Show Ticket (with side-loaded organization and users) → the common ticket. */
export function toTicket(response: ShowTicket, connection: ZendeskConnection): Ticket {
  const t = response.ticket;
  const org = response.organizations.find((o) => o.id === t.organization_id) ?? null;
  const requester = response.users.find((u) => u.id === t.requester_id) ?? null;
  const customFields = dueCustomFields(connection.dueFields, (id) => {
    const value = t.custom_fields.find((f) => f.id === id)?.value;
    return value === undefined || value === '' ? null : value;
  });
  const email = requester?.email ?? null;
  return {
    id: String(t.id),
    subject: t.subject ?? '',
    status: toStatus(t.status),
    priority: toPriority(t.priority),
    tags: t.tags,
    requester: { id: t.requester_id ? String(t.requester_id) : null, email, name: null },
    account: toAccount(
      email,
      org && {
        id: String(org.id),
        name: org.name ?? null,
        domain: org.domain_names[0] ?? null,
        attributes: Object.fromEntries(
          connection.accountAttributes.map((name) => [
            name,
            toAttribute(org.organization_fields[name]),
          ]),
        ),
      },
    ),
    createdAt: toInstant(t.created_at)!,
    updatedAt: toInstant(t.updated_at)!,
    ...noTicketHistory(),
    formId: toId(t.ticket_form_id),
    brandId: toId(t.brand_id),
    channel: toChannel(t.via?.channel == null ? null : String(t.via.channel)),
    unknownFields: [],
    customFields,
    vendorSpecific: { updatedStamp: t.updated_at },
  };
}
