import pino, { type Logger } from 'pino';
import type { Connector } from '../../connectors/core/connector.js';
import { compileTenant, type CompiledTenant } from '../rules/compile-tenant.js';
import { idSchema } from '../rules/config/ids.js';
import {
  MissingEnvError,
  type StoredConfig,
  type UnchangedConfig,
} from '../stores/tenant-store.js';
import { parseTenantFile } from './parse-tenant-file.js';
import { SecretKeyError } from './seal-secrets.js';

export interface LoadedTenant {
  id: string;
  version: number;
  /** When this version was saved (ISO instant). */
  savedAt: string;
  compiled: CompiledTenant;
  connector: Connector<unknown>;
  connection: unknown;
}

/** No tenant id is longer: the config schema's limit (idSchema). */
const MAX_TENANT_ID_LENGTH = 63;

/**
 * Whether `id` could name a tenant at all: the config schema's id rules (lower-case letters,
 * digits, - and _, at most 63 characters, not all digits). Anything else is unknown without a
 * store lookup; the length test comes first so a huge id costs nothing.
 */
export function couldBeTenantId(id: string): boolean {
  return id.length <= MAX_TENANT_ID_LENGTH && idSchema.safeParse(id).success;
}

/** What the catalog reads tenants from: a TenantStore. */
export interface TenantSource {
  /** The current version, or only `{version, unchanged}` when it is `knownVersion`; or null. */
  current(tenantId: string, knownVersion?: number): Promise<StoredConfig | UnchangedConfig | null>;
}

export interface TenantCatalogOptions {
  /** At most this many unknown ids are remembered (oldest forgotten first); default 1,000. */
  maxUnknown?: number;
  /** An unknown id is looked up again after this long; default `refreshMs`. */
  unknownTtlMs?: number;
  /**
   * Where a stored tenant that cannot be used in this process (a missing environment variable, a
   * wrong secret key) is reported; default a pino logger at LOG_LEVEL.
   */
  logger?: Logger;
}

/**
 * Tenants as the receiver and the worker see them: read from the tenant store, parsed and
 * compiled once per version, and re-checked at most every `refreshMs`.
 *
 * Only real tenants are kept for good (one entry per tenant); ids found unknown are remembered in
 * a small bounded cache with an expiry, and ids that cannot be tenant ids are never looked up nor
 * remembered, so requests for made-up tenants cost no memory. Concurrent lookups of one id share
 * one store read.
 */
export class TenantCatalog {
  private readonly known = new Map<string, { tenant: LoadedTenant; checkedAt: number }>();
  /** Unknown id → when it was checked; insertion order is age order. */
  private readonly unknown = new Map<string, number>();
  private readonly pending = new Map<string, Promise<LoadedTenant | null>>();
  /**
   * Tenant id → why its stored config cannot be used in this process, and when that was found:
   * refused without another read (and logged once per problem) until looked at again.
   */
  private readonly unusable = new Map<string, { error: Error; at: number; logged: string }>();
  private readonly maxUnknown: number;
  private readonly unknownTtlMs: number;
  private logger: Logger | undefined;

  constructor(
    private readonly store: TenantSource,
    private readonly refreshMs = 2_000,
    private readonly now: () => number = Date.now,
    options: TenantCatalogOptions = {},
  ) {
    this.maxUnknown = options.maxUnknown ?? 1_000;
    this.unknownTtlMs = options.unknownTtlMs ?? refreshMs;
    this.logger = options.logger;
  }

  /** How many ids the catalog holds (real tenants, remembered unknown ids, lookups under way). */
  get size(): { known: number; unknown: number; pending: number } {
    return { known: this.known.size, unknown: this.unknown.size, pending: this.pending.size };
  }

  async get(tenantId: string): Promise<LoadedTenant | null> {
    if (!couldBeTenantId(tenantId)) return null;
    const cached = this.known.get(tenantId);
    if (cached && this.now() - cached.checkedAt < this.refreshMs) return cached.tenant;
    const unknownAt = this.unknown.get(tenantId);
    if (unknownAt !== undefined && this.now() - unknownAt < this.unknownTtlMs) return null;
    const unusable = this.unusable.get(tenantId);
    if (unusable && this.now() - unusable.at < this.unknownTtlMs) throw unusable.error;
    let lookup = this.pending.get(tenantId);
    if (!lookup) {
      lookup = this.load(tenantId).finally(() => this.pending.delete(tenantId));
      this.pending.set(tenantId, lookup);
    }
    return lookup;
  }

  private async load(tenantId: string): Promise<LoadedTenant | null> {
    const cached = this.known.get(tenantId)?.tenant;
    // With the cached version given, an unchanged tenant comes back as its version alone: no
    // record read, nothing decrypted.
    let stored: StoredConfig | UnchangedConfig | null;
    try {
      stored = await this.store.current(tenantId, cached?.version);
      this.unusable.delete(tenantId);
    } catch (error) {
      if (!(error instanceof MissingEnvError || error instanceof SecretKeyError)) throw error;
      // Not usable in this process until its environment or key is fixed. The error still
      // reaches the caller (a webhook gets a 503, so the helpdesk retries and nothing is lost),
      // but the config is not read and decrypted again on every request meanwhile.
      this.reportUnusable(tenantId, error);
      throw error;
    }
    let tenant: LoadedTenant | null = null;
    if (stored && cached?.version === stored.version) tenant = cached;
    else if (stored && !('unchanged' in stored)) {
      const parsed = parseTenantFile(stored.config);
      // A stored version was valid when saved; a schema change may reject it later.
      if (parsed.ok) {
        tenant = {
          id: tenantId,
          version: stored.version,
          savedAt: stored.savedAt,
          compiled: compileTenant(parsed.tenant.rules),
          connector: parsed.tenant.connector,
          connection: parsed.tenant.connection,
        };
      }
    }
    if (tenant) {
      this.unknown.delete(tenantId);
      this.known.set(tenantId, { tenant, checkedAt: this.now() });
    } else {
      this.known.delete(tenantId);
      this.rememberUnknown(tenantId);
    }
    return tenant;
  }

  /** Logs why the tenant's stored config cannot be used, once per tenant and problem. */
  private reportUnusable(tenantId: string, error: Error): void {
    const before = this.unusable.get(tenantId)?.logged;
    this.unusable.set(tenantId, { error, at: this.now(), logged: error.message });
    if (before === error.message) return;
    this.logger ??= pino({ level: process.env.LOG_LEVEL ?? 'info' });
    this.logger.error(
      { tenant: tenantId, err: error },
      'tenant config cannot be used in this process: its webhooks get 503 until it is fixed',
    );
  }

  private rememberUnknown(tenantId: string): void {
    if (this.maxUnknown <= 0 || this.unknownTtlMs <= 0) return;
    this.unknown.delete(tenantId); // re-inserted as the newest
    while (this.unknown.size >= this.maxUnknown) {
      const oldest = this.unknown.keys().next().value as string;
      this.unknown.delete(oldest);
    }
    this.unknown.set(tenantId, this.now());
  }
}
