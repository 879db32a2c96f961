import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../core/connector.js';
import { WebhookError } from '../core/errors.js';

// https://developer.zendesk.com/documentation/webhooks/verifying/
export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
const WINDOW_MS = 5 * 60_000;

/** base64(HMAC-SHA256(secret, timestamp + body)), as Zendesk signs a webhook request. */
export function signZendeskWebhook(
  body: string | Buffer,
  secret: string,
  timestamp: string,
): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
}

/**
 * The standard base64 of a 32-byte HMAC-SHA256, exactly: 43 characters of the standard alphabet
 * (the last one carrying only 2 bits of data) then one '='. No base64url, whitespace, missing
 * padding or trailing junk, which a lenient decoder would skip.
 */
const SIGNATURE_FORMAT = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** ISO 8601 date-time with seconds and a zone: 2026-11-24T01:00:00Z, …00.123+09:00. */
const TIMESTAMP_FORMAT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of a strict ISO 8601 date-time with its zone, or null (Feb 30, 24:00, no zone…). */
export function parseSignatureTimestamp(text: string): number | null {
  const m = TIMESTAMP_FORMAT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8]) {
    const [hours, minutes] = [Number(m[9]), Number(m[10])];
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // years below 100 stay as written
  utc.setUTCHours(hour, minute, second, ms);
  return utc.getTime() - offsetMinutes * 60_000;
}

/** Throws WebhookError(401) unless a current (or rotating) secret signed this fresh request. */
export function verifyZendeskSignature(request: WebhookRequest, secrets: readonly string[]): void {
  const signature = request.headers[SIGNATURE_HEADER];
  const timestamp = request.headers[TIMESTAMP_HEADER];
  if (!signature || !timestamp) {
    throw new WebhookError(
      401,
      'missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp header',
    );
  }
  if (!SIGNATURE_FORMAT.test(signature)) {
    throw new WebhookError(
      401,
      'malformed X-Zendesk-Webhook-Signature: expected the base64 of a SHA-256 HMAC ' +
        '(44 characters ending in =)',
    );
  }
  const signedAt = parseSignatureTimestamp(timestamp);
  if (signedAt === null) {
    throw new WebhookError(
      401,
      'malformed X-Zendesk-Webhook-Signature-Timestamp: expected an ISO 8601 date-time with its ' +
        'zone, e.g. 2026-11-24T01:00:00Z',
    );
  }
  if (Math.abs(request.receivedAt - signedAt) > WINDOW_MS) {
    throw new WebhookError(401, 'stale or future signature timestamp (more than 5 minutes off)');
  }
  const given = Buffer.from(signature, 'base64'); // 32 bytes: the format says so
  // Every secret is tried (no early exit), each compare in constant time.
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret)
      .update(timestamp)
      .update(request.rawBody)
      .digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  if (!valid) throw new WebhookError(401, 'signature does not match the webhook secret');
}
