import type { TicketPatch } from '../core/ticket-patch.js';
import type { FreshdeskConnection } from './connection-schema.js';
import { isOwnTag, OPEN_STATUS, PRIORITY_CODE, toInstant } from './map-fields.js';
import { DUE_FIELD } from './to-ticket.js';
import type { ViewTicket } from './vendor-schemas.js';

/** What an Update Ticket body leaves out of a patch, and why (for logs and tests). */
export type Skipped =
  | 'dues: ticket not Open'
  | 'dues: cannot clear'
  | 'dues: before created_at'
  | 'dues: fr_due_by after due_by';

/**
 * The tags after a patch: the ticket's current tags, less deskplan's own tags the patch
 * removes, plus the ones it adds. Anyone else's tag stays, whatever the patch says.
 */
export function mergeTags(
  current: readonly string[],
  patch: Pick<TicketPatch, 'addTags' | 'removeTags'>,
) {
  const drop = new Set(patch.removeTags.filter(isOwnTag));
  const kept = current.filter((t) => !drop.has(t));
  return [...kept, ...patch.addTags.filter((t) => !kept.includes(t))];
}

/** Whether `tags` hold the patch's effect on deskplan's own tags. */
export const holdsPatch = (
  tags: readonly string[],
  patch: Pick<TicketPatch, 'addTags' | 'removeTags'>,
) =>
  patch.addTags.every((t) => tags.includes(t)) &&
  patch.removeTags.filter(isOwnTag).every((t) => !tags.includes(t));

/**
 * fr_due_by and due_by as Freshdesk would accept them, or why not. Freshdesk refuses either on a
 * ticket whose status stops the SLA timer (Resolved and Closed; Pending and custom statuses may
 * too, so only Open is written), wants both later than the ticket's created_at, fr_due_by no
 * later than due_by, and cannot clear them. Both are sent together (older API versions require
 * the pair), the unchanged one at its current value. When deskplan's policy sets only one of the
 * two (a resolution-only plan, say), Freshdesk's own date is kept for the other, moved only as
 * far as the order needs: a first response due after deskplan's resolution due comes forward to
 * it; a resolution due before deskplan's first-response due goes back to it.
 */
function dueDates(ticket: ViewTicket, patch: TicketPatch, connection: FreshdeskConnection) {
  const metrics = connection.writeDues.filter((m) => m in patch.dues);
  if (metrics.length === 0) return { dues: null, skipped: null };
  if (ticket.status !== OPEN_STATUS)
    return { dues: null, skipped: 'dues: ticket not Open' as const };
  const value = (metric: keyof typeof DUE_FIELD) =>
    metric in patch.dues ? (patch.dues[metric] ?? null) : toInstant(ticket[DUE_FIELD[metric]]);
  const ours = (metric: keyof typeof DUE_FIELD) =>
    metric in patch.dues && patch.dues[metric] != null;
  const current = (metric: keyof typeof DUE_FIELD) => toInstant(ticket[DUE_FIELD[metric]]);
  // A due deskplan does not set (null: its policy has none) keeps Freshdesk's own.
  let fr = ours('firstResponse') ? value('firstResponse') : current('firstResponse');
  let due = ours('resolution') ? value('resolution') : current('resolution');
  if (!ours('firstResponse') && !ours('resolution')) {
    return { dues: null, skipped: 'dues: cannot clear' as const };
  }
  // Only a due deskplan has none of (null in the patch) moves; one merely unchanged stays.
  const none = (metric: keyof typeof DUE_FIELD) =>
    metric in patch.dues && patch.dues[metric] == null;
  if (fr !== null && due !== null && Date.parse(fr) > Date.parse(due)) {
    if (ours('resolution') && none('firstResponse')) fr = due;
    else if (ours('firstResponse') && none('resolution')) due = fr;
  }
  fr ??= due;
  due ??= fr;
  if (fr === null || due === null) return { dues: null, skipped: 'dues: cannot clear' as const };
  const created = Date.parse(ticket.created_at);
  if (Date.parse(fr) < created || Date.parse(due) < created) {
    return { dues: null, skipped: 'dues: before created_at' as const };
  }
  if (Date.parse(fr) > Date.parse(due)) {
    return { dues: null, skipped: 'dues: fr_due_by after due_by' as const };
  }
  const same = (a: string | null | undefined, b: string) => toInstant(a) === toInstant(b);
  if (same(ticket.fr_due_by, fr) && same(ticket.due_by, due)) return { dues: null, skipped: null };
  return { dues: { fr_due_by: fr, due_by: due }, skipped: null };
}

/**
 * One Update Ticket body (PUT /api/v2/tickets/{id}) for a patch, against the ticket as just
 * read: `tags` replaces the whole list, so it is the merge of the current tags with deskplan's
 * own changes; `priority` as 1–4; the due dates when Freshdesk would take them. Empty when
 * nothing needs writing. The note goes separately (Create a Note).
 */
export function toUpdateBody(
  ticket: ViewTicket,
  patch: TicketPatch,
  connection: FreshdeskConnection,
): { body: Record<string, unknown>; skipped: Skipped[] } {
  const body: Record<string, unknown> = {};
  const skipped: Skipped[] = [];
  if (patch.addTags.length || patch.removeTags.length) {
    const tags = mergeTags(ticket.tags, patch);
    if (tags.length !== ticket.tags.length || tags.some((t, i) => t !== ticket.tags[i])) {
      body.tags = tags;
    }
  }
  if (patch.priority && PRIORITY_CODE[patch.priority] !== ticket.priority) {
    body.priority = PRIORITY_CODE[patch.priority];
  }
  const { dues, skipped: why } = dueDates(ticket, patch, connection);
  if (dues) Object.assign(body, dues);
  if (why) skipped.push(why);
  return { body, skipped };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** A plain-text note as the HTML body Create a Note takes: escaped, line breaks kept. */
export const toNoteHtml = (note: string) =>
  note.replace(/[&<>"]/g, (c) => ESCAPES[c]!).replace(/\r?\n/g, '<br>');
