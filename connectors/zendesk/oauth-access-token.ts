import { createHash } from 'node:crypto';
import type { HttpClientOptions } from '../core/http-client.js';
import { VendorRejectedError, VendorUnavailableError } from '../core/errors.js';
import { agentBase, type ZendeskConnection } from './connection-schema.js';
import type { ZendeskOAuthError } from './oauth-tokens.js';
import { refreshZendeskTokens, type ZendeskTokens } from './oauth-tokens.js';

/** An access token is renewed this long before it expires (clock skew, slow calls). */
const EARLY_MS = 5 * 60_000;
/** After a refused refresh: how long to wait before looking for a pair another process got. */
const RACE_WAIT_MS = 500;

interface Pair {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; Infinity when the access token does not expire. */
  expiresAt: number;
}

/**
 * The bearer token of a tenant connected through OAuth. A token with an `expiresAt` and a refresh
 * token is renewed before it expires (grant_type=refresh_token, with the global OAuth client from
 * `options.oauthClients.zendesk`). Each refresh returns a new pair and invalidates the old one,
 * so the current pair is shared between processes through `options.tokens` (the worker's is
 * encrypted in Redis), under a key derived from the refresh token in the config; a process
 * whose refresh is refused (another one used the same refresh token first) takes the pair that
 * one stored. Without an expiry (Zendesk's tokens from before 2025, or a hand-made one), the
 * token is used as it is.
 * https://developer.zendesk.com/documentation/api-basics/authentication/refresh-token
 */
export class ZendeskOAuthToken {
  private pair: Pair;
  private pending: Promise<string> | null = null;
  private readonly key: string | null;
  /** Refreshes made by this process (tests read it). */
  refreshes = 0;

  constructor(
    private readonly connection: ZendeskConnection,
    private readonly options: HttpClientOptions = {},
    private readonly now: () => number = Date.now,
    private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ) {
    const auth = connection.auth as {
      oauthToken: string;
      refreshToken?: string;
      expiresAt?: string;
    };
    this.pair = {
      accessToken: auth.oauthToken,
      ...(auth.refreshToken ? { refreshToken: auth.refreshToken } : {}),
      expiresAt: auth.expiresAt ? Date.parse(auth.expiresAt) : Infinity,
    };
    this.key = auth.refreshToken
      ? `zendesk-oauth:${createHash('sha256').update(auth.refreshToken).digest('hex')}`
      : null;
  }

  private fresh(pair: Pair): boolean {
    return this.now() < pair.expiresAt - EARLY_MS;
  }

  async get(): Promise<string> {
    if (this.fresh(this.pair) || !this.pair.refreshToken) return this.pair.accessToken;
    this.pending ??= this.renew().finally(() => (this.pending = null));
    return this.pending;
  }

  private async shared(): Promise<Pair | null> {
    if (!this.key || !this.options.tokens) return null;
    const stored = await this.options.tokens.get(this.key).catch(() => null);
    if (!stored) return null;
    try {
      return JSON.parse(stored.value) as Pair;
    } catch {
      return null;
    }
  }

  private async renew(): Promise<string> {
    const shared = await this.shared();
    if (shared && this.fresh(shared)) {
      this.pair = shared;
      return shared.accessToken;
    }
    const client = this.options.oauthClients?.zendesk;
    if (!client) {
      throw new VendorRejectedError(
        'Zendesk OAuth token expired and DESKPLAN_ZENDESK_CLIENT_ID / _CLIENT_SECRET are not set to refresh it',
        401,
      );
    }
    const refreshToken = (shared ?? this.pair).refreshToken!;
    let tokens: ZendeskTokens;
    try {
      this.refreshes++;
      tokens = await refreshZendeskTokens(
        { origin: agentBase(this.connection), ...client, http: this.options, now: this.now },
        refreshToken,
      );
    } catch (error) {
      const e = error as ZendeskOAuthError;
      if (e.status === 400 || e.status === 401) {
        // Another process may have refreshed with the same token a moment ago.
        await this.sleep(RACE_WAIT_MS);
        const theirs = await this.shared();
        if (theirs && theirs.refreshToken !== refreshToken && this.fresh(theirs)) {
          this.pair = theirs;
          return theirs.accessToken;
        }
        throw new VendorRejectedError(
          `${e.message}: connect the tenant to Zendesk again (POST /api/tenants/:tenantId/oauth/zendesk)`,
          e.status,
        );
      }
      throw new VendorUnavailableError(e.message, e.status ?? null);
    }
    this.pair = {
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      expiresAt: tokens.expiresAt ?? Infinity,
    };
    if (this.key && this.options.tokens && tokens.refreshExpiresAt) {
      await this.options.tokens
        .set(this.key, { value: JSON.stringify(this.pair), expiresAt: tokens.refreshExpiresAt })
        .catch(() => {});
    }
    return this.pair.accessToken;
  }
}
