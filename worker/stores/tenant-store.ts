import type { Redis } from 'ioredis';
import {
  configHash,
  hasClearSecrets,
  loadSecretKey,
  openSecrets,
  resolveEnvRefs,
  sealSecrets,
  type SecretKey,
} from '../tenants/seal-secrets.js';

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

// KEYS: head hash {version, hash}, versions hash {n: record}. ARGV: hash, record, versions kept.
// Adds version n+1 only when the content hash differs from the current one, then deletes the
// versions older than the last `kept`.
const SAVE_LUA = `
local head = redis.call('HMGET', KEYS[1], 'version', 'hash')
if head[2] == ARGV[1] then return { tonumber(head[1]), 0 } end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'hash', ARGV[1])
redis.call('HSET', KEYS[2], version, ARGV[2])
local oldest = version - tonumber(ARGV[3]) + 1
if oldest > 1 then
  for _, field in ipairs(redis.call('HKEYS', KEYS[2])) do
    if tonumber(field) < oldest then redis.call('HDEL', KEYS[2], field) end
  end
end
return { version, 1 }
`;

// KEYS as above. ARGV: version, record, hash. Rewrites a version that still exists (and the
// head's hash when it is the current one).
const RESEAL_LUA = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'hash', ARGV[3])
end
return 1
`;

// KEYS as above. ARGV: the version the caller has ('' for none). The current version and its
// record in one round trip, the version alone when it is the caller's, or nil.
const CURRENT_LUA = `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return false end
if version == ARGV[1] then return { version } end
return { version, redis.call('HGET', KEYS[2], version) }
`;

export interface StoredConfig {
  version: number;
  config: unknown;
  savedAt: string;
  /** HMAC-SHA256 (keyed by the secret key) of the canonical JSON, as written. */
  hash: string;
  /** Who saved it ('agency:<token>', 'tenant:<id>:<token>', 'file:<name>'), when known. */
  savedBy?: string;
}

/** What saveFromFile did with a tenant file. */
export interface FileSaveOutcome {
  /** saved: a new version; unchanged: the store already holds it; kept: the file is as last
   * loaded and the API changed (or deleted) the tenant since, so the API's state stays. */
  status: 'saved' | 'unchanged' | 'kept';
  /** The current version (null when the API deleted the tenant and the file was not loaded). */
  version: number | null;
  /** When the file replaced a version saved through the API: that version and who saved it. */
  overrode: { version: number; savedBy: string } | null;
}

/** What current() answers when the current version is the one the caller already has. */
export interface UnchangedConfig {
  version: number;
  unchanged: true;
}

export interface TenantStoreOptions {
  /** Encrypts stored secrets; default DESKPLAN_SECRET_KEY, else <data dir>/secret.key. */
  secretKey?: SecretKey;
  /** Where `${NAME}` references are resolved when a config is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Versions kept per tenant, older ones deleted (default DESKPLAN_KEEP_VERSIONS, else 50). */
  keepVersions?: number;
}

/** A stored config refers to an environment variable this process does not have. */
export class MissingEnvError extends Error {
  override name = 'MissingEnvError';
}

function keepVersionsFrom(env: NodeJS.ProcessEnv): number {
  const text = env.DESKPLAN_KEEP_VERSIONS;
  if (text === undefined || text === '') return 50;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`DESKPLAN_KEEP_VERSIONS must be a whole number of 1 or more, not '${text}'`);
  }
  return n;
}

type StoreRedis = Redis & {
  deskplanSaveConfig(
    head: string,
    versions: string,
    hash: string,
    record: string,
    kept: string,
  ): Promise<[number, number]>;
  deskplanCurrentConfig(
    head: string,
    versions: string,
    knownVersion: string,
  ): Promise<[string, (string | null)?] | null>;
  deskplanResealConfig(
    head: string,
    versions: string,
    version: string,
    record: string,
    hash: string,
  ): Promise<number>;
};

/**
 * Versioned tenant configs. A save whose canonical JSON matches the current version adds
 * nothing; any other save becomes the next version, atomically (one script), and versions
 * beyond the last `keepVersions` are deleted. Rollback saves an old version's content as a new
 * version.
 *
 * Configs are stored as written: `${NAME}` references stay references, and literal secrets in
 * `connection` (tokens, passwords, webhook secrets…) are encrypted (AES-256-GCM). Reads
 * (current, version, list) decrypt them and resolve the references from `env`, so callers get
 * the config with its secrets in place.
 */
export class TenantStore {
  private readonly redis: StoreRedis;
  private readonly env: NodeJS.ProcessEnv;
  private readonly keepVersions: number;
  private key: SecretKey | undefined;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
    private readonly now: () => Date = () => new Date(),
    options: TenantStoreOptions = {},
  ) {
    if (!('deskplanResealConfig' in redis)) {
      redis.defineCommand('deskplanSaveConfig', { numberOfKeys: 2, lua: SAVE_LUA });
      redis.defineCommand('deskplanCurrentConfig', { numberOfKeys: 2, lua: CURRENT_LUA });
      redis.defineCommand('deskplanResealConfig', { numberOfKeys: 2, lua: RESEAL_LUA });
    }
    this.redis = redis as StoreRedis;
    this.env = options.env ?? process.env;
    this.keepVersions = options.keepVersions ?? keepVersionsFrom(this.env);
    if (!Number.isInteger(this.keepVersions) || this.keepVersions < 1) {
      throw new Error(`keepVersions must be a whole number of 1 or more`);
    }
    this.key = options.secretKey;
  }

  /** The secret key, read (or created) on first use. */
  private get secretKey(): SecretKey {
    this.key ??= loadSecretKey({ env: this.env });
    return this.key;
  }

  private keys(tenantId: string) {
    const base = `${this.prefix}:{${tenantId}}:config`;
    // file: the content hash of the tenant file last loaded (kept when the tenant is deleted).
    return { head: `${base}:head`, versions: `${base}:versions`, file: `${base}:file` };
  }

  /** The SET of tenant ids (outside any tenant's slot). */
  private get index() {
    return `${this.prefix}:tenants`;
  }

  /** The stored record, as stored (secrets encrypted, references unresolved). */
  private static record(version: number, raw: string): StoredConfig {
    return { version, ...(JSON.parse(raw) as Omit<StoredConfig, 'version'>) };
  }

  /** The record with its secrets decrypted (and, for use, its references resolved). */
  private open(tenantId: string, stored: StoredConfig, resolveEnv = true): StoredConfig {
    const config = openSecrets(stored.config, this.secretKey, tenantId);
    if (!resolveEnv) return { ...stored, config };
    const missing = new Set<string>();
    const resolved = resolveEnvRefs(config, this.env, missing);
    if (missing.size > 0) {
      const names = [...missing].join(', ');
      throw new MissingEnvError(
        `tenant '${tenantId}' (version ${stored.version}) needs the environment variable(s) ` +
          `${names}, which this process does not have`,
      );
    }
    return { ...stored, config: resolved };
  }

  /** The record to store for `config` (secrets encrypted) and its content hash. */
  private serialize(
    tenantId: string,
    config: unknown,
    savedAt = this.now().toISOString(),
    savedBy?: string,
  ) {
    const canonical = canonicalJson(config);
    const hash = configHash(canonical, this.secretKey);
    const sealed = sealSecrets(JSON.parse(canonical), this.secretKey, tenantId);
    const stored = canonicalJson(sealed.config);
    const by = savedBy === undefined ? '' : `,"savedBy":${JSON.stringify(savedBy)}`;
    const record = `{"config":${stored},"savedAt":${JSON.stringify(savedAt)},"hash":"${hash}"${by}}`;
    return { hash, record };
  }

  /**
   * Saves the config as written (keep `${NAME}` references unresolved: they are read from the
   * environment when the config is used); literal secrets are stored encrypted. `savedBy`
   * (who made the change) is kept in the version's record.
   */
  async save(
    tenantId: string,
    config: unknown,
    savedBy?: string,
  ): Promise<{ version: number; changed: boolean }> {
    if (config === undefined) throw new Error(`tenant '${tenantId}': no config to save`);
    const { head, versions } = this.keys(tenantId);
    const { hash, record } = this.serialize(tenantId, config, undefined, savedBy);
    // The index is added first, so a listed tenant may lack a config but a saved one is listed.
    await this.redis.sadd(this.index, tenantId);
    const [version, changed] = await this.redis.deskplanSaveConfig(
      head,
      versions,
      hash,
      record,
      String(this.keepVersions),
    );
    return { version, changed: changed === 1 };
  }

  private async stored(tenantId: string, version: number): Promise<StoredConfig | null> {
    const raw = await this.redis.hget(this.keys(tenantId).versions, String(version));
    return raw ? TenantStore.record(version, raw) : null;
  }

  async version(tenantId: string, version: number): Promise<StoredConfig | null> {
    const stored = await this.stored(tenantId, version);
    return stored && this.open(tenantId, stored);
  }

  /**
   * The current version with its config (secrets decrypted, references resolved), or null. Given
   * `knownVersion`, and that is still the current version: only `{version, unchanged: true}`, with
   * no record read, decrypted nor resolved.
   */
  async current(tenantId: string): Promise<StoredConfig | null>;
  async current(
    tenantId: string,
    knownVersion: number | undefined,
  ): Promise<StoredConfig | UnchangedConfig | null>;
  async current(
    tenantId: string,
    knownVersion?: number,
  ): Promise<StoredConfig | UnchangedConfig | null> {
    const { head, versions } = this.keys(tenantId);
    const known = knownVersion === undefined ? '' : String(knownVersion);
    const found = await this.redis.deskplanCurrentConfig(head, versions, known);
    if (!found) return null;
    const version = Number(found[0]);
    if (found.length === 1 && found[0] === known) return { version, unchanged: true };
    return found[1] ? this.open(tenantId, TenantStore.record(version, found[1])) : null;
  }

  /** Current configs of the given tenants (default: every saved tenant); those with none are left out. */
  async list(tenantIds?: readonly string[]): Promise<(StoredConfig & { tenantId: string })[]> {
    const ids = tenantIds ?? (await this.tenantIds());
    const found = await Promise.all(ids.map((id) => this.current(id)));
    return ids.flatMap((tenantId, i) => (found[i] ? [{ tenantId, ...found[i] }] : []));
  }

  /** Whether the tenant has a saved config (one key read, nothing decrypted). */
  async exists(tenantId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys(tenantId).head)) === 1;
  }

  /** Every kept version, oldest first, without the configs (savedBy null when not known). */
  async history(
    tenantId: string,
  ): Promise<{ version: number; savedAt: string; hash: string; savedBy: string | null }[]> {
    const all = await this.redis.hgetall(this.keys(tenantId).versions);
    return Object.entries(all)
      .map(([v, raw]) => {
        const { savedAt, hash, savedBy } = TenantStore.record(Number(v), raw);
        return { version: Number(v), savedAt, hash, savedBy: savedBy ?? null };
      })
      .sort((a, b) => a.version - b.version);
  }

  /** Saves version n's config as a new version (no new version when it is already current). */
  async rollback(
    tenantId: string,
    version: number,
    savedBy?: string,
  ): Promise<{ version: number; changed: boolean }> {
    const old = await this.stored(tenantId, version);
    if (!old) throw new Error(`tenant '${tenantId}' has no version ${version}`);
    return this.save(tenantId, this.open(tenantId, old, false).config, savedBy);
  }

  /**
   * The current version as written: secrets decrypted but `${NAME}` references left as
   * references (for showing it, redacted, and for keeping its secrets on a replace); or null.
   */
  async currentAsWritten(tenantId: string): Promise<StoredConfig | null> {
    const found = await this.redis.deskplanCurrentConfig(...this.headAndVersions(tenantId), '');
    if (!found?.[1]) return null;
    return this.open(tenantId, TenantStore.record(Number(found[0]), found[1]), false);
  }

  private headAndVersions(tenantId: string): [string, string] {
    const { head, versions } = this.keys(tenantId);
    return [head, versions];
  }

  /**
   * Deletes the tenant: its versions and its place in the index. What the tenant file last
   * loaded is remembered, so an unchanged file does not bring the tenant back (saveFromFile).
   * Returns whether there was anything to delete.
   */
  async remove(tenantId: string): Promise<boolean> {
    const { head, versions } = this.keys(tenantId);
    const [deleted] = await Promise.all([
      this.redis.del(head, versions),
      this.redis.srem(this.index, tenantId),
    ]);
    return deleted > 0;
  }

  /**
   * Saves a tenant file's config unless the file is the same as when it was last loaded: then
   * whatever the API did since (a replace, a rollback, a delete) stands. A changed file wins
   * over the API (`overrode` names the API's version it replaced). The file's content hash is
   * remembered per tenant.
   */
  async saveFromFile(tenantId: string, config: unknown, file: string): Promise<FileSaveOutcome> {
    const { head, file: fileKey } = this.keys(tenantId);
    const hash = configHash(canonicalJson(config), this.secretKey);
    const [[version, headHash], lastFile] = await Promise.all([
      this.redis.hmget(head, 'version', 'hash'),
      this.redis.get(fileKey),
    ]);
    const current = version === null ? null : Number(version);
    if (lastFile === hash) {
      return { status: headHash === hash ? 'unchanged' : 'kept', version: current, overrode: null };
    }
    const previous = current === null ? null : await this.stored(tenantId, current);
    const saved = await this.save(tenantId, config, `file:${file}`);
    await this.redis.set(fileKey, hash);
    const fromApi = previous?.savedBy != null && !previous.savedBy.startsWith('file:');
    return {
      status: saved.changed ? 'saved' : 'unchanged',
      version: saved.version,
      overrode:
        saved.changed && fromApi ? { version: previous.version, savedBy: previous.savedBy! } : null,
    };
  }

  /**
   * Encrypts the secrets that versions saved before encryption still hold in clear (and
   * rehashes them). Returns how many versions it rewrote: Redis's append-only file keeps the old
   * values until it is rewritten (BGREWRITEAOF).
   */
  async sealStoredSecrets(): Promise<number> {
    let rewritten = 0;
    for (const tenantId of await this.tenantIds()) {
      const { head, versions } = this.keys(tenantId);
      for (const [field, raw] of Object.entries(await this.redis.hgetall(versions))) {
        const stored = TenantStore.record(Number(field), raw);
        if (!hasClearSecrets(stored.config)) continue;
        const config = this.open(tenantId, stored, false).config;
        const { hash, record } = this.serialize(tenantId, config, stored.savedAt, stored.savedBy);
        rewritten += await this.redis.deskplanResealConfig(head, versions, field, record, hash);
      }
    }
    return rewritten;
  }

  async tenantIds(): Promise<string[]> {
    return (await this.redis.smembers(this.index)).sort();
  }
}
