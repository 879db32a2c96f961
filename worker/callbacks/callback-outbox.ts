import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CallbackConfig } from '../rules/config/callback-schema.js';
import type { Decision } from '../rules/index.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';
import { callbackEventsOf, type CallbackEvent, type EndedContract } from './callback-events.js';
import { callbackJobId, type CallbackJobData } from './callback-queue.js';
import type { DeliveryHistory, DeliveryRecord } from './delivery-history.js';
import { deliveryIdOf } from './delivery-id.js';
import { sendCallback } from './send-callback.js';

/** deskplan's own once-only claims of callback reasons are kept this long (days). */
const CLAIM_TTL_S = 400 * 24 * 3600;

export interface CallbackOutboxDeps {
  redis: Redis;
  prefix?: string;
  queue: Queue<CallbackJobData>;
  history: DeliveryHistory;
  logger: Logger;
  now?: () => number;
}

const subscribersOf = (tenant: LoadedTenant): CallbackConfig[] =>
  tenant.compiled.rules.callbacks ?? [];

/** The JSON body of a delivery: what every attempt sends, byte for byte. */
function deliveryBody(input: {
  deliveryId: string;
  type: string;
  tenantId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}): string {
  const { deliveryId, type, tenantId, occurredAt, data } = input;
  return JSON.stringify({ id: deliveryId, type, tenantId, occurredAt, data });
}

/**
 * Turns carried-out decisions into callback deliveries, each exactly once: a reason is claimed
 * (unless the quota ledger's alert claim already made one event its owner), then each subscriber
 * gets a history record and a job, both named by the delivery id, so a re-run of the event (a
 * retry, a duplicate on another worker) adds neither again.
 */
export class CallbackOutbox {
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(private readonly deps: CallbackOutboxDeps) {
    this.prefix = deps.prefix ?? 'deskplan';
    this.now = deps.now ?? Date.now;
  }

  /** Called after the decision's write succeeded, before it is recorded as done. */
  async afterDecision(
    tenant: LoadedTenant,
    decision: Decision,
    ended: EndedContract | null,
  ): Promise<void> {
    if (subscribersOf(tenant).length === 0) return;
    const events = callbackEventsOf(decision, ended);
    if (events.length === 0) return;
    const owned: CallbackEvent[] = [];
    for (const event of events) {
      if (!event.claimKey || (await this.claim(tenant.id, event.claimKey, decision.eventId))) {
        owned.push(event);
      }
    }
    await this.publish(tenant, owned);
  }

  /** Whether `eventId` owns the reason: the first to claim it (a retry of it still does). */
  private async claim(tenantId: string, claimKey: string, eventId: string): Promise<boolean> {
    const key = `${this.prefix}:{${tenantId}}:callbacks:once:${claimKey}`;
    const set = await this.deps.redis.set(key, eventId, 'EX', CLAIM_TTL_S, 'NX');
    if (set === 'OK') return true;
    return (await this.deps.redis.get(key)) === eventId;
  }

  /** A record and a job per interested subscriber and event (both idempotent). */
  async publish(tenant: LoadedTenant, events: readonly CallbackEvent[]): Promise<string[]> {
    const ids: string[] = [];
    const occurredAt = new Date(this.now()).toISOString();
    for (const event of events) {
      for (const sub of subscribersOf(tenant)) {
        if (!sub.events.includes(event.type)) continue;
        const deliveryId = deliveryIdOf(tenant.id, sub.id, event.key);
        const record = this.newRecord(tenant.id, sub, event.type, deliveryId, {
          occurredAt,
          data: event.data,
        });
        const added = await this.deps.history.create(record);
        await this.deps.queue.add(
          event.type,
          { tenantId: tenant.id, deliveryId },
          { jobId: callbackJobId(tenant.id, deliveryId) },
        );
        if (added) {
          this.deps.logger.info(
            { tenant: tenant.id, delivery: deliveryId, event: event.type, subscriber: sub.id },
            'callback queued',
          );
        }
        ids.push(deliveryId);
      }
    }
    return ids;
  }

  private newRecord(
    tenantId: string,
    sub: CallbackConfig,
    type: string,
    deliveryId: string,
    content: { occurredAt: string; data: Record<string, unknown> },
  ): DeliveryRecord {
    return {
      deliveryId,
      tenantId,
      subscriberId: sub.id,
      event: type,
      url: sub.url,
      body: deliveryBody({ deliveryId, type, tenantId, ...content }),
      createdAt: new Date(this.now()).toISOString(),
      state: 'pending',
      attempts: [],
      retries: 0,
    };
  }

  /**
   * Sends a delivery again, with the same id and body (receivers dedupe on the id). Null when
   * the history no longer has it; 'pending' when it is still being sent (nothing is added).
   */
  async retry(
    tenantId: string,
    deliveryId: string,
  ): Promise<{ record: DeliveryRecord | null; started: boolean }> {
    let started = false;
    const record = await this.deps.history.update(tenantId, deliveryId, (r) => {
      if (r.state === 'pending') return r;
      started = true;
      return { ...r, state: 'pending', retries: r.retries + 1 };
    });
    if (record && started) {
      await this.deps.queue.add(
        record.event,
        { tenantId, deliveryId },
        { jobId: callbackJobId(tenantId, deliveryId, record.retries) },
      );
    }
    return { record, started };
  }

  /** A signed `ping` to each subscriber, sent now (one attempt each), and kept in the history. */
  async ping(tenant: LoadedTenant): Promise<DeliveryRecord[]> {
    return Promise.all(
      subscribersOf(tenant).map(async (sub) => {
        const deliveryId = randomUUID();
        const record = this.newRecord(tenant.id, sub, 'ping', deliveryId, {
          occurredAt: new Date(this.now()).toISOString(),
          data: { subscriberId: sub.id },
        });
        await this.deps.history.create(record);
        const { attempt, outcome } = await sendCallback(sub, {
          deliveryId,
          event: 'ping',
          body: record.body,
        });
        const state =
          outcome === 'delivered' ? 'delivered' : outcome === 'gone' ? 'stopped' : 'failed';
        const done = { ...record, state, attempts: [attempt] } as DeliveryRecord;
        return (await this.deps.history.update(tenant.id, deliveryId, () => done)) ?? done;
      }),
    );
  }
}
