// What the backfill tests of every helpdesk do the same way: run one through the API, read counts.
import { expect } from 'vitest';
import type { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import type { startAdminApiOn } from './admin-api-harness.js';

type Api = Awaited<ReturnType<typeof startAdminApiOn>>;

/** Each counter's count of the tenant: the tickets it holds. */
export async function counterCounts(ledger: QuotaLedger, tenantId: string): Promise<number[]> {
  const keys = await ledger.counterKeys(tenantId);
  return Promise.all(keys.map(async (k) => (await ledger.usage(tenantId, k)).count));
}

/** Starts the tenant's backfill through the API (202), waits for its end, and reads its figures. */
export async function backfillThroughApi(api: Api, tenantId: string) {
  const started = await api.call('POST', `/tenants/${tenantId}/backfill`);
  expect(started.status).toBe(202);
  await api.deps.backfills!.settled(tenantId);
  return (await api.call('GET', `/tenants/${tenantId}/backfill`)).body;
}
