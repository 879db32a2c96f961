import type { AgentReply } from '../core/connector.js';
import { toInstant } from './map-fields.js';
import { isAgentReply } from './to-ticket.js';
import type { HelpscoutConversation, HelpscoutThread } from './vendor-schemas.js';

const oldestFirst = (a: HelpscoutThread, b: HelpscoutThread) =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt) || Number(a.id) - Number(b.id);

/**
 * The public agent replies among a conversation's threads, oldest first, each named by its
 * thread id (the id a `convo.agent.reply.created` webhook names, see to-event.ts). An agent
 * reply is what `isAgentReply` says (a published reply, outgoing message or chat answer by a
 * user): notes, customer threads, drafts, hidden threads and line items are not. The
 * conversation's opening thread is not a reply either: an agent who starts a conversation
 * writes a `message` thread by a user, which the webhook reports as `convo.created`. It is only
 * recognised when `oldestSeen` (the threads reach back to the conversation's start). A thread
 * whose time cannot be read is left out (it cannot be placed in a period).
 */
export function agentReplies(threads: readonly HelpscoutThread[], oldestSeen = true): AgentReply[] {
  const sorted = [...threads].sort(oldestFirst);
  // Line items (assigned, moved, workflow ran…) are events, not the message that opened it.
  const opening = oldestSeen ? sorted.find((t) => t.type !== 'lineitem') : undefined;
  return sorted.flatMap((t) => {
    const at = toInstant(t.createdAt);
    // A reply without a readable time cannot be placed in a period: left out.
    return t !== opening && isAgentReply(t) && at ? [{ id: t.id, at }] : [];
  });
}

/**
 * The threads a listed conversation embeds, when they are all of them; null when a List
 * Threads call must read them instead. Help Scout documents that a listing truncates chat
 * threads (https://developer.helpscout.com/mailbox-api/endpoints/conversations/list/), so a
 * chat conversation is always read again. The listing does not say whether it embeds every
 * thread of a long conversation: its `threads` count (documented on Get Conversation) is
 * compared, and an embed that holds fewer (or a conversation without the count) is read again.
 */
export function embeddedThreads(c: HelpscoutConversation): HelpscoutThread[] | null {
  const threads = c._embedded?.threads;
  if (!threads || c.type === 'chat' || c.threads == null) return null;
  return threads.length >= c.threads ? threads : null;
}
