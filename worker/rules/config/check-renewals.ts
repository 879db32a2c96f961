import type { ContractConfig } from './contract-schema.js';

type Problem = (path: (string | number)[], message: string) => void;

/**
 * Renewal references: the renewed contract exists, renewals form no cycle, a contract is renewed
 * at most once, and the renewed contract has an end and starts before its renewal. (A gap or an
 * overlap between the two is valid: see renewalWarnings.)
 */
export function checkRenewals(contracts: readonly ContractConfig[], problem: Problem): void {
  const byId = new Map<string, number>();
  contracts.forEach((c, i) => {
    if (!byId.has(c.id)) byId.set(c.id, i);
  });
  const renewedBy = new Map<string, number>();

  contracts.forEach((contract, i) => {
    if (contract.renews === undefined) return;
    const path = ['contracts', i, 'renews'];
    const j = byId.get(contract.renews);
    if (j === undefined) {
      const list = [...byId.keys()].map((s) => `'${s}'`).join(', ');
      problem(path, `unknown contract '${contract.renews}' (known: ${list})`);
      return;
    }
    const cycle = cycleThrough(contracts, byId, i);
    if (cycle) {
      // Said once, at the cycle's first contract in the file.
      if (Math.min(...cycle) === i) {
        const names = [...cycle, i].map((k) => contracts[k]!.id).join(' → ');
        problem(path, `renewals form a cycle: ${names}`);
      }
      return;
    }
    const first = renewedBy.get(contract.renews);
    if (first !== undefined) {
      problem(
        path,
        `'${contract.renews}' is already renewed by '${contracts[first]!.id}' (contracts[${first}]): a contract is renewed at most once`,
      );
      return;
    }
    renewedBy.set(contract.renews, i);
    const renewed = contracts[j]!;
    if (renewed.end === undefined) {
      problem(path, `'${renewed.id}' has no end: only a contract with an end date can be renewed`);
    } else if (contract.start <= renewed.start) {
      problem(
        ['contracts', i, 'start'],
        `a renewal must start after the contract it renews: '${renewed.id}' starts ${renewed.start}`,
      );
    }
  });
}

/** The indexes of the renewal cycle contract `i` is on (from i, following `renews`), or null. */
function cycleThrough(
  contracts: readonly ContractConfig[],
  byId: ReadonlyMap<string, number>,
  i: number,
): number[] | null {
  const path: number[] = [];
  let k: number | undefined = i;
  while (k !== undefined && !path.includes(k)) {
    path.push(k);
    const renews: string | undefined = contracts[k]!.renews;
    k = renews === undefined ? undefined : byId.get(renews);
  }
  return k === i ? path : null;
}
