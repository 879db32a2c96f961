/** A short-lived credential a connector fetched (an OAuth access token) and when it expires. */
export interface StoredToken {
  value: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Where a connector keeps the credentials it fetches, so every worker process shares one token
 * instead of each fetching its own. The implementation encrypts them at rest and lets them
 * expire with the token; a connector without one keeps tokens in its own memory only.
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | null>;
  set(key: string, token: StoredToken): Promise<void>;
  /** Forgets the token under `key` if it is still `value` (refused by the vendor). */
  forget(key: string, value: string): Promise<void>;
}
