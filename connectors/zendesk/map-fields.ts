import type { AttributeValue, Priority, StatusCategory } from '../core/ticket.js';

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

/** Zendesk's date forms ('2026-11-24T01:00:00Z', '…+00:00', 'November 24, 2026 10:00') → ISO, or null. */
export function toInstant(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export const domainOf = (email: string | null | undefined) =>
  email && email.includes('@') ? email.split('@').pop()!.toLowerCase() : null;

export function toAttribute(value: unknown): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return value;
  return JSON.stringify(value);
}
