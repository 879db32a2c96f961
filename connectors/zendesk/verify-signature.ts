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

/** Constant-time compare of two base64 digests; false (never a throw) on any shape mismatch. */
function sameDigest(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(given, 'base64');
  return a.length === b.length && a.length === 32 && timingSafeEqual(a, b);
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
  const signedAt = Date.parse(timestamp);
  if (!Number.isFinite(signedAt) || Math.abs(request.receivedAt - signedAt) > WINDOW_MS) {
    throw new WebhookError(401, 'stale or future signature timestamp (more than 5 minutes off)');
  }
  const valid = secrets.some((secret) =>
    sameDigest(signZendeskWebhook(request.rawBody, secret, timestamp), signature),
  );
  if (!valid) throw new WebhookError(401, 'signature does not match the webhook secret');
}
