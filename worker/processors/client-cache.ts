import type { VendorClient } from '../../connectors/core/connector.js';
import type { HttpClientOptions } from '../../connectors/core/http-client.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';

/** One vendor client per tenant config version (a new version may carry new credentials). */
export function createClientCache(options: HttpClientOptions = {}) {
  const clients = new Map<string, VendorClient>();
  return (tenant: LoadedTenant): VendorClient => {
    const key = `${tenant.id}@${tenant.version}`;
    let client = clients.get(key);
    if (!client) {
      for (const k of clients.keys()) if (k.startsWith(`${tenant.id}@`)) clients.delete(k);
      client = tenant.connector.createClient(tenant.connection, options);
      clients.set(key, client);
    }
    return client;
  };
}
