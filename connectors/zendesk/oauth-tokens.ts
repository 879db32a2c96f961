import { AxiosError } from 'axios';
import { z } from 'zod';
import { createHttpClient, type HttpClientOptions } from '../core/http-client.js';
import { ZENDESK_OAUTH_SCOPE } from './oauth-urls.js';

/**
 * Zendesk's token endpoint, POST {origin}/oauth/tokens with a JSON body ("must be formatted as
 * JSON"), for the authorization_code and refresh_token grants. Every new token comes with a
 * refresh token; the access token expires when `expires_in` is given (Zendesk announced access
 * and refresh token expiry in 2025: refresh tokens last 30 days unless asked otherwise, and each
 * refresh returns a new pair and invalidates the old one).
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
 * https://developer.zendesk.com/documentation/api-basics/authentication/refresh-token
 * https://support.zendesk.com/hc/en-us/articles/9182123625370
 */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).nullish(),
  expires_in: z.number().positive().nullish(),
  refresh_token_expires_in: z.number().positive().nullish(),
});

/** Zendesk's documented default life of a refresh token (30 days) when the answer names none. */
const DEFAULT_REFRESH_TOKEN_LIFE_MS = 30 * 24 * 3600 * 1000;

export interface ZendeskTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms when the access token expires; absent: it does not expire. */
  expiresAt?: number;
  /** Epoch ms when the refresh token expires (Zendesk's default when not said). */
  refreshExpiresAt?: number;
}

/**
 * The token endpoint refused or failed. The message carries the status and Zendesk's OAuth error
 * code (`invalid_grant`…) only: never the request (code, secret) nor any token.
 */
export class ZendeskOAuthError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or null when no answer came. */
    readonly status: number | null,
    /** Zendesk's `error` (invalid_grant, invalid_client…), when it said one. */
    readonly oauthError: string | null,
  ) {
    super(message);
    this.name = 'ZendeskOAuthError';
  }
}

export interface TokenRequestContext {
  /** https://{subdomain}.zendesk.com (or a fake's base URL in tests). */
  origin: string;
  clientId: string;
  clientSecret: string;
  http?: HttpClientOptions;
  now?: () => number;
}

async function requestTokens(
  c: TokenRequestContext,
  body: Record<string, string>,
  what: string,
): Promise<ZendeskTokens> {
  const http = createHttpClient(c.origin.replace(/\/$/, ''), {}, c.http ?? {}, 'zendesk');
  const now = c.now ?? Date.now;
  let data: unknown;
  try {
    ({ data } = await http.post(
      '/oauth/tokens',
      { ...body, client_id: c.clientId, client_secret: c.clientSecret },
      { headers: { 'content-type': 'application/json' } },
    ));
  } catch (error) {
    // The axios error holds the request body (code, client secret): only its status goes on.
    const status = error instanceof AxiosError ? (error.response?.status ?? null) : null;
    const answer = error instanceof AxiosError ? error.response?.data : undefined;
    const code =
      answer &&
      typeof answer === 'object' &&
      typeof (answer as { error?: unknown }).error === 'string'
        ? (answer as { error: string }).error.slice(0, 64)
        : null;
    throw new ZendeskOAuthError(
      `Zendesk ${what}: ${status === null ? 'no answer' : `HTTP ${status}`}${code ? ` ${code}` : ''}`,
      status,
      code,
    );
  }
  const parsed = tokenResponseSchema.safeParse(data);
  if (!parsed.success) {
    throw new ZendeskOAuthError(`Zendesk ${what}: the answer holds no access token`, 200, null);
  }
  const t = parsed.data;
  const at = now();
  return {
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    ...(t.expires_in ? { expiresAt: at + t.expires_in * 1000 } : {}),
    ...(t.refresh_token
      ? {
          refreshExpiresAt:
            at +
            (t.refresh_token_expires_in
              ? t.refresh_token_expires_in * 1000
              : DEFAULT_REFRESH_TOKEN_LIFE_MS),
        }
      : {}),
  };
}

/** Step 3 of the authorization code grant: the code (valid 120 s) for tokens. */
export function exchangeZendeskCode(
  c: TokenRequestContext,
  o: { code: string; redirectUri: string; codeVerifier: string; scope?: string },
): Promise<ZendeskTokens> {
  return requestTokens(
    c,
    {
      grant_type: 'authorization_code',
      code: o.code,
      redirect_uri: o.redirectUri,
      scope: o.scope ?? ZENDESK_OAUTH_SCOPE,
      code_verifier: o.codeVerifier,
    },
    'authorization code exchange',
  );
}

/** A new pair for a refresh token (the old pair stops working). */
export function refreshZendeskTokens(
  c: TokenRequestContext,
  refreshToken: string,
): Promise<ZendeskTokens> {
  return requestTokens(
    c,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    'token refresh',
  );
}
