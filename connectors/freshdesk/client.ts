import { AxiosError } from 'axios';
import type { VendorClient } from '../core/connector.js';
import { z } from 'zod';
import {
  nullIfNotFound,
  VendorConflictError,
  VendorRejectedError,
  type VendorError,
} from '../core/errors.js';
import {
  createHttpClient,
  toVendorError,
  vendorCalls,
  type HttpClientOptions,
} from '../core/http-client.js';
import { isEmptyPatch, type TicketPatch } from '../core/ticket-patch.js';
import { apiBase, type FreshdeskConnection } from './connection-schema.js';
import { toAgentReplies } from './to-agent-replies.js';
import { toTicket } from './to-ticket.js';
import { holdsPatch, toNoteHtml, toUpdateBody } from './to-update-body.js';
import {
  companySchema,
  conversationListSchema,
  ticketListSchema,
  type FreshdeskCompany,
  type FreshdeskConversation,
  viewTicketSchema,
  type ViewTicket,
} from './vendor-schemas.js';

/** Conversations read per page (100 is the most Freshdesk gives), and pages read at most. */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;
/**
 * Pages of conversations read at most when listing a ticket's replies: 10 000 conversations.
 * A ticket with more is not a conversation any plan counts; its later replies go uncounted.
 */
const MAX_REPLY_PAGES = 100;

/**
 * List All Tickets (https://developers.freshdesk.com/api/#list_all_tickets): 100 a page at most.
 * The page number is capped (300, as reported for accounts since 2020; not in the reference):
 * at the cap the listing starts again with `updated_since` = the last ticket's created_at.
 */
const LIST_PAGE_SIZE = 100;
const LIST_PAGE_CAP = 300;

