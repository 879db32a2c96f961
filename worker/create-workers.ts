import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { HttpClientOptions } from '../connectors/core/http-client.js';
import type { CallbackOutbox } from './callbacks/callback-outbox.js';
import { ticketEventSchema } from '../connectors/core/ticket.js';
import { createClientCache } from './processors/client-cache.js';
import { loggedByConnection, logRepeatedError } from './redis/connect-redis.js';
import {
  evaluateTicket,
  type EvaluateDeps,
  type Evaluation,
} from './processors/evaluate-ticket.js';
import { toJobOutcome, waitIfRateLimited } from './processors/to-job-outcome.js';
import { DEFAULT_QUEUE_PREFIX, EVENTS_QUEUE, type EventJobData } from './queues/event-queue.js';
import { createTimerQueue, TIMERS_QUEUE, type TimerJobData } from './queues/timer-queue.js';
import type { QuotaLedger } from './stores/quota-ledger.js';
import type { RateGate } from './stores/rate-gate.js';
import type { ReplyCutoff } from './stores/reply-cutoff.js';
import type { SlaIndex } from './stores/sla-index.js';
import type { TicketStateStore } from './stores/ticket-state-store.js';
// Operations: pause/resume, failure notes, metrics.
import { holdIfPaused } from './queues/held-jobs.js';
import { countBreaches, countingCharges } from './processors/count-outcomes.js';
import { noteVendorError } from './processors/note-vendor-error.js';
import { observeVendorCall } from './runtime/metrics.js';
import type { OnceMarks } from './stores/once-marks.js';
import type { TenantPause } from './stores/tenant-pause.js';
import type { LoadedTenant, TenantCatalog } from './tenants/tenant-catalog.js';
import { planTimers } from './timers/plan-timers.js';
import { syncTimers } from './timers/sync-timers.js';

export interface WorkerDeps {
  connection: ConnectionOptions;
  prefix?: string;
  catalog: Pick<TenantCatalog, 'get'>;
  ledger: QuotaLedger;
  ticketStates: TicketStateStore;
  gate: RateGate;
  /** Where live reply counting begins for each tenant (the rest is a backfill's). */
  replyCutoff: ReplyCutoff;
  logger: Logger;
  concurrency?: number;
  http?: HttpClientOptions;
  now?: () => number;
  /** The open tickets' next SLA dues, for the admin API's at-risk list (updated per decision). */
  slaIndex?: SlaIndex;
  /** Per-tenant pause: a paused tenant's jobs are held until it resumes (none: never paused). */
  pause?: TenantPause;
  /** For the SLA breaches the metrics count once; none: those are not counted. */
  marks?: OnceMarks;
  /** Outgoing callbacks: raised from each carried-out decision (absent: none are sent). */
  callbacks?: CallbackOutbox;
}

export interface JobSummary {
  ticketId: string;
  outcome: string;
  quota: string | null;
  written: boolean;
  reads: number;
  writes: number;
}

