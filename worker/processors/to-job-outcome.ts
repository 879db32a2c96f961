import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { VendorRateLimitedError, VendorRejectedError } from '../../connectors/core/errors.js';
import type { RateGate } from '../stores/rate-gate.js';

/**
 * Vendor errors become queue control flow: a 429 delays this job (and tells the tenant's other
 * jobs to wait) without counting as a failure; a rejected request fails for good with the
 * vendor's message; anything else is rethrown for a retry with exponential backoff and jitter.
 */
export async function toJobOutcome(
  error: unknown,
  job: Job,
  token: string | undefined,
  tenantId: string,
  gate: RateGate,
): Promise<never> {
  if (error instanceof VendorRateLimitedError) {
    const until = Date.now() + error.retryAfterMs;
    await gate.block(tenantId, error.retryAfterMs);
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }
  if (error instanceof VendorRejectedError) throw new UnrecoverableError(error.message);
  throw error;
}

/** Before calling the vendor: if the tenant is rate limited, wait it out without a call. */
export async function waitIfRateLimited(
  job: Job,
  token: string | undefined,
  tenantId: string,
  gate: RateGate,
): Promise<void> {
  const waitMs = await gate.remaining(tenantId);
  if (waitMs > 0) {
    await job.moveToDelayed(Date.now() + waitMs, token);
    throw new DelayedError();
  }
}
