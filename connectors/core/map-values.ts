import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { WebhookError } from './errors.js';
import type { Account, AttributeValue } from './ticket.js';

/** A vendor's date-time text → ISO 8601 in UTC, or null when it cannot be read. */
export function toInstant(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The lower-case domain of an email address, or null. */
export const domainOf = (email: string | null | undefined) =>
  email && email.includes('@') ? email.split('@').pop()!.toLowerCase() : null;

/** An organisation as a connector read it, for `toAccount`. */
export interface OrganizationFacts {
  id: string;
  name: string | null;
  /** Its first email domain, as the connector wants it used. */
  domain: string | null;
  attributes: Record<string, AttributeValue>;
}

/**
 * A ticket's account: its organisation (the email domain the requester's, else the
 * organisation's), else only the requester's email domain, else none.
 */
export function toAccount(email: string | null, org: OrganizationFacts | null): Account | null {
  if (org) {
    const { id, name, domain, attributes } = org;
    return { id, name, emailDomain: domainOf(email) ?? domain, attributes };
  }
  return email ? { id: null, name: null, emailDomain: domainOf(email), attributes: {} } : null;
}

/** A vendor's custom field value as an account attribute (anything else as its JSON text). */
export function toAttribute(value: unknown): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return value;
  return JSON.stringify(value);
}

/** A webhook's raw body as JSON; a 400 saying why when it is not. */
export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new WebhookError(400, 'body is not JSON', [(error as Error).message]);
  }
}

/**
 * A delivery id from the signed (or secret-guarded) body itself: a captured body re-posted, or a
 * vendor's retry of it, is the same delivery whatever its unsigned headers say.
 */
export const bodyDeliveryId = (rawBody: Buffer) =>
  `body-${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`;

/** A failed parse's problems, one line each with its path: what a 400 lists. */
export const zodIssues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);

/** A vendor id as text; null for an absent or zero id (Zendesk and Freshdesk send 0 for none). */
export const toId = (raw: string | number | null | undefined) =>
  raw === null || raw === undefined || raw === '' || raw === 0 || raw === '0' ? null : String(raw);
