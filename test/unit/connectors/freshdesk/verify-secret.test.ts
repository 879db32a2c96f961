import { describe, expect, it } from 'vitest';
import { WebhookError } from '../../../../connectors/core/errors.js';
import { verifyFreshdeskSecret } from '../../../../connectors/freshdesk/verify-secret.js';

const connection = {
  webhookSecrets: ['current-secret-0123456789', 'previous-secret-0123456789'],
  webhookUsername: 'deskplan',
};
const request = (headers: Record<string, string>) => ({
  rawBody: Buffer.from('{}'),
  headers,
  receivedAt: Date.now(),
});
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const refusal = (headers: Record<string, string>) => {
  try {
    verifyFreshdeskSecret(request(headers), connection);
    return null;
  } catch (error) {
    return error as WebhookError;
  }
};

describe('Freshdesk webhook secret', () => {
  it.each([
    ['the X-Deskplan-Secret header', { 'x-deskplan-secret': 'current-secret-0123456789' }],
    ['the previous secret while rotating', { 'x-deskplan-secret': 'previous-secret-0123456789' }],
    [
      'basic auth with the secret as password',
      { authorization: basic('deskplan', 'current-secret-0123456789') },
    ],
  ])('accepts %s', (_, headers) => {
    expect(refusal(headers)).toBeNull();
  });

  it.each([
    ['no credentials at all', {}],
    ['a wrong header secret', { 'x-deskplan-secret': 'current-secret-012345678' }],
    ['a prefix of the secret', { 'x-deskplan-secret': 'current' }],
    [
      'basic auth with the wrong user',
      { authorization: basic('admin', 'current-secret-0123456789') },
    ],
    ['basic auth with a wrong password', { authorization: basic('deskplan', 'nope') }],
    ['a bearer token', { authorization: 'Bearer current-secret-0123456789' }],
  ])('refuses %s with 401', (_, headers) => {
    const error = refusal(headers);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error?.status).toBe(401);
  });
});
