import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  zendeskOAuthClientFrom,
  zendeskOAuthCredentialsFrom,
} from '../../../../connectors/zendesk/oauth-client-config.js';
import {
  pkcePair,
  randomToken,
  zendeskAuthorizeUrl,
  zendeskOrigin,
} from '../../../../connectors/zendesk/oauth-urls.js';

describe('Zendesk OAuth authorization URL', () => {
  it('is the subdomain’s /oauth/authorizations/new with code, redirect, client, scope read%20write, state and S256 challenge', () => {
    const url = zendeskAuthorizeUrl({
      origin: zendeskOrigin('acme'),
      clientId: 'zdg-deskplan',
      redirectUri: 'https://deskplan.example/oauth/zendesk/callback',
      state: 'st&te=1',
      codeChallenge: 'abc_-',
    });
    expect(url).toBe(
      'https://acme.zendesk.com/oauth/authorizations/new?response_type=code' +
        '&redirect_uri=https%3A%2F%2Fdeskplan.example%2Foauth%2Fzendesk%2Fcallback' +
        '&client_id=zdg-deskplan&scope=read%20write&state=st%26te%3D1' +
        '&code_challenge=abc_-&code_challenge_method=S256',
    );
  });

  it('makes 256-bit random states and an S256 challenge of the verifier', () => {
    const a = randomToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(randomToken()).not.toBe(a);
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });
});

describe('the global OAuth client from the environment', () => {
  const full = {
    DESKPLAN_ZENDESK_CLIENT_ID: 'zdg-deskplan',
    DESKPLAN_ZENDESK_CLIENT_SECRET: 's3cret',
    DESKPLAN_PUBLIC_URL: 'https://deskplan.example/',
  };

  it('gives the client and the callback under the public URL', () => {
    expect(zendeskOAuthClientFrom(full)).toEqual({
      ok: true,
      client: {
        clientId: 'zdg-deskplan',
        clientSecret: 's3cret',
        redirectUri: 'https://deskplan.example/oauth/zendesk/callback',
      },
    });
  });

  it('names each variable that is missing or wrong', () => {
    expect(zendeskOAuthClientFrom({})).toEqual({
      ok: false,
      problems: [
        'DESKPLAN_ZENDESK_CLIENT_ID is not set',
        'DESKPLAN_ZENDESK_CLIENT_SECRET is not set',
        'DESKPLAN_PUBLIC_URL is not set',
      ],
    });
    const wrong = zendeskOAuthClientFrom({ ...full, DESKPLAN_PUBLIC_URL: 'ftp://x.example' });
    expect(wrong.ok ? [] : wrong.problems).toEqual([
      'DESKPLAN_PUBLIC_URL must be an http(s) URL such as https://deskplan.example',
    ]);
    expect(zendeskOAuthCredentialsFrom({ DESKPLAN_ZENDESK_CLIENT_ID: 'x' })).toBeNull();
  });
});
