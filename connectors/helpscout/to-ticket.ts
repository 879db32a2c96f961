import { toAccount } from '../core/map-values.js';
import { noTicketHistory, type Ticket } from '../core/ticket.js';
import { dueCustomFields } from '../core/due-field-ids.js';
import type { HelpscoutConnection } from './connection-schema.js';
import { isPriorityTag, latest, priorityOf, toChannel, toInstant, toStatus } from './map-fields.js';
import type {
  HelpscoutConversation,
  HelpscoutOrganization,
  HelpscoutThread,
} from './vendor-schemas.js';

const AGENT_REPLY_TYPES = new Set(['reply', 'message', 'chat']);
const NOT_MESSAGES = new Set(['note', 'lineitem']);
/**
 * Thread states: published, draft, underreview (held by collision detection until its author
 * confirms or discards it: not sent yet) and hidden (removed from the customer's emails). The
 * list is the legacy Thread object's (https://developer.helpscout.com/help-desk-api/objects/thread/);
 * that v2 keeps the same values is an assumption.
 */
const NOT_SENT = new Set(['draft', 'underreview', 'hidden']);
const isPublished = (t: HelpscoutThread) => !NOT_SENT.has(t.state ?? '');

/** A thread an agent sent to the customer (a reply, an outgoing message, a chat answer). */
export const isAgentReply = (t: HelpscoutThread) =>
  isPublished(t) && t.createdBy?.type === 'user' && AGENT_REPLY_TYPES.has(t.type);

/** A thread the customer wrote (an email, a chat message…), not a note or a line item. */
const isCustomerMessage = (t: HelpscoutThread) =>
  isPublished(t) && t.createdBy?.type === 'customer' && !NOT_MESSAGES.has(t.type);

const byTime = (a: HelpscoutThread, b: HelpscoutThread) =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt);

/**
 * What the threads say of the replies: the first and last agent replies, and the oldest
 * customer message no agent reply has answered yet (when the next-response clock started).
 */
export function replyHistory(threads: readonly HelpscoutThread[]) {
  const sorted = [...threads].sort(byTime);
  const agent = sorted.filter(isAgentReply);
  const lastAgent = agent.at(-1) ?? null;
  const waiting = sorted.find(
    (t) =>
      isCustomerMessage(t) &&
      (!lastAgent || Date.parse(t.createdAt) > Date.parse(lastAgent.createdAt)),
  );
  return {
    firstAgentReplyAt: toInstant(agent[0]?.createdAt),
    lastAgentReplyAt: toInstant(lastAgent?.createdAt),
    lastCustomerMessageAt: toInstant(waiting?.createdAt),
    lastAgentReply: lastAgent,
    lastCustomerMessage: sorted.filter(isCustomerMessage).at(-1) ?? null,
  };
}

/** The conversation's version: the latest of its timestamps and threads. */
export function versionOf(c: HelpscoutConversation): string {
  const threads = c._embedded?.threads ?? [];
  return (
    latest(
      toInstant(c.createdAt),
      toInstant(c.updatedAt),
      toInstant(c.userUpdatedAt),
      toInstant(c.closedAt),
      ...threads.map((t) => toInstant(t.createdAt)),
    ) ?? new Date(0).toISOString()
  );
}

/**
 * A v2 Conversation (a webhook body, or Get Conversation with embed=threads) → the common
 * ticket. Priority comes from deskplan's priority tag, which is left out of `tags`; the due
 * fields' values (dates) land in `customFields` under deskplan's keys; `brandId` is the mailbox.
 */
export function toTicket(
  c: HelpscoutConversation,
  connection: HelpscoutConnection,
  organization: HelpscoutOrganization | null = null,
): Ticket {
  const allTags = c.tags.map((t) => t.tag);
  const customFields = dueCustomFields(
    connection.dueFields,
    (id) => c.customFields.find((f) => f.id === id)?.value ?? null,
  );
  const email = c.primaryCustomer?.email ?? null;
  const name = [c.primaryCustomer?.first, c.primaryCustomer?.last].filter(Boolean).join(' ');
  const account = toAccount(
    email,
    organization && {
      id: organization.id,
      name: organization.name,
      domain: organization.domains[0]?.toLowerCase() ?? null,
      attributes: {},
    },
  );
  const threads = c._embedded?.threads;
  const history = threads ? replyHistory(threads) : null;
  const status = toStatus(c.status);
  const createdAt = toInstant(c.createdAt) ?? new Date(0).toISOString();
  return {
    id: c.id,
    subject: c.subject ?? '',
    status,
    priority: priorityOf(allTags),
    tags: allTags.filter((t) => !isPriorityTag(t)),
    requester: { id: c.primaryCustomer?.id ?? null, email, name: name || null },
    account,
    createdAt,
    updatedAt: versionOf(c),
    ...noTicketHistory(),
    firstAgentReplyAt: history?.firstAgentReplyAt ?? null,
    lastAgentReplyAt: history?.lastAgentReplyAt ?? null,
    lastCustomerMessageAt: history?.lastCustomerMessageAt ?? null,
    solvedAt: status.category === 'closed' ? toInstant(c.closedAt) : null,
    formId: null,
    brandId: c.mailboxId ?? null,
    channel: toChannel(c.type, c.source?.type ?? null),
    unknownFields: [],
    customFields,
    vendorSpecific: { number: c.number ?? null, mailboxId: c.mailboxId ?? null },
  };
}
