export { toInstant } from '../core/map-values.js';
import type { ChannelCategory, Priority, StatusCategory } from '../core/ticket.js';
import { PRIORITIES } from '../core/ticket.js';

/** Help Scout conversation statuses: active, pending, closed, spam (and "open" in filters). */
const STATUSES: Record<string, StatusCategory> = {
  active: 'open',
  open: 'open',
  pending: 'pending',
  closed: 'closed',
  spam: 'spam',
};

/** Help Scout status → category + the raw status. */
export function toStatus(raw: string | null | undefined) {
  const detail = raw ? raw : null;
  return { category: (detail && STATUSES[detail.toLowerCase()]) || 'other', detail };
}

/**
 * Help Scout has no priority field: deskplan keeps the priority as one tag of its own,
 * `deskplan_priority_<low|normal|high|urgent>`.
 */
const PRIORITY_TAG_PREFIX = 'deskplan_priority_';
export const priorityTag = (priority: Priority) => `${PRIORITY_TAG_PREFIX}${priority}`;
export const isPriorityTag = (tag: string) => tag.toLowerCase().startsWith(PRIORITY_TAG_PREFIX);

/** The priority a conversation's tags carry (the first priority tag), raw tag as the detail. */
export function priorityOf(tags: readonly string[]) {
  const tag = tags.find(isPriorityTag) ?? null;
  const value = tag?.slice(PRIORITY_TAG_PREFIX.length).toLowerCase();
  const category = (PRIORITIES as readonly string[]).includes(value ?? '')
    ? (value as Priority)
    : null;
  return { category, detail: tag };
}

/** The latest of some instants (ISO), or null. */
export function latest(...instants: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const i of instants) if (i && (!best || Date.parse(i) > Date.parse(best))) best = i;
  return best;
}

/**
 * The calendar date (YYYY-MM-DD) of an instant in a time zone: what a date-only custom field
 * can hold of a due instant.
 */
export function localDate(instant: string, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

/** Conversation type (email, chat, phone) and source type (email, web, api…) → a channel. */
const CHANNELS: Record<string, ChannelCategory> = {
  email: 'email',
  emailfwd: 'email',
  chat: 'chat',
  beaconchat: 'chat',
  phone: 'voice',
  web: 'web',
  form: 'web',
  api: 'api',
  sms: 'sms',
  messaging: 'messaging',
};

export function toChannel(conversationType: string | null, sourceType: string | null) {
  const type = conversationType?.toLowerCase() ?? null;
  if (type === 'chat' || type === 'phone') {
    return { category: CHANNELS[type]!, detail: conversationType };
  }
  const source = sourceType?.toLowerCase() ?? null;
  const detail = sourceType ?? conversationType;
  if (!detail) return null;
  return {
    category: (source && CHANNELS[source]) || (type && CHANNELS[type]) || ('other' as const),
    detail,
  };
}
