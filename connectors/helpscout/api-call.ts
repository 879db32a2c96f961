import { AxiosError, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { createHttpClient, toVendorError, type HttpClientOptions } from '../core/http-client.js';
import { AccessToken, RATE_LIMIT_HEADERS } from './access-token.js';
import { apiBase, type HelpscoutConnection } from './connection-schema.js';

/** Authenticated calls to one Help Scout account's Mailbox API 2.0 (the client's and the set-up's). */
export interface HelpscoutApi {
  readonly token: AccessToken;
  /** One call with the current token: a 401 renews the token and tries once more. */
  request<T>(what: string, request: AxiosRequestConfig): Promise<AxiosResponse<T>>;
  /** `request`, answering the body only. */
  call<T>(what: string, request: AxiosRequestConfig): Promise<T>;
}

/**
 * The OAuth2 client-credentials token (access-token.ts) on an HTTP client for `connection`;
 * failures become VendorErrors named `Help Scout <what>` (a 429 carries X-RateLimit-Retry-After).
 */
export function createHelpscoutApi(
  connection: HelpscoutConnection,
  options: HttpClientOptions = {},
): HelpscoutApi {
  const http = createHttpClient(apiBase(connection), {}, options, 'helpscout');
  const token = new AccessToken(connection, http, options);

  async function request<T>(what: string, config: AxiosRequestConfig) {
    for (let attempt = 0; ; attempt++) {
      const value = await token.get();
      try {
        return await http.request<T>({
          ...config,
          headers: { ...config.headers, authorization: `Bearer ${value}` },
        });
      } catch (error) {
        if (attempt === 0 && error instanceof AxiosError && error.response?.status === 401) {
          token.invalidate(value); // expired or revoked: one retry with a fresh token
          continue;
        }
        throw toVendorError(error, `Help Scout ${what}`, options, RATE_LIMIT_HEADERS);
      }
    }
  }

  return {
    token,
    request,
    call: async <T>(what: string, config: AxiosRequestConfig) =>
      (await request<T>(what, config)).data,
  };
}
