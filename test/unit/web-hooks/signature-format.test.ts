import { describe, expect, it } from 'vitest';
import {
  parseSignatureTimestamp,
  signZendeskWebhook,
  verifyZendeskSignature,
} from '../../../connectors/zendesk/verify-signature.js';

const body = Buffer.from('{"deskplan":"1"}');
const SECRET = 'whsec-current';
const timestamp = '2026-11-24T01:00:00Z';
const receivedAt = Date.parse(timestamp) + 2_000;
const good = signZendeskWebhook(body, SECRET, timestamp);

/** The refusal (status and message) of verifying these headers, or null when accepted. */
function verdict(signature: string, signedAt = timestamp, at = receivedAt, raw = body) {
  try {
    verifyZendeskSignature(
      {
        rawBody: raw,
        headers: {
          'x-zendesk-webhook-signature': signature,
          'x-zendesk-webhook-signature-timestamp': signedAt,
        },
        receivedAt: at,
      },
      [SECRET],
    );
    return null;
  } catch (error) {
    return { status: (error as { status?: number }).status, message: (error as Error).message };
  }
}

describe('webhook signatures are parsed strictly', () => {
  it('accepts the exact standard base64 of the HMAC, with a Z or an offset timestamp', () => {
    expect(good).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(verdict(good)).toBeNull();
    const offset = '2026-11-24T10:00:00.250+09:00';
    expect(verdict(signZendeskWebhook(body, SECRET, offset), offset)).toBeNull();
    const minus = '2026-11-23T20:00:00-05:00';
    expect(verdict(signZendeskWebhook(body, SECRET, minus), minus)).toBeNull();
  });

  const b64url = good.replace(/\+/g, '-').replace(/\//g, '_');
  const withUrlChar = `${good.slice(0, 10)}-${good.slice(11)}`;
  const nonCanonical = `${good.slice(0, 42)}${good[42] === 'A' ? 'B' : String.fromCharCode(good.charCodeAt(42) + 1)}=`;
  it.each([
    ['with trailing junk', `${good}junk`],
    ['with a second signature appended', `${good},${good}`],
    ['without its padding', good.slice(0, -1)],
    ['with extra padding', `${good}=`],
    ['in base64url', b64url === good ? withUrlChar : b64url],
    ['with a base64url character', withUrlChar],
    ['with a space inside', `${good.slice(0, 20)} ${good.slice(20)}`],
    ['with a line break inside', `${good.slice(0, 20)}\n${good.slice(20)}`],
    ['with leading whitespace', ` ${good}`],
    ['of another length', 'c2hvcnQ='],
    ['in hex', 'a'.repeat(64)],
    ['with non-zero padding bits', nonCanonical],
  ])('refuses a signature %s with a 401', (_what, signature) => {
    expect(verdict(signature)).toEqual({
      status: 401,
      message: expect.stringMatching(/malformed X-Zendesk-Webhook-Signature:/),
    });
  });

  it.each([
    ['without a zone', '2026-11-24T01:00:00'],
    ['as a date only', '2026-11-24'],
    ['with a space for T', '2026-11-24 01:00:00Z'],
    ['in lower case', '2026-11-24t01:00:00z'],
    ['without seconds', '2026-11-24T01:00Z'],
    ['with a compact offset', '2026-11-24T01:00:00+0900'],
    ['as epoch seconds', '1795482000'],
    ['in RFC 2822 form', 'Tue, 24 Nov 2026 01:00:00 GMT'],
    ['on a day the month does not have', '2026-02-30T01:00:00Z'],
    ['at hour 24', '2026-11-24T24:00:00Z'],
    ['with an offset of 25 hours', '2026-11-24T01:00:00+25:00'],
    ['with trailing junk', '2026-11-24T01:00:00Zjunk'],
  ])('refuses a timestamp %s with a 401', (_what, signedAt) => {
    expect(verdict(signZendeskWebhook(body, SECRET, signedAt), signedAt)).toEqual({
      status: 401,
      message: expect.stringMatching(/malformed X-Zendesk-Webhook-Signature-Timestamp:/),
    });
  });

  it('reads a timestamp as the instant it names', () => {
    expect(parseSignatureTimestamp('2026-11-24T10:00:00+09:00')).toBe(Date.parse(timestamp));
    expect(parseSignatureTimestamp('2026-11-24T01:00:00.123456789Z')).toBe(
      Date.parse(timestamp) + 123,
    );
    expect(parseSignatureTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseSignatureTimestamp('2026-02-29T00:00:00Z')).toBeNull();
  });

  it('still refuses a well-formed signature made with another secret', () => {
    expect(verdict(signZendeskWebhook(body, 'guess', timestamp))?.message).toMatch(
      /does not match/,
    );
  });
});
