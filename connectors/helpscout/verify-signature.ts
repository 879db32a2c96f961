import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../core/connector.js';
import { WebhookError } from '../core/errors.js';

// https://developer.helpscout.com/webhooks/
export const SIGNATURE_HEADER = 'x-helpscout-signature';
export const EVENT_HEADER = 'x-helpscout-event';

/** base64(HMAC-SHA1(secret, body)), as Help Scout signs a webhook request. */
export function signHelpscoutWebhook(body: string | Buffer, secret: string): string {
  return createHmac('sha1', secret).update(body).digest('base64');
}

/**
 * The standard base64 of a 20-byte HMAC-SHA1, exactly: 26 characters of the standard alphabet,
 * a 27th carrying only 2 bits of data, then '='. Nothing a lenient decoder would skip.
 */
const SIGNATURE_FORMAT = /^[A-Za-z0-9+/]{26}[AEIMQUYcgkosw048]=$/;

/**
 * Throws WebhookError(401) unless a current (or rotating) secret signed this body. Help Scout
 * signs no timestamp, so there is no freshness window: replays are harmless because the delivery
 * id is the body's hash (see to-event.ts). The sidebar's Dynamic App is signed the same way with
 * the app's secret key (https://developer.helpscout.com/apps/legacy-custom-apps/dynamic/):
 * `secretName` says which secret the refusal is about.
 */
export function verifyHelpscoutSignature(
  request: WebhookRequest,
  secrets: readonly string[],
  secretName = 'the webhook secret',
): void {
  const signature = request.headers[SIGNATURE_HEADER];
  if (!signature) throw new WebhookError(401, 'missing X-HelpScout-Signature header');
  if (!SIGNATURE_FORMAT.test(signature)) {
    throw new WebhookError(
      401,
      'malformed X-HelpScout-Signature: expected the base64 of a SHA-1 HMAC (28 characters ending in =)',
    );
  }
  const given = Buffer.from(signature, 'base64'); // 20 bytes: the format says so
  // Every secret is tried (no early exit), each compare in constant time.
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha1', secret).update(request.rawBody).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  if (!valid) throw new WebhookError(401, `signature does not match ${secretName}`);
}