/** Where a backfill listing stands: the bound it lists from, the page, the last ticket seen. */
const listCursorSchema = z.object({
  since: z.string(),
  page: z.number().int().min(1),
  after: z.object({ createdAt: z.number(), id: z.number() }).nullable(),
});
type ListCursor = z.infer<typeof listCursorSchema>;
const encodeCursor = (c: ListCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(text: string): ListCursor {
  try {
    return listCursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new VendorRejectedError(`Freshdesk list tickets: not a cursor of this listing`, null);
  }
}

/**
 * A failed call as the worker acts on it. Beyond the shared mapping: a 412 is a conflict too
 * (the ticket moved under us), and a 429 honours Retry-After (seconds).
 */
function vendorError(error: unknown, what: string, options: HttpClientOptions): VendorError {
  if (error instanceof AxiosError && error.response?.status === 412) {
    return new VendorConflictError(
      `${what}: HTTP 412 ${JSON.stringify(error.response.data ?? '')}`,
    );
  }
  return toVendorError(error, what, options);
}

/** The account's REST API with the agent's API key (basic auth, password X); the set-up shares it. */
export function createFreshdeskHttp(
  connection: FreshdeskConnection,
  options: HttpClientOptions = {},
) {
  const auth = Buffer.from(`${connection.apiKey}:X`).toString('base64');
  return createHttpClient(
    apiBase(connection),
    { authorization: `Basic ${auth}` },
    options,
    'freshdesk',
  );
}

/**
 * Freshdesk REST. A write reads the ticket first and merges (tags are replace-all and Freshdesk
 * has no lock token), writes, and reads again to check deskplan's tags held; if a concurrent
 * save dropped them it merges again once, then gives up with a conflict (the worker re-reads
 * and recomputes). The note is its own call, after the ticket update.
 */
export function createFreshdeskClient(
  connection: FreshdeskConnection,
  options: HttpClientOptions = {},
): VendorClient {
  const http = createFreshdeskHttp(connection, options);
  const path = (ticketId: string, rest = '') => `/tickets/${encodeURIComponent(ticketId)}${rest}`;

  const call = vendorCalls('Freshdesk', options, vendorError);

  const readTicket = (ticketId: string, include?: string): Promise<ViewTicket> =>
    call(`view ticket ${ticketId}`, async () => {
      const { data } = await http.get(path(ticketId), include ? { params: { include } } : {});
      return viewTicketSchema.parse(data);
    });

  /** Read, merge, write, read back; twice at most. */
  async function updateTicket(ticketId: string, patch: TicketPatch): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = await readTicket(ticketId);
      const { body } = toUpdateBody(current, patch, connection);
      if (Object.keys(body).length === 0) return;
      await call(`update ticket ${ticketId}`, () => http.put(path(ticketId), body));
      if (!('tags' in body)) return;
      const after = await readTicket(ticketId);
      if (holdsPatch(after.tags, patch)) return;
    }
    throw new VendorConflictError(
      `Freshdesk update ticket ${ticketId}: a concurrent change replaced deskplan's tags twice`,
    );
  }

  const readCompany = (id: number) =>
    call(`view company ${id}`, async () => {
      const { data } = await http.get(`/companies/${id}`);
      return companySchema.parse(data);
    });

  return {
    dueMetrics: connection.writeDues,
    async listTickets({ createdFrom, cursor, alsoUpdated = false }) {
      // Every ticket created since createdFrom was updated since then too, so the tickets updated
      // since it, oldest-created first, hold them all; older ones updated since come too, and
      // are kept only when alsoUpdated asks for them. Offset paging is stable enough: an update
      // keeps a ticket in the set and does not move it; an older ticket updated during the
      // listing joins the set early in the order and pushes the rest one place on, so a ticket
      // may come twice, and the last-seen filter drops the second time.
      const fromMs = Date.parse(createdFrom);
      const at =
        cursor === null ? { since: createdFrom, page: 1, after: null } : decodeCursor(cursor);
      const rows = await call(`list tickets (page ${at.page})`, async () => {
        const { data } = await http.get('/tickets', {
          params: {
            updated_since: at.since,
            order_by: 'created_at',
            order_type: 'asc',
            include: 'requester,stats',
            per_page: LIST_PAGE_SIZE,
            page: at.page,
          },
        });
        return ticketListSchema.parse(data);
      });
      const after = at.after;
      const fresh = rows.filter((t) => {
        const created = Date.parse(t.created_at);
        if (!alsoUpdated && !(created >= fromMs)) return false;
        return (
          !after || created > after.createdAt || (created === after.createdAt && t.id > after.id)
        );
      });
      // One read per company on the page (its name and custom fields), not one per ticket.
      const companies = new Map<number, FreshdeskCompany | null>();
      for (const id of new Set(
        fresh.map((t) => t.company_id).filter((id) => typeof id === 'number'),
      )) {
        companies.set(id, await nullIfNotFound(() => readCompany(id)));
      }
      const tickets = fresh.map((t) =>
        toTicket(t, connection, t.company_id ? (companies.get(t.company_id) ?? null) : null),
      );
      if (rows.length < LIST_PAGE_SIZE) return { tickets, nextCursor: null };
      const last = rows[rows.length - 1]!;
      const lastSeen = { createdAt: Date.parse(last.created_at), id: last.id };
      const seen =
        after && (after.createdAt > lastSeen.createdAt || Number.isNaN(lastSeen.createdAt))
          ? after
          : lastSeen;
      if (at.page < LIST_PAGE_CAP) {
        return {
          tickets,
          nextCursor: encodeCursor({ since: at.since, page: at.page + 1, after: seen }),
        };
      }
      // At the cap the listing starts again from the last ticket's creation, but never from
      // before the bound it lists from: the last ticket seen may be an older one updated since,
      // and an earlier `updated_since` would list tickets updated before the period too. When
      // the whole listing so far was created before the bound, starting again from the bound
      // would list the same pages for ever: say so instead.
      if (!(seen.createdAt > Date.parse(at.since))) {
        throw new VendorRejectedError(
          `Freshdesk list tickets: more than ${LIST_PAGE_CAP * LIST_PAGE_SIZE} tickets created ` +
            `no later than ${at.since} were updated since it; List All Tickets cannot page past them`,
          null,
        );
      }
      const restart = new Date(seen.createdAt).toISOString();
      const next: ListCursor = { since: restart, page: 1, after: seen };
      return { tickets, nextCursor: encodeCursor(next) };
    },
    async fetchTicket(ticketId) {
      const ticket = await readTicket(ticketId, 'company,requester,stats');
      const company =
        ticket.company_id && connection.accountAttributes.length > 0
          ? await readCompany(ticket.company_id)
          : null;
      return toTicket(ticket, connection, company);
    },
    async findNote(ticketId, marker) {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const conversations = await call(`list conversations ${ticketId}`, async () => {
          const { data } = await http.get(path(ticketId, '/conversations'), {
            params: { page, per_page: PAGE_SIZE },
          });
          return conversationListSchema.parse(data);
        });
        if (conversations.some((c) => [c.body_text, c.body].some((t) => t?.includes(marker)))) {
          return true;
        }
        if (conversations.length < PAGE_SIZE) return false;
      }
      return false;
    },
    async listReplies(ticketId) {
      // List All Conversations of a Ticket, oldest first, every page: a page names the next one
      // in its Link header; a full page without one is followed too (an empty page ends it).
      const all: FreshdeskConversation[] = [];
      for (let page = 1; page <= MAX_REPLY_PAGES; page++) {
        const { rows, more } = await call(
          `list conversations ${ticketId} (page ${page})`,
          async () => {
            const { data, headers } = await http.get(path(ticketId, '/conversations'), {
              params: { page, per_page: PAGE_SIZE },
            });
            const rows = conversationListSchema.parse(data);
            const link = String(headers.link ?? '');
            return { rows, more: /rel="?next"?/.test(link) || rows.length >= PAGE_SIZE };
          },
        );
        all.push(...rows);
        if (!more || rows.length === 0) break;
      }
      return toAgentReplies(all);
    },
    async applyPatch(ticket, patch) {
      if (isEmptyPatch(patch)) return;
      const { note, ...rest } = patch;
      if (!isEmptyPatch({ ...rest, note: null })) await updateTicket(ticket.id, patch);
      if (note !== null) {
        await call(`create note ${ticket.id}`, () =>
          http.post(path(ticket.id, '/notes'), { body: toNoteHtml(note), private: true }),
        );
      }
    },
  };
}
