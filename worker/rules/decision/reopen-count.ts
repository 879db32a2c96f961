import type { Reopen } from '../../../connectors/core/ticket.js';
import type { LimitConfig } from '../config/plan-schema.js';
import type { Resolution } from './resolve-ticket.js';
import { effectKeys, type QuotaMemory } from './ticket-memory.js';

const DAY_MS = 24 * 3600_000;

/** A reopen that starts a new count of its ticket under a limit with `reopen.after: new-count`. */
export interface Recount {
  /** The ledger member: `ticket-<id>-reopen-<n>`. */
  member: string;
  /** How many qualifying reopens so far (this is the n-th). */
  n: number;
  /** When it was reopened: the instant (and period) it counts at. */
  at: string;
  /** Whole days between the solve and the reopen. */
  days: number;
}

/**
 * The latest reopen that counts the ticket again under this limit, or null: only reopens more
 * than `window` days after the solve they follow count; those within it are the same ticket.
 */
export function recountOf(
  limit: LimitConfig,
  ticketId: string,
  reopens: readonly Reopen[],
): Recount | null {
  if (limit.unit !== 'tickets' || limit.reopen?.after !== 'new-count') return null;
  const windowMs = limit.reopen.window * DAY_MS;
  const qualifying = reopens.filter((r) => Date.parse(r.at) - Date.parse(r.solvedAt) > windowMs);
  const last = qualifying.at(-1);
  if (!last) return null;
  const n = qualifying.length;
  const days = Math.floor((Date.parse(last.at) - Date.parse(last.solvedAt)) / DAY_MS);
  return { member: `ticket-${ticketId}-reopen-${n}`, n, at: last.at, days };
}

/** Whether the remembered quota state is that of the count this resolution is about. */
export const sameCount = (quota: QuotaMemory, recount: Recount | null) =>
  (quota.member ?? null) === (recount?.member ?? null);

/**
 * The once-only note of a new count: due when the ticket is first judged as this recount (not
 * yet remembered) and the note was not written before. Returns its effect key.
 */
export function recountNoteOf(
  resolution: Resolution,
  scopeKey: string,
  planId: string,
  known: boolean,
  done: ReadonlySet<string>,
): { key: string } | null {
  const recount = resolution.recount;
  if (!recount || known) return null;
  const key = effectKeys.recountNote(scopeKey, planId, recount.member);
  return done.has(key) ? null : { key };
}
