import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { DEFAULT_QUEUE_PREFIX } from '../queues/event-queue.js';

export const CALLBACKS_QUEUE = 'callbacks';

/** A delivery to send: the record in the history holds the rest (the secret is read at send). */
export interface CallbackJobData {
  tenantId: string;
  deliveryId: string;
}

/** 8 attempts, 30 s doubling (30 s … 32 min; about 1 h 4 min from the first to the last). */
const CALLBACK_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 30_000, jitter: 0.2 },
  // Kept a week, so a re-run of the event that raised a callback finds its id and adds nothing.
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** The BullMQ id of a delivery's job (the n-th API retry gets its own). */
export const callbackJobId = (tenantId: string, deliveryId: string, retry = 0) =>
  retry === 0 ? `cb-${tenantId}-${deliveryId}` : `cb-${tenantId}-${deliveryId}-retry-${retry}`;

export function createCallbackQueue(
  connection: ConnectionOptions,
  prefix = DEFAULT_QUEUE_PREFIX,
  jobOptions: JobsOptions = {},
) {
  return new Queue<CallbackJobData>(CALLBACKS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { ...CALLBACK_JOB_OPTIONS, ...jobOptions },
  });
}
