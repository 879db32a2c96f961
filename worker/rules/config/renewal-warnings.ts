import { addDays, daysBetween, formatCivilDate, parseCivilDate } from '../quota/civil-date.js';
import { quotaPerOf as quotaPer, type ContractConfig } from './contract-schema.js';

const plural = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/**
 * Renewals that are valid but probably not meant, each with its path: one that does not start the
 * day after the contract it renews ends (a gap leaves days without a contract, an overlap gives
 * the renewal those days; either way its periods do not line up with its start), and one whose
 * quota is shared differently (per contract / per account), so usage does not carry over.
 */
export function renewalWarnings(contracts: readonly ContractConfig[]): string[] {
  const warnings: string[] = [];
  const byId = new Map(contracts.map((c) => [c.id, c]));
  contracts.forEach((contract, i) => {
    const renewed = contract.renews === undefined ? undefined : byId.get(contract.renews);
    if (!renewed?.end) return;
    const dayAfter = formatCivilDate(addDays(parseCivilDate(renewed.end), 1));
    const off = daysBetween(parseCivilDate(dayAfter), parseCivilDate(contract.start));
    if (off !== 0) {
      const what =
        off > 0
          ? `${plural(off)} without a contract in between`
          : `${plural(-off)} of overlap (the renewal applies from its start)`;
      warnings.push(
        `contracts[${i}].start: '${contract.id}' renews '${renewed.id}', which ends ${renewed.end}, but starts ${contract.start}, not ${dayAfter}: ${what}; its periods will not line up with its start (anniversary periods run on from the first start, 'term' runs from its own start)`,
      );
    }
    if (quotaPer(contract) !== quotaPer(renewed)) {
      warnings.push(
        `contracts[${i}].quotaPer: '${contract.id}' shares its quota per ${quotaPer(contract)}, '${renewed.id}' per ${quotaPer(renewed)}: usage does not carry over the renewal`,
      );
    }
  });
  return warnings;
}
