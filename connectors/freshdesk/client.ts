import { AxiosError } from 'axios';
import type { VendorClient } from '../core/connector.js';
import { VendorConflictError, type VendorError } from '../core/errors.js';
import { createHttpClient, toVendorError, type HttpClientOptions } from '../core/http-client.js';
import { isEmptyPatch, type TicketPatch } from '../core/ticket-patch.js';
import { apiBase, type FreshdeskConnection } from './connection-schema.js';
import { toTicket } from './to-ticket.js';
import { holdsPatch, toNoteHtml, toUpdateBody } from './to-update-body.js';
import {
  companySchema,
  conversationListSchema,
  viewTicketSchema,
  type ViewTicket,
} from './vendor-schemas.js';

/** Conversations read per page when looking for a note, and pages read at most. */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

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
  return toVendorError(error, what, options, ['retry-after']);
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
  const auth = Buffer.from(`${connection.apiKey}:X`).toString('base64');
  const http = createHttpClient(
    apiBase(connection),
    { authorization: `Basic ${auth}` },
    options,
    'freshdesk',
  );
  const path = (ticketId: string, rest = '') => `/tickets/${encodeURIComponent(ticketId)}${rest}`;

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw vendorError(error, `Freshdesk ${what}`, options);
    }
  }

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

  return {
    dueMetrics: connection.writeDues,
    async fetchTicket(ticketId) {
      const ticket = await readTicket(ticketId, 'company,requester,stats');
      const company =
        ticket.company_id && connection.accountAttributes.length > 0
          ? await call(`view company ${ticket.company_id}`, async () => {
              const { data } = await http.get(`/companies/${ticket.company_id}`);
              return companySchema.parse(data);
            })
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
