import { noTicketHistory, type Ticket } from '../core/ticket.js';
import { dueFieldKey } from '../core/ticket-patch.js';
import type { FreshdeskConnection } from './connection-schema.js';
import { toAccount } from '../core/map-values.js';
import { toAttribute, toChannel, toId, toInstant, toPriority, toStatus } from './map-fields.js';
import type { FreshdeskCompany, ViewTicket } from './vendor-schemas.js';

/** Where each due metric lives on a Freshdesk ticket. */
export const DUE_FIELD = { firstResponse: 'fr_due_by', resolution: 'due_by' } as const;

/**
 * View a Ticket (with the company, requester and stats embedded, and the full company when the
 * tenant copies company fields) → the common ticket. Freshdesk keeps the first response time
 * itself (stats.first_responded_at), so it fills firstAgentReplyAt.
 */
export function toTicket(
  t: ViewTicket,
  connection: FreshdeskConnection,
  company: FreshdeskCompany | null = null,
): Ticket {
  const email = t.requester?.email ?? null;
  const companyId = toId(t.company_id);
  const customFields: Record<string, unknown> = {};
  for (const metric of connection.writeDues) {
    customFields[dueFieldKey(metric)] = toInstant(t[DUE_FIELD[metric]]);
  }
  const fields = company?.custom_fields ?? {};
  return {
    id: String(t.id),
    subject: t.subject ?? '',
    status: toStatus(t.status),
    priority: toPriority(t.priority),
    tags: t.tags,
    requester: {
      id: toId(t.requester_id),
      email,
      name: t.requester?.name ?? null,
    },
    account: toAccount(
      email,
      companyId
        ? {
            id: companyId,
            name: company?.name ?? t.company?.name ?? null,
            domain: company?.domains?.[0]?.toLowerCase() ?? null,
            attributes: Object.fromEntries(
              connection.accountAttributes.map((name) => [name, toAttribute(fields[name])]),
            ),
          }
        : null,
    ),
    createdAt: toInstant(t.created_at)!,
    updatedAt: toInstant(t.updated_at)!,
    ...noTicketHistory(),
    firstAgentReplyAt: toInstant(t.stats?.first_responded_at),
    formId: null,
    brandId: toId(t.product_id),
    channel: toChannel(t.source),
    unknownFields: [],
    customFields,
    vendorSpecific: { statusCode: t.status, updatedAt: t.updated_at },
  };
}
