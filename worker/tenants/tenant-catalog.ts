import type { Connector } from '../../connectors/core/connector.js';
import { compileTenant, type CompiledTenant } from '../rules/compile-tenant.js';
import type { TenantStore } from '../stores/tenant-store.js';
import { parseTenantFile } from './parse-tenant-file.js';

export interface LoadedTenant {
  id: string;
  version: number;
  compiled: CompiledTenant;
  connector: Connector<unknown>;
  connection: unknown;
}

interface Entry {
  tenant: LoadedTenant | null;
  checkedAt: number;
}

/**
 * Tenants as the receiver and the worker see them: read from the tenant store, parsed and
 * compiled once per version, and re-checked at most every `refreshMs`.
 */
export class TenantCatalog {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Pick<TenantStore, 'current'>,
    private readonly refreshMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(tenantId: string): Promise<LoadedTenant | null> {
    const cached = this.entries.get(tenantId);
    if (cached && this.now() - cached.checkedAt < this.refreshMs) return cached.tenant;
    const stored = await this.store.current(tenantId);
    let tenant: LoadedTenant | null = null;
    if (stored && cached?.tenant?.version === stored.version) tenant = cached.tenant;
    else if (stored) {
      const parsed = parseTenantFile(stored.config);
      // A stored version was valid when saved; a schema change may reject it later.
      if (parsed.ok) {
        tenant = {
          id: tenantId,
          version: stored.version,
          compiled: compileTenant(parsed.tenant.rules),
          connector: parsed.tenant.connector,
          connection: parsed.tenant.connection,
        };
      }
    }
    this.entries.set(tenantId, { tenant, checkedAt: this.now() });
    return tenant;
  }
}
