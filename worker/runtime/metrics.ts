import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * deskplan's Prometheus metrics, in one registry served at /metrics. Counters are per process
 * (Prometheus sums the processes); the job gauges are read from BullMQ at each scrape, so every
 * process reports the same shared figures (use max(), not sum(), across processes).
 *
 * Labels stay bounded: vendors and outcomes are fixed lists, tenants come from stored configs
 * (never from a request path), HTTP statuses are three digits.
 */
export const metricsRegistry = new Registry();

/** Webhook deliveries by vendor (or 'unknown' for a path naming none) and outcome. */
export const webhooks = new Counter({
  name: 'deskplan_webhooks_total',
  help: 'Webhook deliveries by vendor and outcome (accepted, duplicate, or why they were refused)',
  labelNames: ['vendor', 'outcome'] as const,
  registers: [metricsRegistry],
});

export type WebhookOutcome =
  | 'accepted'
  | 'duplicate'
  | 'bad_request'
  | 'unauthorized'
  | 'unknown_tenant'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unavailable';

/** The outcome label of a refused webhook, from the status it was answered with. */
export function refusalOutcome(status: number): WebhookOutcome {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 404:
      return 'unknown_tenant';
    case 413:
      return 'too_large';
    case 415:
      return 'unsupported_media_type';
    case 503:
      return 'unavailable';
    default:
      return 'bad_request';
  }
}

/** Calls to a helpdesk's REST API, by vendor, HTTP status ('none' without an answer) and result. */
const vendorCalls = new Counter({
  name: 'deskplan_vendor_calls_total',
  help: 'Vendor API calls by vendor, HTTP status and result (ok, rate_limited, rejected, unavailable)',
  labelNames: ['vendor', 'status', 'result'] as const,
  registers: [metricsRegistry],
});

const vendorCallSeconds = new Histogram({
  name: 'deskplan_vendor_call_duration_seconds',
  help: 'How long vendor API calls took, by vendor',
  labelNames: ['vendor'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** A finished vendor call as the HTTP client reports it (see connectors/core/http-client.ts). */
export interface ObservedCall {
  vendor: string;
  method: string;
  /** The HTTP status, or null when no answer came (timeout, network). */
  status: number | null;
  durationMs: number;
}

/** The result label of a vendor call: 429s apart from the other refusals. */
function callResult(status: number | null): string {
  if (status === null || status >= 500 || status === 408) return 'unavailable';
  if (status === 429) return 'rate_limited';
  if (status >= 400) return 'rejected';
  return 'ok';
}

/** The observer the workers give their vendor HTTP clients. */
export function observeVendorCall(call: ObservedCall): void {
  vendorCalls.inc({
    vendor: call.vendor,
    status: call.status === null ? 'none' : String(call.status),
    result: callResult(call.status),
  });
  vendorCallSeconds.observe({ vendor: call.vendor }, call.durationMs / 1000);
}

/**
 * Quota charges by tenant and result: 'counted' when this charge counted a ticket or reply (once
 * per member, whatever the retries), 'already_counted' when it found it counted before.
 */
export const quotaCharges = new Counter({
  name: 'deskplan_quota_charges_total',
  help: 'Quota ledger charges by tenant and result (counted now, or already counted)',
  labelNames: ['tenant', 'result'] as const,
  registers: [metricsRegistry],
});

/** SLA breaches by tenant and metric, each ticket's breach of a due counted once. */
export const slaBreaches = new Counter({
  name: 'deskplan_sla_breaches_total',
  help: 'SLA breaches by tenant and metric (firstResponse, nextResponse, resolution), once each',
  labelNames: ['tenant', 'metric'] as const,
  registers: [metricsRegistry],
});

/**
 * Callback deliveries by outcome; the callbacks code increments it:
 * `callbackDeliveries.inc({ outcome: 'delivered' })`.
 */
export const callbackDeliveries = new Counter({
  name: 'deskplan_callback_deliveries_total',
  help: 'Callback deliveries by outcome',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Jobs of a tenant held back while it is paused, by queue. */
export const jobsHeld = new Counter({
  name: 'deskplan_jobs_held_total',
  help: 'Jobs set aside because their tenant was paused, by queue',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
});

const watched = new Set<Queue>();

/** Reports this queue's job counts at each scrape; returns how to stop. */
export function watchQueue(queue: Queue): () => void {
  watched.add(queue);
  return () => watched.delete(queue);
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

new Gauge({
  name: 'deskplan_jobs',
  help: 'Jobs by queue and state, read from BullMQ at scrape time',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const queues = [...watched];
    const counts = await Promise.all(queues.map((q) => q.getJobCounts(...JOB_STATES)));
    queues.forEach((queue, i) => {
      for (const state of JOB_STATES) {
        this.set({ queue: queue.name, state }, counts[i]![state] ?? 0);
      }
    });
  },
});
