import type { VendorClient } from '../../connectors/core/connector.js';
import { VendorConflictError, VendorRejectedError } from '../../connectors/core/errors.js';
import { isEmptyPatch, type TicketPatch } from '../../connectors/core/ticket-patch.js';
import type { Ticket, TicketEvent } from '../../connectors/core/ticket.js';
import {
  allowanceKeys,
  alertKey,
  countRepliesFrom,
  decide,
  proposedCutoff,
  replyLinesOf,
  withAllowances,
  needsTicketRead,
  resolveTicket,
  type Counter,
  type Decision,
  type Resolution,
  type Usage,
} from '../rules/index.js';
import type { ChargeCounter, QuotaLedger } from '../stores/quota-ledger.js';
import type { ReplyCutoff } from '../stores/reply-cutoff.js';
import type { TicketState, TicketStateStore } from '../stores/ticket-state-store.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';
import { toPatch } from '../write-back/to-patch.js';
import { foldEvent, withState } from './merge-ticket-state.js';
import {
  applyClaim,
  commitDecision,
  isStaleBody,
  memoryOf,
  noteIdOf,
  noteMarker,
  planClaim,
  releaseClaims,
  withMarker,
} from './ticket-effects.js';

export interface EvaluateDeps {
  ledger: QuotaLedger;
  ticketStates: TicketStateStore;
  client: VendorClient;
  now: () => number;
  /**
   * The tenant's reply cut-offs, one per limit in responses, each settled by the first event
   * that counts it: replies before it are a backfill's to count (`countRepliesFrom`). Absent:
   * every reply counts live.
   */
  replyCutoff?: Pick<ReplyCutoff, 'settle'>;
  /**
   * Callbacks: called once the decision's write succeeded (or none was needed), before its
   * effects are recorded as done, so a failure here retries the event and the hook runs again.
   * `ended`: the contract that covered the ticket until it ended, for a no-contract decision.
   */
  onDecided?: (
    decision: Decision,
    ended: { id: string; name: string; end: string } | null,
  ) => Promise<void>;
  /**
   * SLA timers: given the decision and the timer jobs the ticket's state lists, schedules the
   * ones it needs and returns their ids, which the decision's commit saves with the rest.
   */
  syncTimers?: (decision: Decision, previous: readonly string[]) => Promise<string[]>;
}

export interface Evaluation {
  decision: Decision;
  patch: TicketPatch;
  written: boolean;
  /** Vendor calls made: reads and writes. */
  calls: { reads: number; writes: number };
  /** The ticket as evaluated (the body, completed by reads and deskplan's history). */
  ticket: Ticket;
}

const MAX_CONFLICT_RETRIES = 3;

/** When a counter's period ends (epoch ms), or null for one with no end. */
const periodEndMs = (counter: Counter | undefined) => {
  const end = counter?.period.iso.end ?? null;
  return end === null ? null : Date.parse(end);
};

/**
 * The ledger counters a resolution charges: the same member ids, periods and weights wherever a
 * ticket is counted (the live pipeline, a backfill), so the ledger counts each once. `meta` is
 * kept with a member counted now (the config version it was judged under).
 */
export const chargeCountersOf = (counters: readonly Counter[], meta: object): ChargeCounter[] =>
  counters.map((c) => ({
    key: c.key,
    member: c.member,
    periodEndMs: periodEndMs(c),
    weight: c.weighing.weight,
    lookupOnly: c.lookupOnly === true,
    meta,
  }));

/** Whether a plan's counters depend on the ticket's history (its first reply or solve). */
const countsOnHistory = (resolution: Resolution) =>
  resolution.plan?.limits.some(
    (l) => l.unit === 'tickets' && (l.count !== 'on-create' || l.reopen?.after === 'new-count'),
  ) ?? false;

