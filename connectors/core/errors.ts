/**
 * Errors carry their disposition. The receiver answers with `status`; the worker maps vendor
 * errors to queue control flow: rate limited → delay that job, server/network → retry with
 * backoff, client → fail without retrying.
 */

/** A webhook request deskplan refuses, with the HTTP status to answer and what was wrong. */
export class WebhookError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 413 | 415,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** Any failed call to a helpdesk's REST API. */
export abstract class VendorError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly vendorStatus: number | null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 429: wait `retryAfterMs`, then try again; never counts as a failure. */
export class VendorRateLimitedError extends VendorError {
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message, 429);
  }
}

/** 409 on a safe update: someone changed the ticket since it was read; read it again. */
export class VendorConflictError extends VendorError {
  readonly retryable = true;
  constructor(message: string) {
    super(message, 409);
  }
}

/** 5xx, timeouts and network failures: retry with backoff. */
export class VendorUnavailableError extends VendorError {
  readonly retryable = true;
}

/** Other 4xx: retrying will not help; the vendor's message says why. */
export class VendorRejectedError extends VendorError {
  readonly retryable = false;
}

/** A 404 from a helpdesk's REST API: what was asked for is not (or no longer) there. */
const isNotFound = (error: unknown) =>
  error instanceof VendorRejectedError && error.vendorStatus === 404;

/** The call's answer, or null when the helpdesk answered 404 (`run` throws VendorErrors). */
export async function nullIfNotFound<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** A delete: 'removed', or 'gone' when the helpdesk had already deleted it (404). */
export const removedOrGone = async (run: () => Promise<unknown>): Promise<'removed' | 'gone'> =>
  (await nullIfNotFound(async () => (await run(), 'removed' as const))) ?? 'gone';
