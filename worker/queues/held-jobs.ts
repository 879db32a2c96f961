import { DelayedError, type Job, type Queue } from 'bullmq';
import { jobsHeld } from '../runtime/metrics.js';
import type { HeldJob, TenantPause } from '../stores/tenant-pause.js';

/** A held job waits this long at most: resume hands it back long before. */
const HELD_FOR_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * Before a job does anything: when its tenant is paused, set it aside (delayed far into the
 * future, its id kept in the tenant's held list) and end this run without a failure or an
 * attempt counted. A resume that came between the check and the move finds nothing to hand
 * back, so the job checks again afterwards and hands itself back.
 */
export async function holdIfPaused(
  job: Job,
  token: string | undefined,
  tenantId: string,
  pause: TenantPause,
  receivedAtMs: number,
): Promise<void> {
  if (!(await pause.isPaused(tenantId))) return;
  const held: HeldJob = { queue: job.queueName, jobId: job.id! };
  await pause.hold(tenantId, held, receivedAtMs);
  await job.moveToDelayed(Date.now() + HELD_FOR_MS, token);
  jobsHeld.inc({ queue: job.queueName });
  if (!(await pause.isPaused(tenantId))) {
    await job.promote().catch(() => {}); // resumed meanwhile
    await pause.release(tenantId, held);
  }
  throw new DelayedError();
}

/**
 * Hands a resumed tenant's held jobs back to their queues, oldest first (each promoted from
 * delayed to waiting); returns how many went back. Jobs gone meanwhile (a timer made obsolete
 * and removed) are just forgotten. Call after the pause is lifted.
 */
export async function releaseHeld(
  tenantId: string,
  pause: TenantPause,
  queues: readonly Queue[],
): Promise<number> {
  const byName = new Map(queues.map((q) => [q.name, q]));
  let released = 0;
  for (const held of await pause.held(tenantId)) {
    const job = await byName.get(held.queue)?.getJob(held.jobId);
    if (job && (await job.getState()) === 'delayed') {
      try {
        await job.promote();
        released++;
      } catch {
        // promoted or removed in between: nothing left to hand back
      }
    }
    await pause.release(tenantId, held);
  }
  return released;
}
