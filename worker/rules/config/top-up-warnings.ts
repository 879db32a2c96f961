import { daysBetween, parseCivilDate } from '../quota/civil-date.js';
import type { ContractConfig } from './contract-schema.js';

/** A block's use is read back from the usage history, kept about this long by default. */
const HISTORY_DAYS = 400;

/**
 * Top-up blocks that outlive the usage history: what is left of a block is worked out from the
 * periods since its purchase, and the quota counters of a period are kept
 * DESKPLAN_QUOTA_RETENTION_DAYS (default 400) after it ends. A block used up in a period whose
 * history has expired would look unused again, so a block should expire within that time.
 */
export function topUpWarnings(contracts: readonly ContractConfig[]): string[] {
  const warnings: string[] = [];
  contracts.forEach((contract, i) => {
    (contract.topUps ?? []).forEach((block, j) => {
      const path = `contracts[${i}].topUps[${j}]`;
      const days =
        block.expires === undefined
          ? Infinity
          : daysBetween(parseCivilDate(block.purchased), parseCivilDate(block.expires));
      if (days > HISTORY_DAYS - 35) {
        warnings.push(
          `${path}: block '${block.id}' ${block.expires === undefined ? 'never expires' : `lasts ${days} days`}; what is left of a block is worked out from the usage history, kept ${HISTORY_DAYS} days by default (DESKPLAN_QUOTA_RETENTION_DAYS): give it an expiry within about a year of its purchase, or keep the history longer`,
        );
      }
    });
  });
  return warnings;
}
