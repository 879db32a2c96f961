import type { AxiosInstance } from 'axios';
import { toVendorError, type HttpClientOptions } from '../core/http-client.js';
import type { HelpscoutConnection } from './connection-schema.js';
import { tokenSchema } from './vendor-schemas.js';

/** A token is renewed this long before Help Scout says it expires (clock skew, slow calls). */
const EARLY_MS = 60_000;

/**
 * The OAuth2 access token of one Help Scout app (client-credentials grant), kept in this
 * process's memory only: never written to Redis or logs. Fetched on first use, renewed when it
 * is about to expire or when the API refuses it (`invalidate`); concurrent callers share one
 * request. https://developer.helpscout.com/mailbox-api/overview/authentication/
 */
export class AccessToken {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  /** Token requests made (tests read it). */
  fetches = 0;

  constructor(
    private readonly connection: HelpscoutConnection,
    /** The API client (its base is …/v2): the token endpoint is /oauth2/token there. */
    private readonly http: AxiosInstance,
    private readonly options: HttpClientOptions = {},
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt - EARLY_MS) return this.token.value;
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return this.pending;
  }

  /** Forgets `value` (the API answered 401 to it); a newer token already fetched is kept. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = null;
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
