// How a route finds the tenant its path names, answering 404 when there is none.
import type { StoredConfig, TenantStore } from '../../worker/stores/tenant-store.js';
import type { LoadedTenant, TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { notFound } from './api-error.js';

/** The tenant's loaded config (404 when the tenant has none). */
export async function loadedTenant(
  catalog: TenantCatalog,
  tenantId: string,
): Promise<LoadedTenant> {
  const loaded = await catalog.get(tenantId);
  if (!loaded) throw notFound(`tenant '${tenantId}'`);
  return loaded;
}

/** Only that the tenant has a saved config, without loading it (404 when not). */
export async function knownTenant(tenantStore: TenantStore, tenantId: string): Promise<void> {
  if (!(await tenantStore.exists(tenantId))) throw notFound(`tenant '${tenantId}'`);
}

/** The tenant's current config as written: `${NAME}` references kept (404 when it has none). */
export async function writtenTenant(
  tenantStore: TenantStore,
  tenantId: string,
): Promise<StoredConfig> {
  const stored = await tenantStore.currentAsWritten(tenantId);
  if (!stored) throw notFound(`tenant '${tenantId}'`);
  return stored;
}
