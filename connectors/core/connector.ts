import type { z } from 'zod';
import type { HttpClientOptions } from './http-client.js';
import type { Setup } from './setup.js';
import type { DueInstants, TicketPatch } from './ticket-patch.js';
import type { Ticket, TicketEvent, Vendor } from './ticket.js';

/** A webhook request as the receiver got it: the raw bytes, before any parsing. */
export interface WebhookRequest {
  rawBody: Buffer;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** When the receiver got it (epoch ms): the clock for timestamp windows. */
  receivedAt: number;
}

/** A verified delivery, mapped to the common model. */
export interface Delivery {
  /** The vendor's id for this delivery: retries of the same delivery carry the same id. */
  deliveryId: string;
  event: TicketEvent;
  /** True when the webhook lacks fields the rules need, so the worker must fetch the ticket. */
  incomplete: boolean;
}

/** One page of a ticket listing, in the common model. */
export interface TicketPage {
  tickets: Ticket[];
  /** Where the next page starts; null when this page was the last. */
  nextCursor: string | null;
}

/** A public agent reply as a helpdesk lists it (backfill). */
export interface AgentReply {
  /** The helpdesk's own id of the comment, conversation or thread: stable across reads. */
  id: string;
  at: string;
}

/** What the worker needs from a helpdesk's REST API. */
export interface VendorClient {
  /** The due instants this helpdesk account can hold (fields configured for the tenant). */
  readonly dueMetrics: readonly (keyof DueInstants)[];
  /** The ticket in the common model, with its account (organisation) filled in. */
  fetchTicket(ticketId: string): Promise<Ticket>;
  /** Writes the patch in one call; `current` is the ticket as last read (for optimistic locks). */
  applyPatch(ticket: Ticket, patch: TicketPatch): Promise<void>;
  /**
   * Whether the ticket holds a note containing `marker` (deskplan ends each note with one). A
   * retry after a write that failed ambiguously (a timeout, a 5xx) asks this before writing the
   * note again. A helpdesk that cannot say leaves it out, and such a note may then repeat.
   */
  findNote?(ticketId: string, marker: string): Promise<boolean>;
  /**
   * Backfill: the tickets created at or after `createdFrom` (an ISO instant), one page at a
   * time, oldest first where the helpdesk allows it; `cursor` is a page's `nextCursor` (null for
   * the first page). Only tickets created at or after `createdFrom` are returned, unless
   * `alsoUpdated` is true: then tickets created earlier but updated at or after `createdFrom`
   * come too (their replies may fall in a current period). A helpdesk that cannot list tickets
   * leaves it out. A 429 throws VendorRateLimitedError: wait, then ask again.
   */
  listTickets?(query: {
    createdFrom: string;
    cursor: string | null;
    alsoUpdated?: boolean;
  }): Promise<TicketPage>;
  /**
   * Backfill of replies: every public agent reply of a ticket (a reply sent to the customer by
   * an agent, not a note, not a customer message), oldest first, each with the helpdesk's own
   * id for it. A ticket this client has just listed may be answered without a call. A helpdesk
   * that cannot list a ticket's replies leaves it out. A 429 throws VendorRateLimitedError.
   */
  listReplies?(ticketId: string): Promise<AgentReply[]>;
}

/**
 * One helpdesk. Each connector folder exports one of these; `connectors/registry.ts` lists them. `C` is
 * the vendor-specific connection config of a tenant (base URL, credentials, webhook secrets,
 * field ids), validated by `connectionSchema`.
 */
export interface Connector<C = unknown> {
  readonly vendor: Vendor;
  readonly connectionSchema: z.ZodType<C>;
  /** Throws WebhookError(401) unless the request is authentic and fresh. */
  verify(request: WebhookRequest, connection: C): void;
  /** Throws WebhookError(400) with what was wrong when the body is not a ticket webhook. */
  parse(request: WebhookRequest, tenantId: string, connection: C): Delivery;
  createClient(connection: C, options?: HttpClientOptions): VendorClient;
  /** Where an agent opens the ticket in the helpdesk (links in SLA lists and reports). */
  agentTicketUrl?(connection: C, ticketId: string): string;
  /**
   * Onboarding (`deskplan connect`, `disconnect`, `doctor`): what this helpdesk needs to send
   * deskplan its events. A connector that cannot set itself up leaves it out.
   */
  createSetup?(connection: C, options?: HttpClientOptions): Setup;
}
