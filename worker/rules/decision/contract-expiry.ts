import { localDateOf } from '../calendar/local-date.js';
import { zoneNamed } from '../calendar/local-instant.js';
import type { CompiledTenant } from '../compile-tenant.js';
import type { PlanConfig } from '../config/plan-schema.js';
import { addDays, daysBetween, parseCivilDate, startOfCivilDay } from '../quota/civil-date.js';
import { renewalOf } from './renewal-chain.js';
import type { SelectedContract } from './select-contract.js';
import { effectKeys } from './ticket-memory.js';

/** A contract nearing its end: raised once per contract (and quota scope) and number of days. */
export interface ExpiryAlert {
  kind: 'expiring';
  /** `<scopeKey>/contract-<id>`: the tenant-wide claim key, with `threshold`. */
  counterKey: string;
  /** The plan's `expiryAlerts` entry this is for: days before the last day. */
  threshold: number;
  contract: { id: string; name: string };
  /** The contract's last day (inclusive), a local date. */
  lastDay: string;
  /** The instant the contract ends (the start of the day after its last day), ISO. */
  endsAt: string;
  /** Days from the event's local date to the last day (0 on the last day). */
  daysLeft: number;
}

/**
 * The expiry alert an event raises under its contract: when the event's local date is within N
 * days of the contract's last day, for the smallest such N of the plan's `expiryAlerts` (first
 * seen 5 days before the end with [30, 7]: the 7-day alert only), unless done already. None for
 * an open-ended contract, one that a renewal renews (taken care of), or one already over. Pure.
 */
export function expiryAlerts(
  tenant: CompiledTenant,
  selected: SelectedContract,
  plan: PlanConfig,
  atMs: number,
  done: ReadonlySet<string>,
): ExpiryAlert[] {
  const { contract, scopeKey } = selected;
  if (contract.end === undefined || plan.expiryAlerts.length === 0) return [];
  if (renewalOf(tenant.rules.contracts, contract)) return [];
  const { timeZone } = tenant.rules;
  const lastDay = parseCivilDate(contract.end);
  const daysLeft = daysBetween(parseCivilDate(localDateOf(atMs, timeZone)), lastDay);
  const within = plan.expiryAlerts.filter((n) => daysLeft >= 0 && daysLeft <= n);
  if (within.length === 0) return [];
  const threshold = Math.min(...within);
  const counterKey = `${scopeKey}/contract-${contract.id}`;
  if (done.has(effectKeys.alert(counterKey, threshold))) return [];
  const endMs = startOfCivilDay(zoneNamed(timeZone), addDays(lastDay, 1));
  return [
    {
      kind: 'expiring',
      counterKey,
      threshold,
      contract: { id: contract.id, name: contract.name ?? contract.id },
      lastDay: contract.end,
      endsAt: new Date(endMs).toISOString(),
      daysLeft,
    },
  ];
}
