import { createHash, randomBytes } from 'node:crypto';

/** What deskplan asks for: reading tickets and organizations, writing tags, fields and notes. */
export const ZENDESK_OAUTH_SCOPE = 'read write';

/** The origin OAuth requests go to: https://{subdomain}.zendesk.com. */
export const zendeskOrigin = (subdomain: string) => `https://${subdomain}.zendesk.com`;

/** A random value of 256 bits, base64url (the `state`, the PKCE verifier). */
export const randomToken = () => randomBytes(32).toString('base64url');

/**
 * A PKCE pair (RFC 7636, S256): the verifier is kept until the code is exchanged, the challenge
 * goes in the authorization URL.
 * https://developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce
 */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken();
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Step 1 of the authorization code grant: the page where a Zendesk admin grants deskplan access.
 * `https://{subdomain}.zendesk.com/oauth/authorizations/new?response_type=code&redirect_uri=…
 * &client_id=…&scope=read%20write&state=…` plus code_challenge and code_challenge_method=S256.
 * https://support.zendesk.com/hc/en-us/articles/4408845965210 (Using OAuth authentication with
 * your application), https://developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce
 */
export function zendeskAuthorizeUrl(o: {
  origin: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scope?: string;
}): string {
  const query = new URLSearchParams({
    response_type: 'code',
    redirect_uri: o.redirectUri,
    client_id: o.clientId,
    scope: o.scope ?? ZENDESK_OAUTH_SCOPE,
    state: o.state,
    code_challenge: o.codeChallenge,
    code_challenge_method: 'S256',
  });
  // URLSearchParams writes a space as '+'; Zendesk's examples (and RFC 3986) use %20.
  return `${o.origin.replace(/\/$/, '')}/oauth/authorizations/new?${query.toString().replace(/\+/g, '%20')}`;
}
