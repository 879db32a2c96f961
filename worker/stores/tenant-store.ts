import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** JSON with object keys sorted, so the same content always gives the same text and hash. */
export function canonicalJson(value: unknown): string {
  const plain = JSON.parse(JSON.stringify(value) ?? 'null') as unknown; // toJSON, undefined, NaN
  const write = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
    if (v && typeof v === 'object') {
      const keys = Object.keys(v).sort();
      const obj = v as Record<string, unknown>;
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k])}`).join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return write(plain);
}

// KEYS: head hash {version, hash}, versions hash {n: record}. ARGV: hash, record.
// Adds version n+1 only when the content hash differs from the current one.
const SAVE_LUA = `
local head = redis.call('HMGET', KEYS[1], 'version', 'hash')
if head[2] == ARGV[1] then return { tonumber(head[1]), 0 } end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'hash', ARGV[1])
redis.call('HSET', KEYS[2], version, ARGV[2])
return { version, 1 }
`;

// KEYS as above. The current version and its record in one round trip, or nil.
const CURRENT_LUA = `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return false end
return { version, redis.call('HGET', KEYS[2], version) }
`;

export interface StoredConfig {
  version: number;
  config: unknown;
  savedAt: string;
  /** sha256 of the canonical JSON. */
  hash: string;
}

type StoreRedis = Redis & {
  deskplanSaveConfig(
    head: string,
    versions: string,
    hash: string,
    record: string,
  ): Promise<[number, number]>;
  deskplanCurrentConfig(head: string, versions: string): Promise<[string, string | null] | null>;
};

/**
 * Versioned tenant configs. A save whose canonical JSON matches the current version adds
 * nothing; any other save becomes the next version, atomically (one script). Rollback saves
 * an old version's content as a new version, so history only ever grows.
 */
export class TenantStore {
  private readonly redis: StoreRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!('deskplanSaveConfig' in redis)) {
      redis.defineCommand('deskplanSaveConfig', { numberOfKeys: 2, lua: SAVE_LUA });
      redis.defineCommand('deskplanCurrentConfig', { numberOfKeys: 2, lua: CURRENT_LUA });
    }
    this.redis = redis as StoreRedis;
  }

  private keys(tenantId: string) {
    const base = `${this.prefix}:{${tenantId}}:config`;
    return { head: `${base}:head`, versions: `${base}:versions` };
  }

  /** The SET of tenant ids (outside any tenant's slot). */
  private get index() {
    return `${this.prefix}:tenants`;
  }

  private static record(version: number, raw: string): StoredConfig {
    return { version, ...(JSON.parse(raw) as Omit<StoredConfig, 'version'>) };
  }

  async save(tenantId: string, config: unknown): Promise<{ version: number; changed: boolean }> {
    if (config === undefined) throw new Error(`tenant '${tenantId}': no config to save`);
    const { head, versions } = this.keys(tenantId);
    const canonical = canonicalJson(config);
    const hash = createHash('sha256').update(canonical).digest('hex');
    const savedAt = this.now().toISOString();
    const record = `{"config":${canonical},"savedAt":${JSON.stringify(savedAt)},"hash":"${hash}"}`;
    // The index is added first, so a listed tenant may lack a config but a saved one is listed.
    await this.redis.sadd(this.index, tenantId);
    const [version, changed] = await this.redis.deskplanSaveConfig(head, versions, hash, record);
    return { version, changed: changed === 1 };
  }

  async version(tenantId: string, version: number): Promise<StoredConfig | null> {
    const raw = await this.redis.hget(this.keys(tenantId).versions, String(version));
    return raw ? TenantStore.record(version, raw) : null;
  }

  async current(tenantId: string): Promise<StoredConfig | null> {
    const { head, versions } = this.keys(tenantId);
    const found = await this.redis.deskplanCurrentConfig(head, versions);
    return found?.[1] ? TenantStore.record(Number(found[0]), found[1]) : null;
  }

  /** Current configs of the given tenants (default: every saved tenant); those with none are left out. */
  async list(tenantIds?: readonly string[]): Promise<(StoredConfig & { tenantId: string })[]> {
    const ids = tenantIds ?? (await this.tenantIds());
    const found = await Promise.all(ids.map((id) => this.current(id)));
    return ids.flatMap((tenantId, i) => (found[i] ? [{ tenantId, ...found[i] }] : []));
  }

  /** Every version, oldest first, without the configs. */
  async history(tenantId: string): Promise<{ version: number; savedAt: string; hash: string }[]> {
    const all = await this.redis.hgetall(this.keys(tenantId).versions);
    return Object.entries(all)
      .map(([v, raw]) => {
        const { savedAt, hash } = TenantStore.record(Number(v), raw);
        return { version: Number(v), savedAt, hash };
      })
      .sort((a, b) => a.version - b.version);
  }

  /** Saves version n's config as a new version (no new version when it is already current). */
  async rollback(
    tenantId: string,
    version: number,
  ): Promise<{ version: number; changed: boolean }> {
    const old = await this.version(tenantId, version);
    if (!old) throw new Error(`tenant '${tenantId}' has no version ${version}`);
    return this.save(tenantId, old.config);
  }

  async tenantIds(): Promise<string[]> {
    return (await this.redis.smembers(this.index)).sort();
  }
}
