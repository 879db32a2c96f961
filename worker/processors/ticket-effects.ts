import { createHash } from 'node:crypto';
import {
  isNoteEffect,
  metToKeep,
  type Decision,
  type QuotaMemory,
  type TicketMemory,
} from '../rules/index.js';
import type { EffectRecord, TicketState } from '../stores/ticket-state-store.js';

/**
 * A claim that is still not done after this long is taken over by a later delivery (which
 * first looks for the note the claimant may have written). Longer than a job's usual retries;
 * a job that fails for good releases its claims at once.
 */
const CLAIM_STALE_MS = 10 * 60_000;

/** The note one delivery may write on one ticket: the same id on every retry of the delivery. */
export function noteIdOf(tenantId: string, ticketId: string, eventId: string): string {
  return createHash('sha256')
    .update(`${tenantId}\n${ticketId}\n${eventId}`)
    .digest('hex')
    .slice(0, 12);
}

/** The reference line that ends each note, by which a retry can find a note that landed. */
export const noteMarker = (noteId: string) => `deskplan ref ${noteId}`;

export const withMarker = (note: string, noteId: string) => `${note}\n(${noteMarker(noteId)})`;

const pendingByOther = (r: EffectRecord, eventId: string, nowMs: number) =>
  !r.done && r.by !== eventId && nowMs - r.at < CLAIM_STALE_MS;

/** What the ticket's state says deskplan has done, as the rules read it. */
export function memoryOf(
  state: TicketState,
  eventId: string,
  nowMs: number,
  alsoDone: Iterable<string> = [],
): TicketMemory {
  const recorded = new Set<string>();
  for (const [key, record] of Object.entries(state.effects)) {
    if (record.done || pendingByOther(record, eventId, nowMs)) recorded.add(key);
  }
  const done = new Set([...recorded, ...alsoDone]);
  // Claims of this delivery are the ticket's own too (a retry of the event that raised them).
  for (const [key, record] of Object.entries(state.effects)) {
    if (!record.done && record.by === eventId) recorded.add(key);
  }
  return { done, recorded, quota: state.quota, met: state.met };
}

export interface ClaimPlan {
  /** Keys this delivery now holds. */
  mine: string[];
  /** Keys done, or held by another live delivery: to drop from this decision. */
  lost: string[];
  /** Notes an earlier attempt (this delivery's, or a stale claimant's) may have written. */
  verify: { noteId: string; keys: string[] }[];
}

/** Which of `keys` this delivery may carry out, judged against the ticket's state. Pure. */
export function planClaim(
  state: TicketState,
  keys: readonly string[],
  eventId: string,
  nowMs: number,
  claimedThisRun: ReadonlySet<string> = new Set(),
): ClaimPlan {
  const plan: ClaimPlan = { mine: [], lost: [], verify: [] };
  for (const key of keys) {
    const record = state.effects[key];
    if (!record) {
      plan.mine.push(key);
      continue;
    }
    if (record.done || pendingByOther(record, eventId, nowMs)) {
      plan.lost.push(key);
      continue;
    }
    plan.mine.push(key);
    // Pending since an attempt that may have written before failing: look for its note.
    if (record.noteId && isNoteEffect(key) && !claimedThisRun.has(key)) {
      const entry = plan.verify.find((v) => v.noteId === record.noteId);
      if (entry) entry.keys.push(key);
      else plan.verify.push({ noteId: record.noteId, keys: [key] });
    }
  }
  return plan;
}

/** The state with `keys` claimed by this delivery (pending until `commitEffects`). */
export function applyClaim(
  state: TicketState,
  keys: readonly string[],
  eventId: string,
  nowMs: number,
  noteId: string,
  writingOver: string | null = null,
): TicketState {
  if (keys.length === 0) return state;
  const effects = { ...state.effects };
  for (const key of keys) {
    effects[key] = {
      by: eventId,
      at: nowMs,
      done: false,
      noteId: isNoteEffect(key) ? noteId : null,
    };
  }
  return { ...state, effects, wroteOver: laterOf(state.wroteOver, writingOver) };
}

const laterOf = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : Date.parse(b) > Date.parse(a) ? b : a;

/** Drops this delivery's pending claims (its write was refused for good): others may retry. */
export function releaseClaims(state: TicketState, eventId: string): TicketState {
  const effects = Object.fromEntries(
    Object.entries(state.effects).filter(([, r]) => r.done || r.by !== eventId),
  );
  return { ...state, effects };
}

/** The quota state a decision judged the ticket with, once it is counted (not pending). */
function quotaToKeep(decision: Decision): QuotaMemory | null {
  const { outcome, contract, plan, quota } = decision;
  if (outcome !== 'applied' || !contract || !plan) return null;
  if (quota !== 'within' && quota !== 'over') return null;
  const member = decision.recount?.member;
  return {
    scopeKey: contract.scopeKey,
    planId: plan.id,
    verdict: quota,
    ...(member && { member }),
  };
}

/**
 * After the write (or when nothing needed writing): the effects done, the quota state the
 * ticket was counted with, the targets met, and which version of the ticket we wrote over.
 */
export function commitDecision(
  state: TicketState,
  input: {
    decision: Decision;
    done: readonly string[];
    eventId: string;
    nowMs: number;
    /** The ticket's updatedAt under our write, when one was made. */
    wroteOver: string | null;
  },
): TicketState {
  const { decision } = input;
  const effects = { ...state.effects };
  for (const key of input.done) {
    const record = effects[key];
    effects[key] = {
      by: record?.by ?? input.eventId,
      at: record?.at ?? input.nowMs,
      done: true,
      noteId: record?.noteId ?? null,
    };
  }
  return {
    ...state,
    effects,
    // A waived ticket forgets its quota state: if the waive is taken back, it is counted again
    // at the end of the queue and judged there.
    quota: decision.quota === 'waived' ? null : (quotaToKeep(decision) ?? state.quota),
    met: decision.outcome === 'applied' ? metToKeep(decision.sla, state.met) : state.met,
    wroteOver: laterOf(state.wroteOver, input.wroteOver),
  };
}

/** A body no newer than the ticket we last wrote over was rendered before our write: stale. */
export function isStaleBody(state: TicketState, updatedAt: string): boolean {
  return state.wroteOver !== null && Date.parse(updatedAt) <= Date.parse(state.wroteOver);
}
