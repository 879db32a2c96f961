import { describe, expect, it } from 'vitest';
import {
  signHelpscoutWebhook,
  verifyHelpscoutSignature,
} from '../../../../connectors/helpscout/verify-signature.js';

const body = Buffer.from('{"id":123}');

function verdict(signature: string | undefined, secrets = ['asdfasdf'], raw = body) {
  try {
    verifyHelpscoutSignature(
      { rawBody: raw, headers: { 'x-helpscout-signature': signature }, receivedAt: Date.now() },
      secrets,
    );
    return null;
  } catch (error) {
    return (error as { status?: number }).status;
  }
}

describe('Help Scout webhook signature', () => {
  it('matches the official PHP SDK\'s example (body {"id":123}, secret asdfasdf)', () => {
    expect(signHelpscoutWebhook(body, 'asdfasdf')).toBe('7S2+kN8bZsrdAEADJ+yYfWWsf/4=');
    expect(verdict('7S2+kN8bZsrdAEADJ+yYfWWsf/4=')).toBeNull();
  });

  it('accepts either secret while rotating, refuses others', () => {
    const sig = signHelpscoutWebhook(body, 'new-secret');
    expect(verdict(sig, ['old-secret', 'new-secret'])).toBeNull();
    expect(verdict(sig, ['old-secret'])).toBe(401);
  });

  it('refuses a changed body', () => {
    expect(verdict('7S2+kN8bZsrdAEADJ+yYfWWsf/4=', ['asdfasdf'], Buffer.from('{"id":124}'))).toBe(
      401,
    );
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['base64url', '7S2-kN8bZsrdAEADJ-yYfWWsf_4='],
    ['unpadded', '7S2+kN8bZsrdAEADJ+yYfWWsf/4'],
    ['trailing junk', '7S2+kN8bZsrdAEADJ+yYfWWsf/4=x'],
    ['whitespace', ' 7S2+kN8bZsrdAEADJ+yYfWWsf/4='],
    ['a SHA-256 length', 'EiqWE3SXTPQpPulBV6OSuuGziIishZNc1VwNZYqZrHU='],
    ['non-canonical last character', '7S2+kN8bZsrdAEADJ+yYfWWsf/5='],
  ])('answers 401 (not a crash) to a %s header', (_what, signature) => {
    expect(verdict(signature)).toBe(401);
  });
});
