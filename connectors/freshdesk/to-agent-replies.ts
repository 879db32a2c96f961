import type { AgentReply } from '../core/connector.js';
import { toInstant } from './map-fields.js';
import type { FreshdeskConversation } from './vendor-schemas.js';

/** The `source` of a conversation that is a reply (2 is a note; the rest are other channels). */
const REPLY_SOURCE = 0;

/**
 * The public agent replies among a ticket's conversations, oldest first: a reply (`source` 0)
 * that did not come from outside (`incoming` false) and is not private. Notes (private or
 * public, `source` 2), a customer's replies (`incoming` true) and forwards (`source` 8) are
 * left out; the ticket's description is not a conversation at all. A conversation without an id
 * or a readable time cannot be counted once and in the right period, so it is left out too;
 * a conversation read twice (pages read while one is added) counts once.
 * Assumption: an agent's answer on a social channel (`source` 5 or 7) is not counted; the
 * reference lists those sources as "created from" a tweet or post, not as replies.
 */
export function toAgentReplies(conversations: readonly FreshdeskConversation[]): AgentReply[] {
  const replies = new Map<number, AgentReply & { order: number }>();
  for (const c of conversations) {
    if (c.source !== REPLY_SOURCE || c.incoming !== false || c.private !== false) continue;
    const at = toInstant(c.created_at);
    if (typeof c.id !== 'number' || at === null) continue;
    replies.set(c.id, { id: String(c.id), at, order: c.id });
  }
  return [...replies.values()]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.order - b.order)
    .map(({ id, at }) => ({ id, at }));
}
