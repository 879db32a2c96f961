import type { Queue } from 'bullmq';
import type { TimerJobData } from '../queues/timer-queue.js';
import type { PlannedTimer } from './plan-timers.js';

/**
 * Makes the queue hold exactly the planned timers for a ticket: adds the new ones (an existing
 * id adds nothing) and removes the ones a reply, solve or priority change made obsolete.
 * Returns the ids now scheduled.
 */
export async function syncTimers(
  queue: Queue<TimerJobData>,
  previous: readonly string[],
  planned: readonly PlannedTimer[],
  nowMs: number,
): Promise<string[]> {
  const wanted = new Set(planned.map((t) => t.jobId));
  await Promise.all([
    ...previous.filter((id) => !wanted.has(id)).map((id) => queue.remove(id).catch(() => 0)), // an active timer cannot be removed; it finds nothing to do
    ...planned
      .filter((t) => !previous.includes(t.jobId))
      .map((t) =>
        queue.add(`${t.data.metric}-${t.data.kind}`, t.data, {
          jobId: t.jobId,
          delay: Math.max(0, t.at - nowMs),
        }),
      ),
  ]);
  return [...wanted];
}
