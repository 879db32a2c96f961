import type { TokenStore } from './token-store.js';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import {
  VendorConflictError,
  VendorRateLimitedError,
  VendorRejectedError,
  VendorError,
  VendorUnavailableError,
} from './errors.js';

export interface HttpClientOptions {
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** Retry-After when a 429 carries none; default 60 s. */
  defaultRetryAfterMs?: number;
  /** Told of every finished call (metrics); must not throw. */
  observe?: (call: HttpCall) => void;
  /** Shares fetched access tokens between processes, encrypted (see token-store.ts). */
  tokens?: TokenStore;
  /**
   * deskplan's own OAuth clients by vendor (the deployment's, not a tenant's): what refreshes a
   * tenant's OAuth token (Zendesk's global OAuth client).
   */
  oauthClients?: Readonly<Record<string, { clientId: string; clientSecret: string }>>;
}

/** A finished call as `observe` sees it: no URL, no headers, nothing secret. */
export interface HttpCall {
  vendor: string;
  method: string;
  /** The HTTP status, or null when no answer came (timeout, network failure). */
  status: number | null;
  durationMs: number;
}

const startedAt = Symbol('startedAt');

/**
 * An axios instance for one vendor account: JSON, a timeout, no automatic retries; each finished
 * call is reported to `options.observe`, named by `vendor`.
 */
export function createHttpClient(
  baseURL: string,
  headers: Record<string, string>,
  options: HttpClientOptions = {},
  vendor = 'unknown',
): AxiosInstance {
  const http = axios.create({
    baseURL,
    headers: { accept: 'application/json', 'user-agent': 'deskplan', ...headers },
    timeout: options.timeoutMs ?? 10_000,
    maxRedirects: 0,
  });
  const observe = options.observe;
  if (observe) {
    type Timed = { [startedAt]?: number; method?: string };
    const report = (config: Timed | undefined, status: number | null) => {
      try {
        observe({
          vendor,
          method: (config?.method ?? 'get').toUpperCase(),
          status,
          durationMs: Date.now() - (config?.[startedAt] ?? Date.now()),
        });
      } catch {
        // an observer's failure is not the call's
      }
    };
    http.interceptors.request.use((config) => {
      (config as Timed)[startedAt] = Date.now();
      return config;
    });
    http.interceptors.response.use(
      (response) => {
        report(response.config as Timed, response.status);
        return response;
      },
      (error: unknown) => {
        if (error instanceof AxiosError) {
          report(error.config as Timed | undefined, error.response?.status ?? null);
        }
        return Promise.reject(error);
      },
    );
  }
  return http;
}

/** Seconds or an HTTP date → milliseconds from `nowMs`. */
export function parseRetryAfter(value: unknown, nowMs: number, fallbackMs: number): number {
  if (typeof value !== 'string' && typeof value !== 'number') return fallbackMs;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(value));
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : fallbackMs;
}

/** Turns an axios failure into a VendorError that says what the worker should do. */
export function toVendorError(
  error: unknown,
  what: string,
  options: HttpClientOptions = {},
  retryAfterHeaders: readonly string[] = ['retry-after'],
): VendorError {
  // Already decided (e.g. a token that could not be renewed, thrown from an interceptor).
  if (error instanceof VendorError) return error;
  if (!(error instanceof AxiosError) || !error.response) {
    const reason = error instanceof Error ? error.message : String(error);
    return new VendorUnavailableError(`${what}: ${reason}`, null);
  }
  const { status, data, headers } = error.response;
  const detail = typeof data === 'string' ? data : JSON.stringify(data ?? '');
  const message = `${what}: HTTP ${status} ${detail.slice(0, 500)}`;
  if (status === 429) {
    const header = retryAfterHeaders.map((h) => headers[h]).find((v) => v !== undefined);
    return new VendorRateLimitedError(
      message,
      parseRetryAfter(header, Date.now(), options.defaultRetryAfterMs ?? 60_000),
    );
  }
  if (status === 409) return new VendorConflictError(message);
  if (status >= 500 || status === 408) return new VendorUnavailableError(message, status);
  return new VendorRejectedError(message, status);
}

/**
 * The `call(what, run)` of one helpdesk: runs a REST call and throws any failure as the
 * VendorError `toError` makes of it (toVendorError, unless the vendor maps more), its message
 * starting `<vendor> <what>`.
 */
export function vendorCalls(
  vendor: string,
  options: HttpClientOptions = {},
  toError: (
    error: unknown,
    what: string,
    options: HttpClientOptions,
  ) => VendorError = toVendorError,
) {
  return async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toError(error, `${vendor} ${what}`, options);
    }
  };
}
