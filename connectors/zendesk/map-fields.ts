export { domainOf, toAttribute, toId, toInstant } from '../core/map-values.js';
import type { ChannelCategory, Priority, StatusCategory } from '../core/ticket.js';

const STATUSES: Record<string, StatusCategory> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'hold',
  'on-hold': 'hold',
  solved: 'solved',
  closed: 'closed',
};
const PRIORITIES: Record<string, Priority> = {
  low: 'low',
  normal: 'normal',
  high: 'high',
  urgent: 'urgent',
};

/** Zendesk status (API name or rendered label, any case) → category + the raw label. */
export function toStatus(raw: string | null | undefined) {
  const detail = raw ? raw : null;
  return { category: (detail && STATUSES[detail.toLowerCase()]) || 'other', detail };
}

export function toPriority(raw: string | null | undefined) {
  const detail = raw ? raw : null;
  return { category: (detail && PRIORITIES[detail.toLowerCase()]) || null, detail };
}

/** Zendesk `via.channel` values → a channel category (the raw value is kept as the detail). */
const CHANNELS: Record<string, ChannelCategory> = {
  email: 'email',
  web: 'web',
  web_form: 'web',
  web_widget: 'web',
  help_center: 'web',
  api: 'api',
  chat: 'chat',
  native_messaging: 'messaging',
  mobile_sdk: 'messaging',
  messaging: 'messaging',
  voice: 'voice',
  sms: 'sms',
  facebook: 'social',
  twitter: 'social',
  instagram_dm: 'social',
  whatsapp: 'messaging',
  line: 'messaging',
};

export function toChannel(raw: string | null | undefined) {
  if (!raw) return null;
  return { category: CHANNELS[raw.toLowerCase()] ?? ('other' as const), detail: raw };
}
