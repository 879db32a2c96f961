import { quotaPerOf } from '../config/contract-schema.js';
import type { Account } from '../../../connectors/core/ticket.js';
import type { AccountSelector, ContractConfig } from '../config/contract-schema.js';
import { chainRoot, renewalOf } from './renewal-chain.js';

/** Whether a contract's selector covers the account. */
function selectorMatches(selector: AccountSelector, account: Account | null): boolean {
  if (!account) return false;
  if (selector.orgIds) return account.id !== null && selector.orgIds.includes(account.id);
  if (selector.emailDomains) {
    const domain = account.emailDomain?.toLowerCase();
    return (
      domain !== undefined &&
      selector.emailDomains.some((d) => domain === d || domain.endsWith(`.${d}`))
    );
  }
  const test = selector.attribute!;
  const value = account.attributes[test.name];
  if (test.equals !== undefined && value !== test.equals) return false;
  if (test.min === undefined && test.max === undefined) return true;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n)) return false;
  return (test.min === undefined || n >= test.min) && (test.max === undefined || n <= test.max);
}

export interface SelectedContract {
  contract: ContractConfig;
  /** Whose usage this ticket counts in: the contract, or one account under it. */
  scopeKey: string;
}

function accountKey(account: Account): string {
  if (account.id) return `org-${account.id}`;
  return `domain-${account.emailDomain ?? 'unknown'}`;
}

/**
 * How specifically a selector names the account (higher = more specific): an organisation id
 * names one account; an email domain a set of them, a deeper subdomain fewer; an attribute test
 * a range of accounts, an exact value fewer than a range.
 */
function selectorSpecificity(selector: AccountSelector, account: Account | null): number {
  if (selector.orgIds) return 3000;
  if (selector.emailDomains) {
    const domain = account?.emailDomain?.toLowerCase() ?? '';
    const matched = selector.emailDomains.filter((d) => domain === d || domain.endsWith(`.${d}`));
    return 2000 + Math.max(0, ...matched.map((d) => d.split('.').length));
  }
  const test = selector.attribute!;
  return test.equals !== undefined
    ? 1100
    : test.min !== undefined && test.max !== undefined
      ? 1050
      : 1000;
}

/** Lexicographic: the first differing position decides. */
function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

const covers = (contract: ContractConfig, account: Account | null, product: string | null) =>
  selectorMatches(contract.account, account) &&
  (contract.product === undefined || contract.product === product);

/** Whether the contract is in force on a local date (its start and end days included). */
export const inForce = (contract: ContractConfig, localDate: string) =>
  contract.start <= localDate && (contract.end === undefined || contract.end >= localDate);

/**
 * The contract covering this account, product and local date (contract dates are local dates in
 * the tenant's zone, compared as strings). When several do: the higher `precedence`, then a
 * contract for the routed product over one for any product, then the most specific account
 * selector, then the first in the config. A renewal replaces the contract it renews from its own
 * start, and shares its quota scope (the chain's first contract id).
 */
export function selectContract(
  contracts: readonly ContractConfig[],
  account: Account | null,
  product: string | null,
  localDate: string,
): SelectedContract | null {
  let best: ContractConfig | null = null;
  let bestRank: number[] = [];
  for (const contract of contracts) {
    if (!inForce(contract, localDate) || !covers(contract, account, product)) continue;
    // Where a renewal overlaps the contract it renews, the renewal applies from its start.
    const renewal = renewalOf(contracts, contract);
    if (renewal && inForce(renewal, localDate) && covers(renewal, account, product)) continue;
    const rank = [
      contract.precedence ?? 0,
      contract.product !== undefined ? 1 : 0,
      selectorSpecificity(contract.account, account),
    ];
    // Strictly better only: among equals the first in the config stays.
    const better = best === null || compareRanks(rank, bestRank) > 0;
    if (better) {
      best = contract;
      bestRank = rank;
    }
  }
  if (!best) return null;
  const perAccount = quotaPerOf(best) === 'account';
  // A renewal chain shares one quota: its counters are keyed by the chain's first contract.
  const scopeId = chainRoot(contracts, best).id;
  return {
    contract: best,
    scopeKey: perAccount ? `${scopeId}~${accountKey(account!)}` : scopeId,
  };
}

/**
 * When no contract covers a ticket: the one that would have, had it not ended (the latest to
 * end), so the note can name it. Null when none did.
 */
export function endedContract(
  contracts: readonly ContractConfig[],
  account: Account | null,
  product: string | null,
  localDate: string,
): ContractConfig | null {
  let latest: ContractConfig | null = null;
  for (const contract of contracts) {
    if (contract.end === undefined || contract.end >= localDate) continue;
    if (!covers(contract, account, product)) continue;
    if (latest === null || contract.end > latest.end!) latest = contract;
  }
  return latest;
}