/**
 * One ticket event, end to end: complete the ticket (one read when the webhook lacked fields,
 * or when its body predates deskplan's own last write), fold in the history deskplan keeps,
 * charge the quota ledger (idempotent), decide, claim the once-only effects (notes, alerts,
 * priority changes) in deskplan's own state, and write the difference back in one call — none
 * when the ticket already matches. A 409 from a safe update means the ticket changed under us:
 * read it again and recompute. A retry after a write that may have landed looks for its note
 * before writing it again.
 */
export async function evaluateTicket(
  tenant: LoadedTenant,
  input: { event: TicketEvent; incomplete: boolean; fresh?: boolean },
  deps: EvaluateDeps,
): Promise<Evaluation> {
  const calls = { reads: 0, writes: 0 };
  const { eventId } = input.event;
  let ticket: Ticket = input.event.ticket;
  const incomplete = input.incomplete || needsTicketRead(tenant.compiled, ticket); // exclusions
  let fetched = incomplete || input.fresh === true;
  if (incomplete) {
    ticket = await deps.client.fetchTicket(ticket.id);
    calls.reads++;
  }
  const noteId = noteIdOf(tenant.id, ticket.id, eventId);
  const proposed = proposedCutoff(input.event, deps.now());
  /** Effects found done during this run (a note found on the ticket, an alert owned elsewhere). */
  const alsoDone = new Set<string>();
  const claimedThisRun = new Set<string>();

  for (let attempt = 0; ; attempt++) {
    const event: TicketEvent = { ...input.event, ticket };
    // Resolved before the history is folded in (the policy's pausing statuses are needed for
    // that); again after it only when the plan counts at a first reply or solve.
    const before = resolveTicket(tenant.compiled, event);
    const policyId = before.plan?.sla ?? null;
    const pauseOn = (policyId && tenant.compiled.policies.get(policyId)?.pauseOn) || [];
    let stale = false;
    const state = await deps.ticketStates.update(tenant.id, ticket.id, (s) => {
      stale = !fetched && isStaleBody(s, ticket.updatedAt);
      return stale ? s : foldEvent(s, event, ticket, pauseOn);
    });
    if (stale) {
      // Rendered before our own write: its tags and fields are out of date. Read the ticket.
      ticket = await deps.client.fetchTicket(ticket.id);
      calls.reads++;
      fetched = true;
      continue;
    }
    const full: TicketEvent = { ...event, ticket: withState(ticket, state) };
    const resolved = countsOnHistory(before) ? resolveTicket(tenant.compiled, full) : before;
    // Live counting of a limit in responses begins with the first event that meets it.
    const cutoffs = await deps.replyCutoff?.settle(tenant.id, replyLinesOf(resolved), proposed);
    const resolution = cutoffs
      ? countRepliesFrom(resolved, full, (line) => cutoffs.get(line))
      : resolved;
    const charged: Usage = await deps.ledger.charge(
      tenant.id,
      chargeCountersOf(resolution.counters, { configVersion: tenant.version }),
      eventId,
      deps.now(),
      {
        id: ticket.id,
        waived: resolution.waived,
        asOfMs: Date.parse(full.ticket.updatedAt),
        by: input.event.actor?.id ?? null,
      },
    );
    // Rollover and top-ups: the period's allowance depends on the units of earlier periods.
    const earlier = allowanceKeys(resolution);
    const units = new Map<string, number>();
    if (earlier.length > 0) {
      const values = await deps.ledger.units(tenant.id, earlier);
      earlier.forEach((key, i) => units.set(key, values[i] ?? 0));
    }
    const usage = withAllowances(resolution, charged, (key) => units.get(key) ?? 0);
    const judge = (s: TicketState) =>
      decide(
        tenant.compiled,
        full,
        resolution,
        usage,
        deps.now(),
        memoryOf(s, eventId, deps.now(), alsoDone),
      );
    let decision = judge(state);

    // Alerts: one per counter and threshold for the whole tenant, whichever ticket crossed it.
    if (decision.alerts.length > 0) {
      const owned = await deps.ledger.claimAlerts(
        tenant.id,
        decision.alerts.map((a) => ({
          ...a,
          periodEndMs:
            a.kind === 'expiring' // kept until the contract ends (plus the ledger's retention)
              ? Date.parse(a.endsAt)
              : periodEndMs(resolution.counters.find((c) => c.key === a.counterKey)),
        })),
        eventId,
        deps.now(),
      );
      if (owned.length < decision.alerts.length) {
        const mine = new Set(owned.map((a) => alertKey(a)));
        for (const a of decision.alerts) {
          const key = alertKey(a);
          if (!mine.has(key)) alsoDone.add(key);
        }
        decision = judge(state);
      }
    }

    // Notes and priority changes: claimed in the ticket's state before the write.
    let current = state;
    if (decision.effects.length > 0) {
      // Planned inside the update (which runs at least once) against the state it writes over.
      let plan!: ReturnType<typeof planClaim>;
      current = await deps.ticketStates.update(
        tenant.id,
        ticket.id,
        (s) => {
          plan = planClaim(s, decision.effects, eventId, deps.now(), claimedThisRun);
          // Recorded before the write, which may land even if it fails: a retry then reads the
          // ticket instead of trusting a body rendered before it.
          return applyClaim(s, plan.mine, eventId, deps.now(), noteId, ticket.updatedAt);
        },
        state,
      );
      for (const key of plan.mine) claimedThisRun.add(key);
      for (const key of plan.lost) alsoDone.add(key);
      for (const { noteId: earlier, keys } of plan.verify) {
        if (!deps.client.findNote) break;
        calls.reads++;
        if (await deps.client.findNote(ticket.id, noteMarker(earlier))) {
          for (const key of keys) alsoDone.add(key);
        }
      }
      if (plan.lost.length > 0 || plan.verify.length > 0) decision = judge(current);
    }

    const patch = toPatch(decision, full.ticket, deps.client.dueMetrics);
    if (patch.note !== null) patch.note = withMarker(patch.note, noteId);
    let written = false;
    if (!isEmptyPatch(patch)) {
      try {
        calls.writes++;
        await deps.client.applyPatch(full.ticket, patch);
        written = true;
      } catch (error) {
        if (error instanceof VendorConflictError && attempt < MAX_CONFLICT_RETRIES) {
          ticket = await deps.client.fetchTicket(ticket.id);
          calls.reads++;
          fetched = true;
          continue;
        }
        if (error instanceof VendorRejectedError) {
          // Refused for good: nothing was written, so another delivery may carry these out.
          const release = (s: TicketState) => releaseClaims(s, eventId);
          await deps.ticketStates.update(tenant.id, ticket.id, release, current);
        }
        // Any other failure may have landed: the claims stay, and the retry looks for the note.
        throw error;
      }
    }
    const { ended } = resolution;
    const endedInfo = ended?.end
      ? { id: ended.id, name: ended.name ?? ended.id, end: ended.end }
      : null;
    // Independent: the callbacks and the timers (whose ids the commit below saves).
    const [, timerJobIds] = await Promise.all([
      deps.onDecided?.(decision, decision.outcome === 'no-contract' ? endedInfo : null),
      deps.syncTimers?.(decision, current.timerJobIds),
    ]);
    const done = [...decision.effects, ...[...alsoDone].filter((k) => claimedThisRun.has(k))];
    const commit = (s: TicketState) => {
      const next = commitDecision(s, {
        decision,
        done,
        eventId,
        nowMs: deps.now(),
        wroteOver: written ? full.ticket.updatedAt : null,
      });
      return timerJobIds ? { ...next, timerJobIds } : next;
    };
    // Most events change nothing deskplan remembers: then no second write of the state.
    const unchanged = JSON.stringify(commit(current)) === JSON.stringify(current);
    if (!unchanged) await deps.ticketStates.update(tenant.id, ticket.id, commit, current);
    return { decision, patch, written, calls, ticket: full.ticket };
  }
}
