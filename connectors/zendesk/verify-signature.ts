import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../core/connector.js';
import { instant } from '../core/ticket.js';
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
 * (the last one carrying only 4 bits of data) then one '='. No base64url, whitespace, missing
 * padding or trailing junk, which a lenient decoder would skip.
 */
const SIGNATURE_FORMAT = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/**
 * Epoch ms of a strict ISO 8601 date-time with seconds and its zone (2026-11-24T01:00:00Z,
 * …00.123+09:00), or null (Feb 30, 24:00, no zone…): the ticket model's own instant check.
 */
export function parseSignatureTimestamp(text: string): number | null {
  return instant.safeParse(text).success ? Date.parse(text) : null;
}

/** Throws WebhookError(401) unless a current (or rotating) secret signed this fresh request. */
export function verifyZendeskSignature(request: WebhookRequest, secrets: readonly string[]): void {
  if (secrets.length === 0) {
    throw new WebhookError(401, 'no webhook signing secret yet: run deskplan connect');
  }
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
    const expected = Buffer.from(signZendeskWebhook(request.rawBody, secret, timestamp), 'base64');
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  if (!valid) throw new WebhookError(401, 'signature does not match the webhook secret');
}
