import { describe, expect, it } from 'vitest';
import {
  signZendeskWebhook,
  verifyZendeskSignature,
} from '../../../../connectors/zendesk/verify-signature.js';

const body = Buffer.from('{"deskplan":"1"}');
const timestamp = '2026-11-24T01:00:00Z';
const receivedAt = Date.parse(timestamp) + 2_000;
const request = (headers: Record<string, string | undefined>, raw = body, at = receivedAt) => ({
  rawBody: raw,
  headers: { 'x-zendesk-webhook-signature-timestamp': timestamp, ...headers },
  receivedAt: at,
});
const signed = (secret: string) => ({
  'x-zendesk-webhook-signature': signZendeskWebhook(body, secret, timestamp),
});
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return { status: (error as { status?: number }).status, message: (error as Error).message };
  }
  return null;
};

describe('Zendesk webhook signatures', () => {
  it('accepts a request signed with the current or the rotating secret', () => {
    expect(
      refusal(() => verifyZendeskSignature(request(signed('current')), ['current', 'old'])),
    ).toBeNull();
    expect(
      refusal(() => verifyZendeskSignature(request(signed('old')), ['current', 'old'])),
    ).toBeNull();
  });

  it('refuses every delivery while the tenant has no signing secret yet, saying what to do', () => {
    expect(refusal(() => verifyZendeskSignature(request(signed('current')), []))).toEqual({
      status: 401,
      message: 'no webhook signing secret yet: run deskplan connect',
    });
  });

  it.each([
    ['a wrong secret', () => request(signed('guess')), /does not match/],
    [
      'a tampered body',
      () => request(signed('current'), Buffer.from('{"deskplan":"2"}')),
      /does not match/,
    ],
    [
      'a stale timestamp',
      () => request(signed('current'), body, receivedAt + 6 * 60_000),
      /stale or future/,
    ],
    [
      'a future timestamp',
      () => request(signed('current'), body, receivedAt - 6 * 60_000),
      /stale or future/,
    ],
    ['no signature', () => request({}), /missing/],
    [
      'a signature of another length',
      () => request({ 'x-zendesk-webhook-signature': 'c2hvcnQ=' }),
      /malformed X-Zendesk-Webhook-Signature/,
    ],
    [
      'a signature that is not base64',
      () => request({ 'x-zendesk-webhook-signature': '%%%not-base64%%%' }),
      /malformed X-Zendesk-Webhook-Signature/,
    ],
  ])('refuses %s with a 401 that says why', (_what, make, message) => {
    const result = refusal(() => verifyZendeskSignature(make(), ['current']));
    expect(result?.status).toBe(401);
    expect(result?.message).toMatch(message);
  });
});
