import type { ContractConfig } from '../config/contract-schema.js';
import type { PeriodUnit } from '../quota/period-of.js';

/** How a tenant's contracts renew one another, by contract id. */
export interface RenewalIndex {
  /** The contract that renews each renewed contract. */
  renewedBy: ReadonlyMap<string, ContractConfig>;
  /** The first contract of each contract's renewal chain (itself when it renews none). */
  rootOf: ReadonlyMap<string, ContractConfig>;
  /** Each contract and those it renews, newest first (itself alone when it renews none). */
  chainOf: ReadonlyMap<string, readonly ContractConfig[]>;
}

/** Built once per contracts list (a compiled tenant keeps its list for its lifetime). */
const indexes = new WeakMap<readonly ContractConfig[], RenewalIndex>();

function renewalIndex(contracts: readonly ContractConfig[]): RenewalIndex {
  let index = indexes.get(contracts);
  if (index) return index;
  const byId = new Map<string, ContractConfig>();
  for (const c of contracts) if (!byId.has(c.id)) byId.set(c.id, c);
  const renewedBy = new Map<string, ContractConfig>();
  for (const c of contracts) {
    if (c.renews !== undefined && !renewedBy.has(c.renews)) renewedBy.set(c.renews, c);
  }
  const rootOf = new Map<string, ContractConfig>();
  const chainOf = new Map<string, ContractConfig[]>();
  for (const c of byId.values()) {
    // Validation rejects cycles and unknown ids; stop at either all the same.
    const chain = [c];
    for (;;) {
      const last = chain.at(-1)!;
      const previous = last.renews === undefined ? undefined : byId.get(last.renews);
      if (!previous || chain.includes(previous)) break;
      chain.push(previous);
    }
    rootOf.set(c.id, chain.at(-1)!);
    chainOf.set(c.id, chain);
  }
  index = { renewedBy, rootOf, chainOf };
  indexes.set(contracts, index);
  return index;
}

/** The first contract of a renewal chain: whose id names the chain's shared quota scope. */
export const chainRoot = (contracts: readonly ContractConfig[], contract: ContractConfig) =>
  renewalIndex(contracts).rootOf.get(contract.id) ?? contract;

/** The contract and those it renews, newest first. */
export const renewalChain = (contracts: readonly ContractConfig[], contract: ContractConfig) =>
  renewalIndex(contracts).chainOf.get(contract.id) ?? [contract];

/** The contract that renews this one, if any. */
export const renewalOf = (contracts: readonly ContractConfig[], contract: ContractConfig) =>
  renewalIndex(contracts).renewedBy.get(contract.id) ?? null;

/**
 * The first day a limit's periods count from: a term is each contract's own (a renewal is a fresh
 * allowance); weeks, months, quarters and years run on from the chain's first start, so anniversary
 * periods continue across a renewal without a gap.
 */
export const periodAnchor = (
  contracts: readonly ContractConfig[],
  contract: ContractConfig,
  per: PeriodUnit,
): string => (per === 'term' ? contract.start : chainRoot(contracts, contract).start);
