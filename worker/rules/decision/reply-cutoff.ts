import type { TicketEvent } from '../../../connectors/core/ticket.js';
import { localDateOf } from '../calendar/local-date.js';
import type { CompiledTenant } from '../compile-tenant.js';
import { chainRoot } from './renewal-chain.js';
import { inForce } from './select-contract.js';
import type { Counter, Resolution } from './resolve-ticket.js';

/**
 * Replies are split between two counters of the same ledger at one instant per limit in
 * responses, its cut-off: the live pipeline counts the replies made at or after it, a backfill
 * the ones made before it. A webhook's reply id is not always the helpdesk's own comment id (a
 * Zendesk trigger or Freshdesk rule body is named by its hash), so the ledger alone could count
 * a reply once by its webhook and again by a backfill that read it from the helpdesk; the
 * cut-off makes each reply belong to exactly one side.
 *
 * The cut-off is kept per limit (a contract's renewal chain and the limit's id: its `line`), not
 * per tenant: a limit in responses added to a plan mid-period (or a contract moved to such a
 * plan) was not counted live before, so its replies until then are a backfill's, whatever the
 * tenant's other limits did.
 */
export function replyLineOf(counter: Pick<Counter, 'key' | 'limit'>): string {
  const scope = counter.key.split('/')[0] ?? '';
  // Per-account quotas share their contract's cut-off: live counting began for all accounts.
  return `${scope.split('~')[0]}/${counter.limit.id}`;
}

/** The reply lines an event's resolution counts live from now on (its limits in responses). */
export function replyLinesOf(resolution: Resolution): string[] {
  const lines = resolution.counters
    .filter((c) => c.limit.unit === 'responses' && c.lookupOnly !== true)
    .map(replyLineOf);
  return [...new Set(lines)];
}

/**
 * The reply lines of the contracts in force at `nowMs` (every limit in responses of their plans),
 * as `replyLineOf` names them.
 */
export function replyLinesInForce(tenant: CompiledTenant, nowMs: number): string[] {
  const today = localDateOf(nowMs, tenant.rules.timeZone);
  const lines = new Set<string>();
  for (const contract of tenant.rules.contracts) {
    if (!inForce(contract, today)) continue;
    const plan = tenant.plans.get(contract.plan);
    const root = chainRoot(tenant.rules.contracts, contract).id;
    for (const limit of plan?.limits ?? []) {
      if (limit.unit === 'responses') lines.add(`${root}/${limit.id}`);
    }
  }
  return [...lines];
}

/**
 * The resolution with the replies made before their line's cut-off only read, not counted (a
 * reply before the cut-off that arrives live). `cutoffOf` gives a line's cut-off (epoch ms);
 * a line without one counts live.
 */
export function countRepliesFrom(
  resolution: Resolution,
  event: TicketEvent,
  cutoffOf: (line: string) => number | undefined,
): Resolution {
  const at = event.reply ? Date.parse(event.reply.at) : Number.NaN;
  if (Number.isNaN(at)) return resolution;
  const early = (c: Resolution['counters'][number]) => {
    if (c.limit.unit !== 'responses' || c.member === null) return false;
    const cutoff = cutoffOf(replyLineOf(c));
    return cutoff !== undefined && at < cutoff;
  };
  if (!resolution.counters.some(early)) return resolution;
  return {
    ...resolution,
    counters: resolution.counters.map((c) => (early(c) ? { ...c, member: null } : c)),
  };
}

/** How far back an event's own time may set the cut-off; an older (or unreadable) one uses now. */
const MAX_EVENT_AGE_MS = 24 * 3600 * 1000;

/**
 * The cut-off the first live event of a reply line proposes: the time of its reply (or of the
 * event), so that event's reply counts live, unless that time is in the future, unreadable or
 * more than a day old (a body with no usable time), when it is now.
 */
export function proposedCutoff(event: TicketEvent, nowMs: number): number {
  const at = Date.parse(event.reply?.at ?? event.occurredAt);
  return at <= nowMs && at >= nowMs - MAX_EVENT_AGE_MS ? at : nowMs;
}
