// What the backfill tests of every helpdesk do the same way: run one through the API, read counts.
import { expect } from 'vitest';
import type { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import type { startAdminApiOn } from './admin-api-harness.js';

type Api = Awaited<ReturnType<typeof startAdminApiOn>>;

/** The counts of the tenant's counters that hold a ticket. */
export async function counterCounts(ledger: QuotaLedger, tenantId: string): Promise<number[]> {
  const keys = await ledger.counterKeys(tenantId);
  const counts = await Promise.all(keys.map(async (k) => (await ledger.usage(tenantId, k)).count));
  return counts.filter((n) => n > 0);
}

/** Some counter of the tenant holds a ticket, and each that does holds `tickets`; their counts. */
export async function expectEveryCounterAt(
  ledger: QuotaLedger,
  tenantId: string,
  tickets: number,
): Promise<number[]> {
  const counts = await counterCounts(ledger, tenantId);
  expect(counts.length).toBeGreaterThan(0);
  expect(counts.every((n) => n === tickets)).toBe(true);
  return counts;
}

/** Starts the tenant's backfill through the API (202), waits for its end, and reads its figures. */
export async function backfillThroughApi(api: Api, tenantId: string) {
  const started = await api.call('POST', `/tenants/${tenantId}/backfill`);
  expect(started.status).toBe(202);
  await api.deps.backfills!.settled(tenantId);
  return (await api.call('GET', `/tenants/${tenantId}/backfill`)).body;
}
