import type { Job } from 'bullmq';
import { VendorError, VendorRateLimitedError } from '../../connectors/core/errors.js';

/** What the worker writes to a job's log when a vendor call fails it (one JSON line). */
export interface VendorErrorNote {
  vendorError: { vendor: string; status: number | null; message: string };
}

/**
 * Keeps the vendor's answer (status and message) in the job's own log, which BullMQ removes with
 * the job, so the failed-jobs list shows it as data rather than text to parse. A 429 is not a
 * failure (the job waits), so it is not noted. Never throws: the job's outcome matters more.
 */
export async function noteVendorError(job: Job, vendor: string, error: unknown): Promise<void> {
  if (!(error instanceof VendorError) || error instanceof VendorRateLimitedError) return;
  const note: VendorErrorNote = {
    vendorError: { vendor, status: error.vendorStatus, message: error.message },
  };
  await job.log(JSON.stringify(note)).catch(() => {});
}

/**
 * The vendor error behind a job's failure, from its log: the latest note whose message is the
 * job's failure reason (an earlier attempt's note does not describe a later, different failure).
 */
export function vendorErrorOf(
  logs: readonly string[],
  failedReason: string | undefined,
): VendorErrorNote['vendorError'] | null {
  for (let i = logs.length - 1; i >= 0; i--) {
    try {
      const note = JSON.parse(logs[i]!) as Partial<VendorErrorNote>;
      if (note.vendorError && note.vendorError.message === failedReason) return note.vendorError;
    } catch {
      // not one of ours
    }
  }
  return null;
}