/** The event worker and the SLA timer worker, sharing one evaluation of a ticket. */
export function createWorkers(deps: WorkerDeps) {
  const prefix = deps.prefix ?? DEFAULT_QUEUE_PREFIX;
  const now = deps.now ?? Date.now;
  const clients = createClientCache({ observe: observeVendorCall, ...deps.http });
  const ledger = countingCharges(deps.ledger);
  const paused = async (job: Job, token: string | undefined, tenantId: string, at: number) => {
    if (deps.pause) await holdIfPaused(job, token, tenantId, deps.pause, at);
  };
  const timerQueue = createTimerQueue(deps.connection, prefix);

  async function tenantOrFail(tenantId: string): Promise<LoadedTenant> {
    const tenant = await deps.catalog.get(tenantId);
    if (!tenant) throw new Error(`tenant '${tenantId}' has no valid config`);
    return tenant;
  }

  /** The evaluation's hook that raises callbacks (docs/callbacks.md), when they are on. */
  const onDecided = (tenant: LoadedTenant) =>
    deps.callbacks &&
    ((
      decision: Evaluation['decision'],
      ended: Parameters<typeof deps.callbacks.afterDecision>[2],
    ) => deps.callbacks!.afterDecision(tenant, decision, ended));

  /** The evaluation's hook that schedules a decision's SLA timers (their ids go in its commit). */
  const timersOf =
    (tenant: LoadedTenant) => (decision: Evaluation['decision'], previous: readonly string[]) => {
      const warn = decision.sla
        ? (tenant.compiled.policies.get(decision.sla.policyId)?.warnBefore ?? 0)
        : 0;
      return syncTimers(timerQueue, previous, planTimers(decision, warn, now()), now());
    };

  /** The evaluation's dependencies for one tenant and vendor client. */
  const evaluateDeps = (tenant: LoadedTenant, client: EvaluateDeps['client']): EvaluateDeps => ({
    ledger,
    ticketStates: deps.ticketStates,
    client,
    now,
    replyCutoff: deps.replyCutoff,
    onDecided: onDecided(tenant),
    syncTimers: timersOf(tenant),
  });

  async function afterEvaluation(tenant: LoadedTenant, result: Evaluation): Promise<JobSummary> {
    const { decision } = result;
    // Independent writes: the breach figures and the SLA index, at once.
    await Promise.all([
      deps.marks && countBreaches(decision, deps.marks),
      deps.slaIndex?.record(tenant.id, decision, result.ticket),
    ]);
    deps.logger.info(
      {
        tenant: tenant.id,
        ticket: decision.ticketId,
        event: decision.eventId,
        outcome: decision.outcome,
        plan: decision.plan?.id,
        quota: decision.quota,
        charged: decision.chargedKeys,
        written: result.written,
      },
      'ticket evaluated',
    );
    return {
      ticketId: decision.ticketId,
      outcome: decision.outcome,
      quota: decision.quota,
      written: result.written,
      reads: result.calls.reads,
      writes: result.calls.writes,
    };
  }

  const events = new Worker<EventJobData, JobSummary>(
    EVENTS_QUEUE,
    async (job: Job<EventJobData>, token) => {
      const { tenantId } = job.data;
      await paused(job, token, tenantId, job.data.receivedAt ?? job.timestamp);
      const tenant = await tenantOrFail(tenantId);
      await waitIfRateLimited(job, token, tenantId, deps.gate);
      const client = clients(tenant);
      try {
        const event = ticketEventSchema.parse(job.data.event);
        const result = await evaluateTicket(
          tenant,
          { event, incomplete: job.data.incomplete },
          evaluateDeps(tenant, client),
        );
        return await afterEvaluation(tenant, result);
      } catch (error) {
        await noteVendorError(job, tenant.connector.vendor, error);
        return toJobOutcome(error, job, token, tenantId, deps.gate);
      }
    },
    { connection: deps.connection, prefix, concurrency: deps.concurrency ?? 20 },
  );

  const timers = new Worker<TimerJobData, JobSummary>(
    TIMERS_QUEUE,
    async (job: Job<TimerJobData>, token) => {
      const { tenantId, ticketId } = job.data;
      await paused(job, token, tenantId, job.timestamp + (job.delay ?? 0));
      const tenant = await tenantOrFail(tenantId);
      await waitIfRateLimited(job, token, tenantId, deps.gate);
      const client = clients(tenant);
      try {
        const ticket = await client.fetchTicket(ticketId);
        const event = {
          vendor: tenant.connector.vendor,
          tenantId,
          eventId: job.id!,
          kind: 'ticket.updated' as const,
          occurredAt: new Date(now()).toISOString(),
          actor: { kind: 'system' as const, id: 'deskplan-timer' },
          ticket,
          reply: null,
        };
        const result = await evaluateTicket(
          tenant,
          { event, incomplete: false, fresh: true },
          evaluateDeps(tenant, client),
        );
        result.calls.reads++;
        return await afterEvaluation(tenant, result);
      } catch (error) {
        await noteVendorError(job, tenant.connector.vendor, error);
        return toJobOutcome(error, job, token, tenantId, deps.gate);
      }
    },
    { connection: deps.connection, prefix, concurrency: deps.concurrency ?? 20 },
  );

  for (const worker of [events, timers]) {
    worker.on('failed', (job, error) =>
      deps.logger.warn(
        { job: job?.id, queue: worker.name, err: error.message, attempts: job?.attemptsMade },
        'job failed',
      ),
    );
    // Redis errors (an outage) are logged once per kind and window, never raw on stderr. A worker
    // passes on the errors of deps.connection and of its own blocking duplicate of it: those of
    // deps.connection, when it logs them itself (createRedisConnection), are not logged again.
    worker.on('error', (error) => {
      if (loggedByConnection(error)) return;
      logRepeatedError(deps.logger, `redis:${worker.name}-worker`, error, 'worker error');
    });
  }
  // Likewise for the timer queue, which uses deps.connection.
  timerQueue.on('error', (error) => {
    if (loggedByConnection(error)) return;
    logRepeatedError(deps.logger, 'redis:timer-queue', error, 'timer queue error');
  });

  return {
    events,
    timers,
    timerQueue,
    async close() {
      await Promise.all([events.close(), timers.close()]);
      await timerQueue.close();
    },
  };
}
