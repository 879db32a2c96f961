import type { Job, Queue } from 'bullmq';
import type { EventJobData } from '../../worker/queues/event-queue.js';
import type { TimerJobData } from '../../worker/queues/timer-queue.js';
import { vendorErrorOf } from '../../worker/processors/note-vendor-error.js';

/** The two queues whose jobs belong to tenants. */
export interface TenantQueues {
  events: Queue<EventJobData>;
  timers: Queue<TimerJobData>;
}

export interface FailedJob {
  jobId: string;
  queue: string;
  /** The event's kind ('ticket.updated'…) or the timer's ('timer:resolution:due'). */
  kind: string;
  ticketId: string | null;
  /** When it failed for the last time. */
  failedAt: string | null;
  /** When the webhook came in, or when the timer was due. */
  receivedAt: string | null;
  attempts: number;
  error: { message: string; vendor: string | null; vendorStatus: number | null };
}

type AnyJob = Job<EventJobData | TimerJobData>;

const iso = (ms: number | undefined | null) =>
  typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;

const tenantOf = (job: AnyJob) => (job.data as { tenantId?: unknown } | undefined)?.tenantId;

/** The failed jobs of a queue that are this tenant's, read in pages (newest first). */
async function* failedOf(queue: Queue, tenantId: string, page = 500): AsyncGenerator<AnyJob> {
  for (let start = 0; ; start += page) {
    const jobs = (await queue.getFailed(start, start + page - 1)) as AnyJob[];
    for (const job of jobs) if (job && tenantOf(job) === tenantId) yield job;
    if (jobs.length < page) return;
  }
}

async function describe(queue: Queue, job: AnyJob): Promise<FailedJob> {
  const { logs } = await queue.getJobLogs(job.id!, 0, 49, false).catch(() => ({ logs: [] }));
  const vendor = vendorErrorOf([...logs].reverse(), job.failedReason);
  const data = job.data;
  const isEvent = 'event' in data;
  return {
    jobId: job.id!,
    queue: queue.name,
    kind: isEvent ? data.event.kind : `timer:${data.metric}:${data.kind}`,
    ticketId: isEvent ? data.event.ticket.id : data.ticketId,
    failedAt: iso(job.finishedOn),
    receivedAt: isEvent ? iso(data.receivedAt) : data.dueAt,
    attempts: job.attemptsMade,
    error: {
      message: job.failedReason ?? 'unknown',
      vendor: vendor?.vendor ?? null,
      vendorStatus: vendor?.status ?? null,
    },
  };
}

/** A tenant's failed jobs in both queues, newest first, at most `limit`. */
export async function listFailed(
  queues: TenantQueues,
  tenantId: string,
  limit: number,
): Promise<{ jobs: FailedJob[]; more: boolean }> {
  const found: { queue: Queue; job: AnyJob }[] = [];
  let more = false;
  for (const queue of [queues.events, queues.timers] as Queue[]) {
    let n = 0;
    for await (const job of failedOf(queue, tenantId)) {
      if (n++ >= limit) {
        more = true;
        break;
      }
      found.push({ queue, job });
    }
  }
  found.sort((a, b) => (b.job.finishedOn ?? 0) - (a.job.finishedOn ?? 0));
  if (found.length > limit) more = true;
  const kept = found.slice(0, limit);
  return { jobs: await Promise.all(kept.map(({ queue, job }) => describe(queue, job))), more };
}

/** How many failed jobs the tenant has in both queues. */
export async function countFailed(queues: TenantQueues, tenantId: string): Promise<number> {
  let n = 0;
  for (const queue of [queues.events, queues.timers] as Queue[]) {
    for await (const _job of failedOf(queue, tenantId)) n++;
  }
  return n;
}

/** A failed job of this tenant by id, in either queue; null when there is none. */
export async function findFailed(
  queues: TenantQueues,
  tenantId: string,
  jobId: string,
): Promise<{ job: AnyJob; state: string } | null> {
  for (const queue of [queues.events, queues.timers] as Queue[]) {
    const job = (await queue.getJob(jobId)) as AnyJob | undefined;
    if (job && tenantOf(job) === tenantId) return { job, state: await job.getState() };
  }
  return null;
}

/** Puts a failed job back in its queue with its attempts reset; false when it is not failed. */
export async function retryFailed(job: AnyJob): Promise<boolean> {
  try {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  } catch {
    return false; // retried meanwhile (another call), or removed
  }
}

/** Retries every failed job of the tenant; returns the ids put back. */
export async function retryAllFailed(queues: TenantQueues, tenantId: string): Promise<string[]> {
  const jobs: AnyJob[] = [];
  for (const queue of [queues.events, queues.timers] as Queue[]) {
    for await (const job of failedOf(queue, tenantId)) jobs.push(job);
  }
  const retried: string[] = [];
  for (const job of jobs) if (await retryFailed(job)) retried.push(job.id!);
  return retried;
}
