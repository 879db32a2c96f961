import type { AxiosInstance } from 'axios';
import type { VendorClient } from '../core/connector.js';
import { createHttpClient, vendorCalls, type HttpClientOptions } from '../core/http-client.js';
import { metricsWithField } from '../core/due-field-ids.js';
import { isEmptyPatch } from '../core/ticket-patch.js';
import { VendorRejectedError } from '../core/errors.js';
import { apiBase, type ZendeskConnection } from './connection-schema.js';
import { ZendeskOAuthToken } from './oauth-access-token.js';
import { toAgentReplies } from './to-agent-replies.js';
import { toTicket } from './to-ticket.js';
import { toUpdateBody } from './to-update-body.js';
import {
  commentListSchema,
  incrementalTicketsSchema,
  showTicketSchema,
  type CommentList,
} from './vendor-schemas.js';

/** Comments per page of List Comments (cursor pagination allows up to 100). */
const COMMENT_PAGE_SIZE = 100;
/**
 * A ticket holds at most 5000 comments (Ticket Comments reference), 50 pages of 100. Past this
 * many pages the cursor is not moving on, and the listing fails rather than loop or undercount.
 */
const MAX_COMMENT_PAGES = 60;

/** Where the next page of comments starts: `meta.after_cursor`, else `page[after]` of `links.next`. */
function nextCommentCursor(list: CommentList): string | null {
  if (list.meta?.after_cursor) return list.meta.after_cursor;
  try {
    // Only the cursor is taken from the link; the request goes to the account's own host.
    return new URL(list.links?.next ?? '').searchParams.get('page[after]');
  } catch {
    return null;
  }
}

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

/**
 * Zendesk REST: one read to complete a ticket, one write to apply a patch; for backfills, the
 * incremental ticket export and a ticket's comments.
 */
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
    async listTickets({ createdFrom, cursor, alsoUpdated = false }) {
      // Incremental export lists tickets *changed* since start_time: every ticket created since
      // is among them; older ones changed since are kept only when alsoUpdated asks for them.
      // The listing (and so the cursor) is the same either way: only this filter differs.
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
          .filter(
            (t) => t.status !== 'deleted' && (alsoUpdated || Date.parse(t.created_at) >= fromMs),
          )
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
    // Cursor pagination, the cursor sent as page[after] (links.next is never followed: the
    // credentials go only to the account's own host); include=users gives the authors' roles.
    async listReplies(ticketId) {
      const comments: CommentList['comments'] = [];
      const roles = new Map<string, string | null>();
      let after: string | null = null;
      for (let page = 1; ; page++) {
        if (page > MAX_COMMENT_PAGES) {
          throw new VendorRejectedError(
            `Zendesk list comments ${ticketId}: still more after ${MAX_COMMENT_PAGES} pages ` +
              `(a ticket holds at most 5000 comments)`,
            null,
          );
        }
        const params: Record<string, string | number> = {
          include: 'users',
          'page[size]': COMMENT_PAGE_SIZE,
          ...(after === null ? {} : { 'page[after]': after }),
        };
        const list = await call(`list comments ${ticketId}`, async () => {
          const { data } = await http.get(
            `/tickets/${encodeURIComponent(ticketId)}/comments.json`,
            { params },
          );
          return commentListSchema.parse(data);
        });
        comments.push(...list.comments);
        for (const user of list.users) roles.set(user.id, user.role ?? null);
        if (list.meta?.has_more !== true) break;
        const next = nextCommentCursor(list);
        if (next === null || next === after) {
          throw new VendorRejectedError(
            `Zendesk list comments ${ticketId}: has more, but no new cursor to read it with`,
            null,
          );
        }
        after = next;
      }
      return toAgentReplies(comments, roles);
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
