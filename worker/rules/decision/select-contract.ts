import type { Account } from '../../../connectors/core/ticket.js';
import type { AccountSelector, ContractConfig } from '../config/contract-schema.js';

/** Whether a contract's selector covers the account. */
export function selectorMatches(selector: AccountSelector, account: Account | null): boolean {
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
 * The contract covering this account, product and local date (contract dates are local dates in
 * the tenant's zone, compared as strings). A contract for the product wins over one for any
 * product; among equals, the first in the config.
 */
export function selectContract(
  contracts: readonly ContractConfig[],
  account: Account | null,
  product: string | null,
  localDate: string,
): SelectedContract | null {
  let fallback: ContractConfig | null = null;
  let chosen: ContractConfig | null = null;
  for (const contract of contracts) {
    if (contract.start > localDate || (contract.end !== undefined && contract.end < localDate)) {
      continue;
    }
    if (!selectorMatches(contract.account, account)) continue;
    if (contract.product === undefined) fallback ??= contract;
    else if (contract.product === product) {
      chosen = contract;
      break;
    }
  }
  const contract = chosen ?? fallback;
  if (!contract) return null;
  const perAccount =
    (contract.quotaPer ?? (contract.account.attribute ? 'account' : 'contract')) === 'account';
  return {
    contract,
    scopeKey: perAccount ? `${contract.id}~${accountKey(account!)}` : contract.id,
  };
}
