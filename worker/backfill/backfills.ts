import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AgentReply, VendorClient } from '../../connectors/core/connector.js';
import { nullIfNotFound, VendorRateLimitedError } from '../../connectors/core/errors.js';
import type { Ticket, TicketEvent } from '../../connectors/core/ticket.js';
import { chargeCountersOf } from '../processors/evaluate-ticket.js';
import {
  currentPeriodsStart,
  replyLineOf,
  replyLinesInForce,
  resolveTicket,
  type Counter,
} from '../rules/index.js';
import type { LimitConfig } from '../rules/config/plan-schema.js';
import type { QuotaLedger } from '../stores/quota-ledger.js';
import type { TicketStateStore } from '../stores/ticket-state-store.js';
import { ReplyCutoff } from '../stores/reply-cutoff.js';
import { RunLock } from '../stores/run-lock.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';

/**
 * `stopped` is never saved: it is how a run saved as running shows once no runner holds its lock
 * (the process running it ended); starting it again resumes it.
 */
export type BackfillStatus = 'running' | 'done' | 'failed' | 'stopped';

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
  /**
   * Whether this run reads agent replies (a contract in force has a limit in `responses`, or a
   * ticket limit counted at the first agent reply, and the helpdesk can list a ticket's
   * replies): then tickets updated since `createdFrom` are listed as well, and the replies of
   * those under such a limit are read.
   */
  replies: boolean;
  /**
   * Whether tickets created before `createdFrom` but updated since are listed too: when replies
   * are read, or a limit counts tickets at solve (a ticket opened earlier may be solved now).
   */
  alsoUpdated: boolean;
  /**
   * No reply made at or after this instant is counted here (it is counted live): the latest
   * cut-off of the limits in responses in force when the run started. Each limit has its own
   * cut-off, which may be earlier (set when deskplan first counted that limit live).
   */
  repliesBefore: string | null;
  /** Public agent replies read from the helpdesk. */
  repliesRead: number;
  /** Replies charged to a counter of a current period. */
  repliesCounted: number;
  /**
   * Counters whose replies this backfill leaves alone: they hold replies counted live before the
   * cut-off existed (by an earlier deskplan), which a backfill could not tell from its own.
   */
  repliesLeft: string[];
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface BackfillDeps {
  ledger: QuotaLedger;
  /**
   * Where the worker keeps each ticket's history: a first agent reply the backfill finds (and
   * the ticket's webhooks never carried) is kept there, so the worker counts the ticket at the
   * same moment. Absent: not kept.
   */
  ticketStates?: Pick<TicketStateStore, 'update'>;
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

/** This runner's lock expired and another process took the backfill over: stop, save nothing. */
class LockLostError extends Error {}

/**
 * Backfill: counts the tickets already filed in each contract's current periods, so a tenant
 * onboarded mid-period does not start at zero. Each listed ticket is resolved at its creation by
 * the pure rules and charged with the live pipeline's counters (`chargeCountersOf`), only those of
 * periods in progress; nothing is written to the helpdesk. The ledger counts a member once, so a
 * ticket counted here and again by its webhook (or by a second backfill) counts once.
 *
 * Runs in the process that starts it (the API's), page by page: after each page the cursor and
 * the figures are saved in one write, so a backfill that stopped (a failure, a restart) resumes
 * from its last page when started again. A Redis lock keeps one runner per tenant across
 * processes: extended after each page, during a page's reads of replies and across a 429's wait,
 * only while it is still this runner's; a runner that lost it stops and saves nothing more.
 */
export class Backfills {
  private readonly running = new Map<string, Promise<BackfillProgress>>();
  /** The lock of each run in this process, and when it was last extended. */
  private readonly locks = new Map<string, { lock: RunLock; heldAt: number }>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly cutoff: ReplyCutoff;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly deps: BackfillDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.cutoff = new ReplyCutoff(redis, prefix, this.now);
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

  /** The tenant's backfill as it stands: a run saved as running that no runner holds is `stopped`. */
  async current(tenantId: string): Promise<BackfillProgress | null> {
    const [progress, runner] = await Promise.all([this.get(tenantId), this.hasRunner(tenantId)]);
    return progress?.status === 'running' && !runner
      ? { ...progress, status: 'stopped' }
      : progress;
  }

  /**
   * Whether a runner holds the tenant's backfill lock, here or in another process: a progress
   * saved as running without one was stopped (its process ended) and resumes when started again.
   */
  private async hasRunner(tenantId: string): Promise<boolean> {
    return (await this.redis.exists(this.lockKey(tenantId))) === 1;
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
    const lock = await RunLock.acquire(this.redis, this.lockKey(tenantId), randomUUID(), LOCK_MS);
    if (!lock) {
      if (current) return { progress: current, started: false };
      throw new BackfillError(409, `a backfill of '${tenantId}' is starting; try again`);
    }
    const nowIso = new Date(this.now()).toISOString();
    const replies = client.listReplies !== undefined && this.countsReplies(tenant);
    // The instants that split replies with the live pipeline, one per limit in responses: set
    // by the first event that counted the limit, or now when none did yet (a reply made from
    // now on will arrive by webhook).
    const repliesBefore = replies ? await this.latestCutoff(tenant) : null;
    // A backfill that stopped before its end resumes from its cursor; a finished one starts over.
    const progress = await this.save(
      current && current.status !== 'done'
        ? { ...resumable(current), status: 'running', error: null, finishedAt: null }
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
            replies,
            alsoUpdated: replies || this.countsSolves(tenant),
            repliesBefore,
            repliesRead: 0,
            repliesCounted: 0,
            repliesLeft: [],
            startedAt: nowIso,
            updatedAt: nowIso,
            finishedAt: null,
            error: null,
          },
    );
    const run = this.run(tenant, client, progress, lock).finally(() => {
      this.running.delete(tenantId);
    });
    this.running.set(tenantId, run);
    return { progress, started: true };
  }

  /** The latest cut-off of the limits in responses in force, settled now where none was. */
  private async latestCutoff(tenant: LoadedTenant): Promise<string> {
    const nowMs = this.now();
    const lines = replyLinesInForce(tenant.compiled, nowMs);
    const cutoffs = await this.cutoff.settle(tenant.id, lines, nowMs);
    return new Date(Math.max(...cutoffs.values(), 0)).toISOString();
  }

  /** Whether a contract in force has a limit that needs a ticket's agent replies. */
  private countsReplies(tenant: LoadedTenant): boolean {
    return currentPeriodsStart(tenant.compiled, this.now(), needsReplies) !== null;
  }

  /** Whether a contract in force has a ticket limit counted at solve. */
  private countsSolves(tenant: LoadedTenant): boolean {
    const atSolve = (limit: LimitConfig) => limit.count === 'on-solve';
    return currentPeriodsStart(tenant.compiled, this.now(), atSolve) !== null;
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
    lock: RunLock,
  ): Promise<BackfillProgress> {
    let progress = initial;
    this.locks.set(tenant.id, { lock, heldAt: this.now() });
    const countedLive = this.countedLiveBefore(tenant.id, progress);
    try {
      while (progress.createdFrom !== null) {
        const list = () =>
          client.listTickets!({
            createdFrom: progress.createdFrom!,
            cursor: progress.cursor,
            ...(progress.alsoUpdated ? { alsoUpdated: true } : {}),
          });
        const page = await this.retrying(list, progress, (p) => (progress = p));
        let counted = 0;
        const replies = { read: 0, counted: 0 };
        for (const listed of page.tickets) {
          const read = progress.replies
            ? await this.readReplies(tenant, client, listed, progress, (p) => (progress = p))
            : null;
          const ticket = read ? await this.withFirstReply(tenant, listed, read) : listed;
          // Charged as its creation would have been.
          if (await this.chargeEvent(tenant, eventOf(tenant, ticket), 'tickets')) counted++;
          if (!read) continue;
          replies.read += read.length;
          replies.counted += await this.chargeReplies(tenant, ticket, read, progress, countedLive);
        }
        progress = await this.save({
          ...progress,
          cursor: page.nextCursor,
          pages: progress.pages + 1,
          seen: progress.seen + page.tickets.length,
          counted: progress.counted + counted,
          skipped: progress.skipped + page.tickets.length - counted,
          repliesRead: progress.repliesRead + replies.read,
          repliesCounted: progress.repliesCounted + replies.counted,
          repliesLeft: [...countedLive.left].sort().slice(0, 50),
        });
        if (page.nextCursor === null) break;
        await this.holdLock(tenant.id);
      }
      const finishedAt = new Date(this.now()).toISOString();
      return (progress = await this.save({ ...progress, status: 'done', finishedAt }));
    } catch (error) {
      if (error instanceof LockLostError) {
        // The other runner owns the progress now: it resumes from the last page saved here.
        this.deps.logger?.warn({ tenantId: tenant.id }, 'backfill taken over by another process');
        return progress;
      }
      this.deps.logger?.warn({ err: error, tenantId: tenant.id }, 'backfill stopped');
      return (progress = await this.save({
        ...progress,
        status: 'failed',
        error: (error as Error).message.slice(0, 500),
      }));
    } finally {
      this.locks.delete(tenant.id);
      await lock.release();
    }
  }

  /**
   * Extends the run's lock by `ms` (or, with `ifOlderThanMs`, only when it was last extended
   * longer ago than that), and throws LockLostError when it is no longer this run's.
   */
  private async holdLock(tenantId: string, ms = LOCK_MS, ifOlderThanMs = 0): Promise<void> {
    const held = this.locks.get(tenantId);
    if (!held || this.now() - held.heldAt < ifOlderThanMs) return;
    if (!(await held.lock.extend(ms)))
      throw new LockLostError(`the backfill lock of '${tenantId}' was lost`);
    held.heldAt = this.now();
  }

  /**
   * `call`, with each 429 waited out (Retry-After, at most maxRetryWaitMs) and asked again: each
   * wait is counted in the progress, saved, and handed to `update` once waited; any other error
   * is thrown on.
   */
  private async retrying<T>(
    call: () => Promise<T>,
    progress: BackfillProgress,
    update: (p: BackfillProgress) => void,
  ): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof VendorRateLimitedError)) throw error;
        const saved = await this.save({ ...progress, rateLimited: progress.rateLimited + 1 });
        const waitMs = Math.min(error.retryAfterMs, this.deps.maxRetryWaitMs ?? 300_000);
        // The lock outlives the wait: no other process takes the backfill over meanwhile.
        await this.holdLock(progress.tenantId, waitMs + LOCK_MS);
        await this.sleep(waitMs);
        update((progress = saved));
      }
    }
  }

  /**
   * The ticket's public agent replies, read when its plan limits responses, or counts tickets at
   * the first agent reply and the listing did not say when that was; null when not needed.
   */
  private async readReplies(
    tenant: LoadedTenant,
    client: VendorClient,
    ticket: Ticket,
    progress: BackfillProgress,
    update: (p: BackfillProgress) => void,
  ): Promise<AgentReply[] | null> {
    const resolution = resolveTicket(tenant.compiled, eventOf(tenant, ticket));
    const limits = resolution.excluded ? [] : (resolution.plan?.limits ?? []);
    const needed = limits.some(
      (l) =>
        l.unit === 'responses' ||
        (l.count === 'on-first-agent-reply' && ticket.firstAgentReplyAt === null),
    );
    if (!needed) return null;
    // A page of tickets each read on its own can outlast the lock: extend it as the reads go.
    await this.holdLock(tenant.id, LOCK_MS, LOCK_MS / 4);
    // A ticket deleted since it was listed has no replies to count.
    const read = () => nullIfNotFound(() => client.listReplies!(ticket.id));
    return (await this.retrying(read, progress, update)) ?? [];
  }

  /**
   * The ticket with its first agent reply, when the listing did not carry it and its replies
   * show it; kept in the worker's ticket history too (unless the worker knows one already).
   */
  private async withFirstReply(
    tenant: LoadedTenant,
    ticket: Ticket,
    replies: readonly AgentReply[],
  ): Promise<Ticket> {
    const first = replies[0]?.at ?? null;
    if (ticket.firstAgentReplyAt !== null || first === null) return ticket;
    const kept = await this.deps.ticketStates?.update(tenant.id, ticket.id, (s) =>
      s.firstAgentReplyAt === null ? { ...s, firstAgentReplyAt: first } : s,
    );
    return { ...ticket, firstAgentReplyAt: kept?.firstAgentReplyAt ?? first };
  }

  /**
   * Charges the ticket's public agent replies made in the listing's span and before the reply
   * cut-off, each as its webhook would have been (member `reply-<helpdesk id>`), to the counters
   * of periods in progress; answers how many counted.
   */
  private async chargeReplies(
    tenant: LoadedTenant,
    ticket: Ticket,
    replies: readonly AgentReply[],
    progress: BackfillProgress,
    countedLive: CountedLive,
  ): Promise<number> {
    const from = Date.parse(progress.createdFrom!);
    let counted = 0;
    for (const reply of replies) {
      const at = Date.parse(reply.at);
      if (!(at >= from)) continue;
      const event = eventOf(tenant, ticket, reply);
      // Only to the counters whose cut-off is after the reply: from it on, they count live.
      const allowed = async (c: Counter) =>
        at < (await this.cutoffOf(tenant.id, c)) && (await countedLive.check(c));
      if (await this.chargeEvent(tenant, event, 'responses', allowed)) counted++;
    }
    return counted;
  }

  /** A reply counter's cut-off (epoch ms), settled now when its limit has none yet. */
  private async cutoffOf(tenantId: string, counter: Counter): Promise<number> {
    const line = replyLineOf(counter);
    return (await this.cutoff.settle(tenantId, [line], this.now())).get(line)!;
  }

  /**
   * Whether a counter holds a reply counted live before the cut-off. The worker settles the
   * cut-off before it counts its first reply, so such a reply was counted by a deskplan that
   * kept no cut-off: its member is not the helpdesk's id, and this backfill leaves the counter.
   */
  private countedLiveBefore(tenantId: string, progress: BackfillProgress): CountedLive {
    const checked = new Map<string, Promise<boolean>>();
    const left = new Set(progress.repliesLeft);
    const check = async (counter: Counter) => {
      const { key } = counter;
      if (!checked.has(key)) {
        checked.set(
          key,
          Promise.all([
            this.deps.ledger.usage(tenantId, key),
            this.cutoffOf(tenantId, counter),
          ]).then(([{ entries }, cutoffMs]) =>
            entries.some(
              (e) => e.member.startsWith('reply-') && e.meta.backfill !== true && e.atMs < cutoffMs,
            ),
          ),
        );
      }
      const early = await checked.get(key)!;
      if (early) left.add(key);
      return !early;
    };
    return { check, left };
  }

  /** Charges an event's counters in `unit` of periods in progress; true when it counts (unwaived). */
  private async chargeEvent(
    tenant: LoadedTenant,
    event: TicketEvent,
    unit: 'tickets' | 'responses',
    allowed: (counter: Counter) => Promise<boolean> = async () => true,
  ): Promise<boolean> {
    const { ticket } = event;
    const resolution = resolveTicket(tenant.compiled, event);
    const nowMs = this.now();
    const current = resolution.counters.filter(
      (c) =>
        c.limit.unit === unit &&
        c.member !== null &&
        c.lookupOnly !== true &&
        c.period.start <= nowMs &&
        nowMs < c.period.end,
    );
    const counters = [];
    for (const c of current) if (await allowed(c)) counters.push(c);
    if (counters.length === 0) return false;
    await this.deps.ledger.charge(
      tenant.id,
      chargeCountersOf(counters, { configVersion: tenant.version, backfill: true }),
      event.eventId,
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

/** A limit whose counting needs a ticket's agent replies: in responses, or at the first reply. */
const needsReplies = (limit: LimitConfig) =>
  limit.unit === 'responses' || limit.count === 'on-first-agent-reply';

/** Which reply counters a run may charge (`check`), and the ones it left. */
interface CountedLive {
  check: (counter: Counter) => Promise<boolean>;
  left: Set<string>;
}

/**
 * A ticket event as a backfill makes it up: at the ticket's creation, or at one of its public
 * agent replies.
 */
function eventOf(
  tenant: LoadedTenant,
  ticket: Ticket,
  reply: AgentReply | null = null,
): TicketEvent {
  return {
    vendor: tenant.connector.vendor,
    tenantId: tenant.id,
    eventId: reply ? `backfill-reply-${reply.id}` : `backfill-${ticket.id}`,
    kind: reply ? 'ticket.agent_replied' : 'ticket.created',
    occurredAt: reply?.at ?? ticket.createdAt,
    actor: reply ? { kind: 'agent', id: null } : null,
    ticket,
    reply: reply && { id: reply.id, at: reply.at, public: true },
  };
}

/** A progress saved by an earlier version, with the reply figures it lacked. */
function resumable(saved: BackfillProgress): BackfillProgress {
  return {
    ...saved,
    replies: saved.replies ?? false,
    alsoUpdated: saved.alsoUpdated ?? saved.replies ?? false,
    repliesBefore: saved.repliesBefore ?? null,
    repliesRead: saved.repliesRead ?? 0,
    repliesCounted: saved.repliesCounted ?? 0,
    repliesLeft: saved.repliesLeft ?? [],
  };
}
