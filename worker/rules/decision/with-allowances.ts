import { periodAllowance } from '../quota/allowance-history.js';
import type { Usage } from './decide.js';
import type { Resolution } from './resolve-ticket.js';

/** The counter keys of earlier periods whose units the allowances of this event depend on. */
export function allowanceKeys(resolution: Resolution): string[] {
  const keys = new Set<string>();
  for (const c of resolution.counters) {
    for (const e of c.allowance?.earlier ?? []) keys.add(e.counterKey);
  }
  return [...keys];
}

/**
 * The usage with each counter's whole allowance for its period (max, rollover, top-ups), from the
 * units counted in earlier periods. Counters with neither rollover nor top-ups are left as they are.
 */
export function withAllowances(
  resolution: Resolution,
  usage: Usage,
  unitsOf: (counterKey: string) => number,
): Usage {
  if (!resolution.counters.some((c) => c.allowance !== null)) return usage;
  const out = { ...usage };
  for (const c of resolution.counters) {
    const u = usage[c.key];
    if (!c.allowance || !u) continue;
    out[c.key] = { ...u, allowance: periodAllowance(c.allowance, c.period, u.units, unitsOf) };
  }
  return out;
}
