import type { AxiosInstance } from 'axios';
import type { VendorClient } from '../core/connector.js';
import { createHttpClient, vendorCalls, type HttpClientOptions } from '../core/http-client.js';
import { metricsWithField } from '../core/due-field-ids.js';
import { isEmptyPatch } from '../core/ticket-patch.js';
import { apiBase, type ZendeskConnection } from './connection-schema.js';
import { ZendeskOAuthToken } from './oauth-access-token.js';
import { toTicket } from './to-ticket.js';
import { toUpdateBody } from './to-update-body.js';
import { commentListSchema, incrementalTicketsSchema, showTicketSchema } from './vendor-schemas.js';

/** Basic for an API token; an OAuth token is set per request (it may be renewed). */
function basicAuthorization(connection: ZendeskConnection): Record<string, string> {
  if (!connection.auth || 'oauthToken' in connection.auth) return {};
  const { email, apiToken } = connection.auth;
  return { authorization: `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}` };
}

/**
 * An HTTP client for the account's REST API, authenticated as the connection says: Basic for an
 * API token; Bearer for an OAuth token, renewed before it expires when it can be (the client and
 * the onboarding set-up share this).
 */
export function createZendeskHttp(
  connection: ZendeskConnection,
  options: HttpClientOptions = {},
): AxiosInstance {
  const http = createHttpClient(
    apiBase(connection),
    basicAuthorization(connection),
    options,
    'zendesk',
  );
  if (connection.auth && 'oauthToken' in connection.auth) {
    const token = new ZendeskOAuthToken(connection, options);
    http.interceptors.request.use(async (config) => {
      config.headers.set('authorization', `Bearer ${await token.get()}`);
      return config;
    });
  }
  return http;
}

/** Zendesk REST: one read to complete a ticket, one write to apply a patch. */
export function createZendeskClient(
  connection: ZendeskConnection,
  options: HttpClientOptions = {},
): VendorClient {
  const http = createZendeskHttp(connection, options);
  const call = vendorCalls('Zendesk', options);
  return {
    dueMetrics: metricsWithField(connection.dueFields),
    fetchTicket: (ticketId) =>
      call(`show ticket ${ticketId}`, async () => {
        const { data } = await http.get(`/tickets/${encodeURIComponent(ticketId)}.json`, {
          params: { include: 'organizations,users' },
        });
        return toTicket(showTicketSchema.parse(data), connection);
      }),
    // Newest first: the note looked for is among the ticket's latest comments.
    findNote: (ticketId, marker) =>
      call(`list comments ${ticketId}`, async () => {
        const { data } = await http.get(`/tickets/${encodeURIComponent(ticketId)}/comments.json`, {
          params: { sort_order: 'desc', per_page: 100 },
        });
        const { comments } = commentListSchema.parse(data);
        return comments.some((c) => [c.body, c.plain_body].some((t) => t?.includes(marker)));
      }),
    async listTickets({ createdFrom, cursor }) {
      // Incremental export lists tickets *changed* since start_time: every ticket created since
      // is among them; older ones changed since are dropped here.
      const fromMs = Date.parse(createdFrom);
      const params: Record<string, string | number> = {
        include: 'organizations,users',
        exclude_deleted: 'true',
        ...(cursor === null ? { start_time: Math.floor(fromMs / 1000) } : { cursor }),
      };
      return call('incremental ticket export', async () => {
        const { data } = await http.get('/incremental/tickets/cursor.json', { params });
        const page = incrementalTicketsSchema.parse(data);
        const tickets = page.tickets
          .filter((t) => t.status !== 'deleted' && Date.parse(t.created_at) >= fromMs)
          .map((t) =>
            toTicket(
              { ticket: t, organizations: page.organizations, users: page.users },
              connection,
            ),
          );
        const nextCursor = page.end_of_stream ? null : (page.after_cursor ?? null);
        return { tickets, nextCursor };
      });
    },
    async applyPatch(ticket, patch) {
      if (isEmptyPatch(patch)) return;
      await call(`update ticket ${ticket.id}`, () =>
        http.put(
          `/tickets/${encodeURIComponent(ticket.id)}.json`,
          toUpdateBody(ticket, patch, connection),
        ),
      );
    },
  };
}
