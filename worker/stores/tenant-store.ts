import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** JSON with object keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// KEYS: head hash, versions hash. ARGV: hash, record JSON. New version only if the hash changed.
const SAVE_LUA = `
local head = redis.call('HMGET', KEYS[1], 'version', 'hash')
if head[2] == ARGV[1] then return { tonumber(head[1]), 0 } end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'hash', ARGV[1])
redis.call('HSET', KEYS[2], version, ARGV[2])
return { version, 1 }
`;

export interface StoredConfig {
  version: number;
  config: unknown;
  savedAt: string;
  hash: string;
}

type SavingRedis = Redis & {
  deskplanSaveConfig(
    head: string,
    versions: string,
    hash: string,
    record: string,
  ): Promise<[number, number]>;
};

/** Versioned tenant configs: a save that changes nothing adds no version; rollback is a new version. */
export class TenantStore {
  private readonly redis: SavingRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!('deskplanSaveConfig' in redis)) {
      redis.defineCommand('deskplanSaveConfig', { numberOfKeys: 2, lua: SAVE_LUA });
    }
    this.redis = redis as SavingRedis;
  }

  private keys(tenantId: string) {
    const base = `${this.prefix}:{${tenantId}}:config`;
    return { head: `${base}:head`, versions: `${base}:versions`, index: `${this.prefix}:tenants` };
  }

  async save(tenantId: string, config: unknown): Promise<{ version: number; changed: boolean }> {
    const { head, versions, index } = this.keys(tenantId);
    const canonical = canonicalJson(config);
    const hash = createHash('sha256').update(canonical).digest('hex');
    const record = JSON.stringify({
      config: JSON.parse(canonical),
      savedAt: this.now().toISOString(),
      hash,
    });
    const [version, changed] = await this.redis.deskplanSaveConfig(head, versions, hash, record);
    await this.redis.sadd(index, tenantId);
    return { version, changed: changed === 1 };
  }

  async version(tenantId: string, version: number): Promise<StoredConfig | null> {
    const raw = await this.redis.hget(this.keys(tenantId).versions, String(version));
    return raw ? { version, ...(JSON.parse(raw) as Omit<StoredConfig, 'version'>) } : null;
  }

  async current(tenantId: string): Promise<StoredConfig | null> {
    const version = await this.redis.hget(this.keys(tenantId).head, 'version');
    return version ? this.version(tenantId, Number(version)) : null;
  }

  async history(tenantId: string): Promise<{ version: number; savedAt: string; hash: string }[]> {
    const all = await this.redis.hgetall(this.keys(tenantId).versions);
    return Object.entries(all)
      .map(([v, raw]) => {
        const { savedAt, hash } = JSON.parse(raw) as StoredConfig;
        return { version: Number(v), savedAt, hash };
      })
      .sort((a, b) => a.version - b.version);
  }

  async rollback(
    tenantId: string,
    version: number,
  ): Promise<{ version: number; changed: boolean }> {
    const old = await this.version(tenantId, version);
    if (!old) throw new Error(`tenant '${tenantId}' has no version ${version}`);
    return this.save(tenantId, old.config);
  }

  async tenantIds(): Promise<string[]> {
    return (await this.redis.smembers(this.keys('').index)).sort();
  }
}
