import type { VendorClient } from '../../connectors/core/connector.js';
import type { HttpClientOptions } from '../../connectors/core/http-client.js';
import type { DueInstants } from '../../connectors/core/ticket-patch.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';

export interface TenantClient {
  client: VendorClient;
  dueMetrics: readonly (keyof DueInstants)[];
}

/** One vendor client per tenant config version (a new version may carry new credentials). */
export function createClientCache(options: HttpClientOptions = {}) {
  const clients = new Map<string, TenantClient>();
  return (tenant: LoadedTenant): TenantClient => {
    const key = `${tenant.id}@${tenant.version}`;
    let entry = clients.get(key);
    if (!entry) {
      for (const k of clients.keys()) if (k.startsWith(`${tenant.id}@`)) clients.delete(k);
      const dueFields =
        (tenant.connection as { dueFields?: Partial<Record<keyof DueInstants, unknown>> })
          .dueFields ?? {};
      entry = {
        client: tenant.connector.createClient(tenant.connection, options),
        dueMetrics: (Object.keys(dueFields) as (keyof DueInstants)[]).filter(
          (m) => dueFields[m] !== undefined && dueFields[m] !== null,
        ),
      };
      clients.set(key, entry);
    }
    return entry;
  };
}
