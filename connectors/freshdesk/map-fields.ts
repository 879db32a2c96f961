export { domainOf, toAttribute, toId, toInstant } from '../core/map-values.js';
import type { ChannelCategory, Priority, StatusCategory } from '../core/ticket.js';

/**
 * Freshdesk's built-in statuses, by the code the API gives and the label a webhook placeholder
 * renders. Custom statuses (codes 6 and up, e.g. "Waiting on Customer") are 'other'.
 */
const STATUS_CODES: Record<number, { label: string; category: StatusCategory }> = {
  2: { label: 'Open', category: 'open' },
  3: { label: 'Pending', category: 'pending' },
  4: { label: 'Resolved', category: 'solved' },
  5: { label: 'Closed', category: 'closed' },
};
/** 1 Low, 2 Medium, 3 High, 4 Urgent; Medium is the common model's 'normal'. */
const PRIORITY_CODES: Record<number, { label: string; category: Priority }> = {
  1: { label: 'Low', category: 'low' },
  2: { label: 'Medium', category: 'normal' },
  3: { label: 'High', category: 'high' },
  4: { label: 'Urgent', category: 'urgent' },
};

const byLabel = <T extends { label: string }>(codes: Record<number, T>) =>
  new Map(Object.values(codes).map((entry) => [entry.label.toLowerCase(), entry]));
const STATUS_LABELS = byLabel(STATUS_CODES);
const PRIORITY_LABELS = byLabel(PRIORITY_CODES);

/** The code Freshdesk's API takes for a common priority. */
export const PRIORITY_CODE: Record<Priority, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
/** The status code of Open: the only status on which Freshdesk surely accepts due dates. */
export const OPEN_STATUS = 2;

type Mapped<C> = { category: C; detail: string | null };

/**
 * A status label from a webhook ("Pending") or a code from the API (3) → category + the raw
 * label (a code's label for the built-in ones; the code itself for a custom status).
 */
export function toStatus(raw: string | number | null | undefined): Mapped<StatusCategory> {
  if (raw === null || raw === undefined || raw === '') return { category: 'other', detail: null };
  if (typeof raw === 'number') {
    const known = STATUS_CODES[raw];
    return known
      ? { category: known.category, detail: known.label }
      : { category: 'other', detail: String(raw) };
  }
  return {
    category: STATUS_LABELS.get(raw.trim().toLowerCase())?.category ?? 'other',
    detail: raw,
  };
}

/** A priority label ("Medium") or code (2) → category + raw; unknown gives a null category. */
export function toPriority(raw: string | number | null | undefined): Mapped<Priority | null> {
  if (raw === null || raw === undefined || raw === '') return { category: null, detail: null };
  if (typeof raw === 'number') {
    const known = PRIORITY_CODES[raw];
    return known
      ? { category: known.category, detail: known.label }
      : { category: null, detail: String(raw) };
  }
  return { category: PRIORITY_LABELS.get(raw.trim().toLowerCase())?.category ?? null, detail: raw };
}

/** Freshdesk `source` codes → a channel category (the code is kept as the detail). */
const SOURCES: Record<number, ChannelCategory> = {
  1: 'email',
  2: 'web', // portal
  3: 'voice', // phone
  5: 'social', // Twitter
  6: 'social', // Facebook
  7: 'chat',
  9: 'web', // feedback widget
  10: 'email', // outbound email
};

export function toChannel(source: number | null | undefined) {
  if (source === null || source === undefined) return null;
  return { category: SOURCES[source] ?? ('other' as const), detail: String(source) };
}

/**
 * The tags a `{{ticket.tags}}` placeholder renders. Freshdesk refuses commas inside a tag, so a
 * comma separates tags; the rendered separator is not verified, and a tag may contain spaces,
 * so only commas split. (The worker reads the ticket's real tag array before any write.)
 */
export const splitTags = (raw: string | null | undefined) =>
  (raw ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** deskplan's own tags: the only ones it ever adds or removes. */
export const isOwnTag = (tag: string) => tag.startsWith('deskplan_');
