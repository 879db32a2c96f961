import type { VendorClient } from '../../connectors/core/connector.js';
import { VendorConflictError } from '../../connectors/core/errors.js';
import { isEmptyPatch, type TicketPatch } from '../../connectors/core/ticket-patch.js';
import type { TicketEvent } from '../../connectors/core/ticket.js';
import { decide, resolveTicket, type Decision } from '../rules/index.js';
import type { QuotaLedger } from '../stores/quota-ledger.js';
import type { TicketStateStore } from '../stores/ticket-state-store.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';
import { toPatch } from '../write-back/to-patch.js';
import { foldEvent, withState } from './merge-ticket-state.js';

export interface EvaluateDeps {
  ledger: QuotaLedger;
  ticketStates: TicketStateStore;
  client: VendorClient;
  now: () => number;
}

export interface Evaluation {
  decision: Decision;
  patch: TicketPatch;
  written: boolean;
  /** Vendor calls made: reads and writes. */
  calls: { reads: number; writes: number };
  timerJobIds: string[];
}

const MAX_CONFLICT_RETRIES = 3;

/**
 * One ticket event, end to end: complete the ticket (one read when the webhook lacked fields),
 * fold in the history deskplan keeps, charge the quota ledger (idempotent), decide, and write
 * the difference back in one call — none when the ticket already matches. A 409 from a safe
 * update means the ticket changed under us: read it again and recompute.
 */
export async function evaluateTicket(
  tenant: LoadedTenant,
  input: { event: TicketEvent; incomplete: boolean },
  deps: EvaluateDeps,
): Promise<Evaluation> {
  const calls = { reads: 0, writes: 0 };
  let ticket = input.event.ticket;
  if (input.incomplete) {
    ticket = await deps.client.fetchTicket(ticket.id);
    calls.reads++;
  }
  for (let attempt = 0; ; attempt++) {
    const event: TicketEvent = { ...input.event, ticket };
    const resolution = resolveTicket(tenant.compiled, event);
    const policyId = resolution.plan?.sla ?? null;
    const pauseOn = (policyId && tenant.compiled.policies.get(policyId)?.pauseOn) || [];
    const state = await deps.ticketStates.update(tenant.id, ticket.id, (s) =>
      foldEvent(s, event, ticket, pauseOn),
    );
    const full: TicketEvent = { ...event, ticket: withState(ticket, state) };
    const usage = await deps.ledger.charge(
      tenant.id,
      resolution.counters.map((c) => ({ key: c.key, member: c.member })),
      full.eventId,
      deps.now(),
    );
    const decision = decide(tenant.compiled, full, resolution, usage, deps.now());
    const patch = toPatch(decision, full.ticket, deps.client.dueMetrics);
    if (isEmptyPatch(patch)) {
      return { decision, patch, written: false, calls, timerJobIds: state.timerJobIds };
    }
    try {
      calls.writes++;
      await deps.client.applyPatch(full.ticket, patch);
      return { decision, patch, written: true, calls, timerJobIds: state.timerJobIds };
    } catch (error) {
      if (!(error instanceof VendorConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      ticket = await deps.client.fetchTicket(ticket.id);
      calls.reads++;
    }
  }
}
