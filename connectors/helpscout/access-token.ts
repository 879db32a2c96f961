import type { AxiosInstance } from 'axios';
import { toVendorError, type HttpClientOptions } from '../core/http-client.js';
import type { HelpscoutConnection } from './connection-schema.js';
import { tokenSchema } from './vendor-schemas.js';

/** A token is renewed this long before Help Scout says it expires (clock skew, slow calls). */
const EARLY_MS = 60_000;

/**
 * The OAuth2 access token of one Help Scout app (client-credentials grant). Kept in this
 * process's memory and, when the client was given a token store (`options.tokens`: the worker's
 * is encrypted at rest in Redis), shared through it, so every process uses one token; never in
 * logs. Fetched on first use, renewed when it is about to expire or when the API refuses it
 * (`invalidate`); concurrent callers share one request.
 * https://developer.helpscout.com/mailbox-api/overview/authentication/
 */
export class AccessToken {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  /** Tokens the API refused: never taken back from the shared store. */
  private readonly refused = new Set<string>();
  /** Token requests made (tests read it). */
  fetches = 0;

  constructor(
    private readonly connection: HelpscoutConnection,
    /** The API client (its base is …/v2): the token endpoint is /oauth2/token there. */
    private readonly http: AxiosInstance,
    private readonly options: HttpClientOptions = {},
    private readonly now: () => number = Date.now,
  ) {}

  private get key() {
    return `helpscout:${this.connection.auth.appId}`;
  }

  private fresh(token: { expiresAt: number } | null): boolean {
    return token !== null && this.now() < token.expiresAt - EARLY_MS;
  }

  async get(): Promise<string> {
    if (this.token && this.fresh(this.token)) return this.token.value;
    this.pending ??= this.load().finally(() => (this.pending = null));
    return this.pending;
  }

  /** The shared token when another process fetched one still fresh, else a new one. */
  private async load(): Promise<string> {
    const shared = await this.options.tokens?.get(this.key).catch(() => null);
    // Not one this process saw refused (another process may not have learned yet).
    if (shared && this.fresh(shared) && !this.refused.has(shared.value)) {
      this.token = shared;
      return shared.value;
    }
    const value = await this.fetch();
    await this.options.tokens?.set(this.key, this.token!).catch(() => {});
    return value;
  }

  /** Forgets `value` (the API answered 401 to it); a newer token already fetched is kept. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = null;
    if (this.refused.size >= 16) this.refused.clear();
    this.refused.add(value);
    void this.options.tokens?.forget(this.key, value).catch(() => {});
  }

  private async fetch(): Promise<string> {
    this.fetches++;
    const { appId, appSecret } = this.connection.auth;
    try {
      const { data } = await this.http.post(
        '/oauth2/token',
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: appId,
          client_secret: appSecret,
        }).toString(),
        { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      );
      const { access_token, expires_in } = tokenSchema.parse(data);
      this.token = { value: access_token, expiresAt: this.now() + expires_in * 1000 };
      return access_token;
    } catch (error) {
      throw toVendorError(error, 'Help Scout OAuth2 token', this.options, RATE_LIMIT_HEADERS);
    }
  }
}

// https://developer.helpscout.com/mailbox-api/overview/rate-limiting/
export const RATE_LIMIT_HEADERS = ['x-ratelimit-retry-after', 'retry-after'] as const;
