import { WebhookError } from './errors.js';
import type { AttributeValue } from './ticket.js';

/** A vendor's date-time text → ISO 8601 in UTC, or null when it cannot be read. */
export function toInstant(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The lower-case domain of an email address, or null. */
export const domainOf = (email: string | null | undefined) =>
  email && email.includes('@') ? email.split('@').pop()!.toLowerCase() : null;

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
