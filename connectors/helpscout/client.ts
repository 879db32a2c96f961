import type { VendorClient } from '../core/connector.js';
import { VendorConflictError } from '../core/errors.js';
import type { HttpClientOptions } from '../core/http-client.js';
import { metricsWithField } from '../core/due-field-ids.js';
import { isEmptyPatch } from '../core/ticket-patch.js';
import type { AccessToken } from './access-token.js';
import { agentReplies, embeddedThreads } from './agent-replies.js';
import { createHelpscoutApi } from './api-call.js';
import type { HelpscoutConnection } from './connection-schema.js';
import { toTicket, versionOf } from './to-ticket.js';
import { lostChanges, noteHtml, planWrite } from './to-write-plan.js';
import {
  conversationListSchema,
  conversationSchema,
  customerSchema,
  isLastPage,
  organizationSchema,
  threadListSchema,
  type HelpscoutConversation,
  type HelpscoutOrganization,
  type HelpscoutThread,
} from './vendor-schemas.js';

/** Pages of threads findNote reads at most (50 threads a page, newest first). */
const NOTE_PAGES = 2;

/**
 * Pages of threads listReplies reads at most (50 threads a page, newest first). A conversation
 * holds at most 100 threads (2 pages); the cap only stops a runaway listing.
 */
const REPLY_PAGES = 10;

/** Organisations (by customer) a client remembers while listing tickets. */
const CACHE_SIZE = 2000;

/** A map that forgets its oldest entries past `size`. */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  has = (key: string) => this.map.has(key);
  get = (key: string) => this.map.get(key);
  set(key: string, value: V) {
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

/**
 * The List Conversations search for conversations created at or after `from`: Help Scout's
 * query syntax, a range open at the top
 * (https://developer.helpscout.com/mailbox-api/endpoints/conversations/list/).
 */
const createdSinceQuery = (from: string) =>
  `(createdAt:[${new Date(from).toISOString().replace(/\.\d{3}Z$/, 'Z')} TO *])`;

/**
 * List Conversations' `modifiedSince` for conversations modified at or after `from`: an ISO
 * date-time to the second (documented example 2018-05-04T12:00:03Z), "modified after this
 * timestamp". Whether "after" is strict is not documented, so the second before `from` is
 * asked for (floored to the second first), and the client drops what was modified earlier.
 */
const modifiedSinceParam = (from: string) =>
  new Date(Math.floor(Date.parse(from) / 1000) * 1000 - 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

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
  const { token, call } = createHelpscoutApi(connection, options);
  /** Customers and organisations read by listTickets, so a backfill reads each once. */
  const cache = new BoundedCache<HelpscoutOrganization | null>(CACHE_SIZE);
  /**
   * The threads of the conversations on the page listTickets answered last, by conversation id,
   * when the listing embedded all of them: listReplies answers those without a call. Replaced
   * by each page (at most 25 conversations).
   */
  let listedThreads = new Map<string, HelpscoutThread[]>();

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
    return readCustomerOrganization(customerId);
  }

  async function readCustomerOrganization(customerId: string) {
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
    dueMetrics: metricsWithField(connection.dueFields),

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
        if (isLastPage(list.page)) break;
      }
      return false;
    },

    async listTickets({ createdFrom, cursor, alsoUpdated = false }) {
      // Oldest first from a fixed lower bound: conversations created meanwhile land on later
      // pages, so a page number stays a valid cursor. The page's _links lose the query
      // parameters (a known Help Scout issue), so the next page is asked for by number.
      // With alsoUpdated the bound is the modification time instead, still sorted by creation:
      // an older conversation modified during the run joins the set before the current page
      // and pushes later ones back by one (a conversation is then listed twice, never missed);
      // a conversation never leaves the set, as its modification time only grows.
      const page = cursor === null ? 1 : Number(cursor);
      const since = alsoUpdated
        ? { modifiedSince: modifiedSinceParam(createdFrom) }
        : { query: createdSinceQuery(createdFrom) };
      const list = conversationListSchema.parse(
        await call(`list conversations (page ${page})`, {
          method: 'GET',
          url: '/conversations',
          params: {
            status: 'all',
            ...since,
            sortField: 'createdAt',
            sortOrder: 'asc',
            embed: 'threads',
            page,
          },
        }),
      );
      const fromMs = Date.parse(createdFrom);
      const conversations = (list._embedded?.conversations ?? []).filter(
        (c) =>
          Date.parse(c.createdAt) >= fromMs || (alsoUpdated && Date.parse(versionOf(c)) >= fromMs),
      );
      listedThreads = new Map();
      for (const c of conversations) {
        const threads = embeddedThreads(c);
        if (threads) listedThreads.set(c.id, threads);
      }
      const tickets = [];
      for (const conversation of conversations) {
        // Each customer's organisation is read once per client (two calls), not per ticket.
        const customerId = conversation.primaryCustomer?.id;
        let organization: HelpscoutOrganization | null = null;
        if (connection.readOrganization && customerId) {
          if (!cache.has(customerId))
            cache.set(customerId, await readCustomerOrganization(customerId));
          organization = cache.get(customerId) ?? null;
        }
        tickets.push(toTicket(conversation, connection, organization));
      }
      const last = isLastPage(list.page);
      return { tickets, nextCursor: last ? null : String(page + 1) };
    },

    async listReplies(ticketId) {
      const listed = listedThreads.get(ticketId);
      if (listed) return agentReplies(listed);
      const threads: HelpscoutThread[] = [];
      let oldestSeen = false;
      for (let page = 1; page <= REPLY_PAGES; page++) {
        const list = threadListSchema.parse(
          await call(`list threads ${ticketId} (page ${page})`, {
            method: 'GET',
            url: `${path(ticketId)}/threads`,
            params: { page },
          }),
        );
        threads.push(...(list._embedded?.threads ?? []));
        if (isLastPage(list.page)) {
          oldestSeen = true;
          break;
        }
      }
      // Past the cap the oldest threads were not read: no thread is taken for the opening one.
      return agentReplies(threads, oldestSeen);
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
