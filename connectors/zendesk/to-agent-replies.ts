import type { AgentReply } from '../core/connector.js';
import type { CommentList } from './vendor-schemas.js';

type Comment = CommentList['comments'][number];

/** The Zendesk roles that answer customers (users' `role`: end-user, agent or admin). */
const ANSWERING_ROLES = new Set(['agent', 'admin']);

/**
 * A ticket's public agent replies, oldest first, from all its comments and their side-loaded
 * authors' roles (user id → role). Not counted: private comments (internal notes), comments by
 * end users or by authors whose role is unknown, and the ticket's first comment, which is its
 * description (the opening message, even when an agent opened the ticket for a customer). A
 * comment without an id or a readable `created_at` is neither counted nor taken as the first;
 * a comment listed twice counts once.
 */
export function toAgentReplies(
  comments: readonly Comment[],
  roles: ReadonlyMap<string, string | null>,
): AgentReply[] {
  const seen = new Set<string>();
  const dated = comments
    .flatMap((comment) => {
      const ms = Date.parse(comment.created_at ?? '');
      const id = comment.id == null ? null : String(comment.id);
      // A comment read twice (pages that overlapped) is one comment.
      if (id === null || !Number.isFinite(ms) || seen.has(id)) return [];
      seen.add(id);
      return [{ comment, id, ms }];
    })
    .sort((a, b) => a.ms - b.ms || Number(a.id) - Number(b.id));
  return dated
    .slice(1)
    .filter(({ comment }) => {
      if (comment.public !== true) return false;
      const role = comment.author_id == null ? null : roles.get(String(comment.author_id));
      return ANSWERING_ROLES.has(role?.toLowerCase() ?? '');
    })
    .map(({ id, ms }) => ({ id, at: new Date(ms).toISOString() }));
}
