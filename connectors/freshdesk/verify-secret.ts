import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../core/connector.js';
import { WebhookError } from '../core/errors.js';
import type { FreshdeskConnection } from './connection-schema.js';

/** The custom header our documented webhook action sends the tenant's secret in. */
export const SECRET_HEADER = 'x-deskplan-secret';

/**
 * Constant-time equality of two strings of any length: both are hashed first, so the compare
 * sees equal-length digests and the time taken says nothing about the secret's length.
 */
function same(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The user and password of a Basic Authorization header, or null. */
function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Freshdesk signs nothing, so a webhook proves itself with a shared secret: the
 * X-Deskplan-Secret header, or HTTP basic auth (the action's "Requires Authentication") with
 * the configured user name and a secret as the password. Every configured secret is compared
 * (no early exit), each in constant time. Throws WebhookError(401) otherwise.
 */
export function verifyFreshdeskSecret(
  request: WebhookRequest,
  connection: Pick<FreshdeskConnection, 'webhookSecrets' | 'webhookUsername'>,
): void {
  const header = request.headers[SECRET_HEADER];
  const basic = basicCredentials(request.headers.authorization);
  if (header === undefined && basic === null) {
    throw new WebhookError(
      401,
      'missing X-Deskplan-Secret header or Basic Authorization: set one on the webhook action',
    );
  }
  let valid = false;
  for (const secret of connection.webhookSecrets) {
    if (header !== undefined && same(header, secret)) valid = true;
    if (basic) {
      const password = same(basic.password, secret);
      const user = same(basic.user, connection.webhookUsername);
      if (password && user) valid = true;
    }
  }
  if (!valid) throw new WebhookError(401, 'the webhook secret does not match');
}
