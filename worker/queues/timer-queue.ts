import { Queue, type ConnectionOptions } from 'bullmq';
import { DEFAULT_QUEUE_PREFIX } from './event-queue.js';

export const TIMERS_QUEUE = 'timers';

/** A delayed job that re-judges a ticket at an SLA instant (a warning, or the due itself). */
export interface TimerJobData {
  tenantId: string;
  ticketId: string;
  metric: 'firstResponse' | 'nextResponse' | 'resolution';
  kind: 'warn' | 'due';
  dueAt: string;
}

export function createTimerQueue(connection: ConnectionOptions, prefix = DEFAULT_QUEUE_PREFIX) {
  return new Queue<TimerJobData>(TIMERS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 },
      removeOnComplete: { count: 10_000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  });
}
