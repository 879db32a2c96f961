import { AxiosError, type AxiosRequestConfig } from 'axios';
import type { VendorClient } from '../core/connector.js';
import { VendorConflictError } from '../core/errors.js';
import { createHttpClient, toVendorError, type HttpClientOptions } from '../core/http-client.js';
import { DUE_METRICS, isEmptyPatch } from '../core/ticket-patch.js';
import { AccessToken, RATE_LIMIT_HEADERS } from './access-token.js';
import { apiBase, type HelpscoutConnection } from './connection-schema.js';
import { toTicket } from './to-ticket.js';
import { lostChanges, noteHtml, planWrite } from './to-write-plan.js';
import {
  conversationSchema,
  customerSchema,
  organizationSchema,
  threadListSchema,
  type HelpscoutConversation,
} from './vendor-schemas.js';

/** Pages of threads findNote reads at most (50 threads a page, newest first). */
const NOTE_PAGES = 2;

/**
 * Help Scout Mailbox API 2.0. Reads: the conversation with its threads, its customer and the
 * customer's organisation. Writes (replace-all, no lock): tags and custom fields are merged into
 * a fresh read, written, read back to check nothing was lost to a concurrent writer (once more
 * if it was), then the internal note. The OAuth token lives in this client's memory.
 */
export function createHelpscoutClient(
  connection: HelpscoutConnection,
  options: HttpClientOptions = {},
): VendorClient & { readonly token: AccessToken } {
  const http = createHttpClient(apiBase(connection), {}, options, 'helpscout');
  const token = new AccessToken(connection, http, options);

  /** One API call with the current token; a 401 renews the token and tries once more. */
  async function call<T>(what: string, request: AxiosRequestConfig): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const value = await token.get();
      try {
        const response = await http.request<T>({
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${value}` },
        });
        return response.data;
      } catch (error) {
        if (attempt === 0 && error instanceof AxiosError && error.response?.status === 401) {
          token.invalidate(value); // expired or revoked: one retry with a fresh token
          continue;
        }
        throw toVendorError(error, `Help Scout ${what}`, options, RATE_LIMIT_HEADERS);
      }
    }
  }

  const path = (id: string) => `/conversations/${encodeURIComponent(id)}`;

  async function readConversation(id: string, threads: boolean): Promise<HelpscoutConversation> {
    const data = await call<unknown>(`get conversation ${id}`, {
      method: 'GET',
      url: path(id),
      params: threads ? { embed: 'threads' } : undefined,
    });
    return conversationSchema.parse(data);
  }

  async function readOrganization(conversation: HelpscoutConversation) {
    const customerId = conversation.primaryCustomer?.id;
    if (!connection.readOrganization || !customerId) return null;
    const customer = customerSchema.parse(
      await call(`get customer ${customerId}`, {
        method: 'GET',
        url: `/customers/${encodeURIComponent(customerId)}`,
      }),
    );
    if (!customer.organizationId) return null;
    return organizationSchema.parse(
      await call(`get organization ${customer.organizationId}`, {
        method: 'GET',
        url: `/organizations/${encodeURIComponent(customer.organizationId)}`,
      }),
    );
  }

  return {
    token,
    dueMetrics: DUE_METRICS.filter((metric) => connection.dueFields[metric] !== undefined),

    async fetchTicket(ticketId) {
      const conversation = await readConversation(ticketId, true);
      return toTicket(conversation, connection, await readOrganization(conversation));
    },

    async findNote(ticketId, marker) {
      for (let page = 1; page <= NOTE_PAGES; page++) {
        const list = threadListSchema.parse(
          await call(`list threads ${ticketId}`, {
            method: 'GET',
            url: `${path(ticketId)}/threads`,
            params: { page },
          }),
        );
        const threads = list._embedded?.threads ?? [];
        if (threads.some((t) => t.type === 'note' && t.body?.includes(marker))) return true;
        if (!list.page || list.page.number >= list.page.totalPages) break;
      }
      return false;
    },

    async applyPatch(ticket, patch) {
      if (isEmptyPatch(patch)) return;
      let duesWritten = {};
      let lost: string[] = [];
      for (let attempt = 0; attempt < 2; attempt++) {
        const fresh = await readConversation(ticket.id, false);
        const plan = planWrite(fresh, patch, connection);
        if (attempt === 0) duesWritten = plan.duesWritten;
        if (plan.tags) {
          await call(`update tags ${ticket.id}`, {
            method: 'PUT',
            url: `${path(ticket.id)}/tags`,
            data: { tags: plan.tags },
          });
        }
        if (plan.fields) {
          await call(`update custom fields ${ticket.id}`, {
            method: 'PUT',
            url: `${path(ticket.id)}/fields`,
            data: { fields: plan.fields },
          });
        }
        if (!plan.tags && !plan.fields) {
          lost = [];
          break;
        }
        // No lock exists: read back, and merge again if a concurrent writer replaced our lists.
        lost = lostChanges(await readConversation(ticket.id, false), plan);
        if (lost.length === 0) break;
      }
      if (lost.length > 0) {
        throw new VendorConflictError(
          `Help Scout conversation ${ticket.id}: a concurrent change replaced ours twice (${lost.join('; ')})`,
        );
      }
      const text = noteHtml(patch.note, duesWritten);
      if (text !== null) {
        await call(`add note ${ticket.id}`, {
          method: 'POST',
          url: `${path(ticket.id)}/notes`,
          data: { text },
        });
      }
    },
  };
}
