import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { VendorClient } from '../../connectors/core/connector.js';
import { VendorRateLimitedError } from '../../connectors/core/errors.js';
import type { Ticket, TicketEvent } from '../../connectors/core/ticket.js';
import { chargeCountersOf } from '../processors/evaluate-ticket.js';
import { currentPeriodsStart, resolveTicket } from '../rules/index.js';
import type { QuotaLedger } from '../stores/quota-ledger.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';

export type BackfillStatus = 'running' | 'done' | 'failed';

/** A tenant's backfill as kept in Redis: where it is, and what it has counted so far. */
export interface BackfillProgress {
  id: string;
  tenantId: string;
  status: BackfillStatus;
  /** Tickets created at or after this instant are listed (the current periods' earliest start). */
  createdFrom: string | null;
  /** Where the next page starts (null before the first page and after the last). */
  cursor: string | null;
  pages: number;
  /** Tickets listed. */
  seen: number;
  /** Tickets charged to a counter of a current period (the ledger counts each member once). */
  counted: number;
  /** Tickets listed but charged nowhere (no contract, excluded, waived, not counted yet, older). */
  skipped: number;
  /** Waits after a 429. */
  rateLimited: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface BackfillDeps {
  ledger: QuotaLedger;
  tenants: { get(tenantId: string): Promise<LoadedTenant | null> };
  /** The vendor client of a tenant (the worker's client cache, or a new one). */
  clientFor?: (tenant: LoadedTenant) => VendorClient;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  /** The longest wait after a 429 (default 5 minutes). */
  maxRetryWaitMs?: number;
}

/** Why a backfill cannot start: the API answers `status`. */
export class BackfillError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

const LOCK_MS = 60_000;

/**
 * Backfill: counts the tickets already filed in each contract's current periods, so a tenant
 * onboarded mid-period does not start at zero. Each listed ticket is resolved at its creation by
 * the pure rules and charged with the live pipeline's counters (`chargeCountersOf`), only those of
 * periods in progress; nothing is written to the helpdesk. The ledger counts a member once, so a
 * ticket counted here and again by its webhook (or by a second backfill) counts once.
 *
 * Runs in the process that starts it (the API's), page by page: after each page the cursor and
 * the figures are saved in one write, so a backfill that stopped (a failure, a restart) resumes
 * from its last page when started again. A Redis lock, renewed each page, keeps one runner per
 * tenant across processes.
 */
export class Backfills {
  private readonly running = new Map<string, Promise<BackfillProgress>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly deps: BackfillDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private key(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:backfill`;
  }

  private lockKey(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:backfill:lock`;
  }

  async get(tenantId: string): Promise<BackfillProgress | null> {
    const raw = await this.redis.get(this.key(tenantId));
    return raw === null ? null : (JSON.parse(raw) as BackfillProgress);
  }

  private async save(progress: BackfillProgress): Promise<BackfillProgress> {
    const saved = { ...progress, updatedAt: new Date(this.now()).toISOString() };
    await this.redis.set(this.key(progress.tenantId), JSON.stringify(saved));
    return saved;
  }

  /** The run in progress in this process, if any (tests await it). */
  settled(tenantId: string): Promise<BackfillProgress> | undefined {
    return this.running.get(tenantId);
  }

  /**
   * Starts (or resumes) the tenant's backfill and returns at once; `started` is false when one is
   * running already (here or in another process), whose progress is returned.
   */
  async start(tenantId: string): Promise<{ progress: BackfillProgress; started: boolean }> {
    const tenant = await this.deps.tenants.get(tenantId);
    if (!tenant) throw new BackfillError(404, `tenant '${tenantId}' is not known`);
    const client = this.clientOf(tenant);
    if (!client.listTickets) {
      throw new BackfillError(422, `${tenant.connector.vendor} cannot list tickets: no backfill`);
    }
    const current = await this.get(tenantId);
    if (this.running.has(tenantId) && current) return { progress: current, started: false };
    const token = randomUUID();
    const locked = await this.redis.set(this.lockKey(tenantId), token, 'PX', LOCK_MS, 'NX');
    if (locked !== 'OK') {
      if (current) return { progress: current, started: false };
      throw new BackfillError(409, `a backfill of '${tenantId}' is starting; try again`);
    }
    const nowIso = new Date(this.now()).toISOString();
    // A backfill that stopped before its end resumes from its cursor; a finished one starts over.
    const progress = await this.save(
      current && current.status !== 'done'
        ? { ...current, status: 'running', error: null, finishedAt: null }
        : {
            id: randomUUID(),
            tenantId,
            status: 'running',
            createdFrom: this.createdFrom(tenant),
            cursor: null,
            pages: 0,
            seen: 0,
            counted: 0,
            skipped: 0,
            rateLimited: 0,
            startedAt: nowIso,
            updatedAt: nowIso,
            finishedAt: null,
            error: null,
          },
    );
    const run = this.run(tenant, client, progress, token).finally(() => {
      this.running.delete(tenantId);
    });
    this.running.set(tenantId, run);
    return { progress, started: true };
  }

