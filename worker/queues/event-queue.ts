import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { TicketEvent, Vendor } from '../../connectors/core/ticket.js';

export const EVENTS_QUEUE = 'events';
export const DEFAULT_QUEUE_PREFIX = 'deskplan';

/** One verified webhook delivery, as the receiver enqueues it. No secrets in here. */
export interface EventJobData {
  tenantId: string;
  vendor: Vendor;
  deliveryId: string;
  event: TicketEvent;
  /** The webhook lacked fields the rules need: the worker fetches the ticket first. */
  incomplete: boolean;
  receivedAt: number;
}

/**
 * Deterministic per delivery, so a vendor retry of the same delivery adds nothing. BullMQ ids
 * must not contain ':' nor be all digits.
 */
export function eventJobId(vendor: string, tenantId: string, deliveryId: string): string {
  return `${vendor}-${tenantId}-${deliveryId}`.replace(/:/g, '_');
}

export const EVENT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  // Completed jobs are kept a day so a late vendor retry still finds its id and adds nothing.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export function createEventQueue(
  connection: ConnectionOptions,
  prefix = DEFAULT_QUEUE_PREFIX,
  jobOptions: JobsOptions = {},
) {
  return new Queue<EventJobData>(EVENTS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { ...EVENT_JOB_OPTIONS, ...jobOptions },
  });
}