  private clientOf(tenant: LoadedTenant): VendorClient {
    return this.deps.clientFor
      ? this.deps.clientFor(tenant)
      : tenant.connector.createClient(tenant.connection);
  }

  private createdFrom(tenant: LoadedTenant): string | null {
    const start = currentPeriodsStart(tenant.compiled, this.now());
    return start === null ? null : new Date(start).toISOString();
  }

  private async run(
    tenant: LoadedTenant,
    client: VendorClient,
    initial: BackfillProgress,
    token: string,
  ): Promise<BackfillProgress> {
    let progress = initial;
    const lock = this.lockKey(tenant.id);
    try {
      while (progress.createdFrom !== null) {
        const page = await this.fetchPage(client, progress, (p) => (progress = p));
        let counted = 0;
        for (const ticket of page.tickets) if (await this.charge(tenant, ticket)) counted++;
        progress = await this.save({
          ...progress,
          cursor: page.nextCursor,
          pages: progress.pages + 1,
          seen: progress.seen + page.tickets.length,
          counted: progress.counted + counted,
          skipped: progress.skipped + page.tickets.length - counted,
        });
        if (page.nextCursor === null) break;
        await this.redis.set(lock, token, 'PX', LOCK_MS, 'XX');
      }
      const finishedAt = new Date(this.now()).toISOString();
      return (progress = await this.save({ ...progress, status: 'done', finishedAt }));
    } catch (error) {
      this.deps.logger?.warn({ err: error, tenantId: tenant.id }, 'backfill stopped');
      return (progress = await this.save({
        ...progress,
        status: 'failed',
        error: (error as Error).message.slice(0, 500),
      }));
    } finally {
      if ((await this.redis.get(lock)) === token) await this.redis.del(lock);
    }
  }

  /** One page; a 429 is waited out (Retry-After, at most maxRetryWaitMs) and asked again. */
  private async fetchPage(
    client: VendorClient,
    progress: BackfillProgress,
    update: (p: BackfillProgress) => void,
  ) {
    for (;;) {
      try {
        return await client.listTickets!({
          createdFrom: progress.createdFrom!,
          cursor: progress.cursor,
        });
      } catch (error) {
        if (!(error instanceof VendorRateLimitedError)) throw error;
        progress = await this.save({ ...progress, rateLimited: progress.rateLimited + 1 });
        update(progress);
        const waitMs = Math.min(error.retryAfterMs, this.deps.maxRetryWaitMs ?? 300_000);
        // The lock outlives the wait: no other process takes the backfill over meanwhile.
        await this.redis.pexpire(this.lockKey(progress.tenantId), waitMs + LOCK_MS);
        await this.sleep(waitMs);
      }
    }
  }

  /**
   * Charges one ticket as its creation would have: the counters of periods in progress only, with
   * the live pipeline's members; true when it counts in at least one (and is not waived).
   */
  private async charge(tenant: LoadedTenant, ticket: Ticket): Promise<boolean> {
    const eventId = `backfill-${ticket.id}`;
    const event: TicketEvent = {
      vendor: tenant.connector.vendor,
      tenantId: tenant.id,
      eventId,
      kind: 'ticket.created',
      occurredAt: ticket.createdAt,
      actor: null,
      ticket,
      reply: null,
    };
    const resolution = resolveTicket(tenant.compiled, event);
    const nowMs = this.now();
    const counters = resolution.counters.filter(
      (c) =>
        c.member !== null &&
        c.lookupOnly !== true &&
        c.period.start <= nowMs &&
        nowMs < c.period.end,
    );
    if (counters.length === 0) return false;
    await this.deps.ledger.charge(
      tenant.id,
      chargeCountersOf(counters, { configVersion: tenant.version, backfill: true }),
      eventId,
      nowMs,
      {
        id: ticket.id,
        waived: resolution.waived,
        asOfMs: Date.parse(ticket.updatedAt),
        by: null,
      },
    );
    return !resolution.waived;
  }
}
