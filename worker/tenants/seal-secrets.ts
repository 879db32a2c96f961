// Secrets in stored tenant configs. A config is stored as written: `${NAME}` references stay
// references (resolved from the environment only when the config is read for use), and literal
// secret values inside `connection` (and each `callbacks[i].secret`) are encrypted with AES-256-GCM under the deployment's secret
// key (DESKPLAN_SECRET_KEY, else <data dir>/secret.key, created on first use).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

export interface SecretKey {
  /** AES-256-GCM key for the secret values. */
  readonly sealKey: Buffer;
  /** HMAC key for content hashes (a plain sha256 of a config would let one guess its secrets). */
  readonly hashKey: Buffer;
  /** 8 hex digits naming the key (not secret): stored with each value, so a wrong key is named. */
  readonly id: string;
  /** Where it came from, for messages: DESKPLAN_SECRET_KEY or the key file's path. */
  readonly source: string;
}

/** The key is missing, malformed, or not the one the stored secrets were encrypted with. */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

const KEY_FORMAT =
  '32 bytes, as 64 hex digits or base64 (e.g. the output of `openssl rand -base64 32`)';

const derive = (key: Buffer, info: string) => Buffer.from(hkdfSync('sha256', key, '', info, 32));

export function secretKeyFrom(key: Buffer, source: string): SecretKey {
  if (key.length !== 32) throw new SecretKeyError(`${source} must be ${KEY_FORMAT}`);
  return {
    sealKey: derive(key, 'deskplan tenant secrets v1'),
    hashKey: derive(key, 'deskplan config hash v1'),
    id: derive(key, 'deskplan key id').subarray(0, 4).toString('hex'),
    source,
  };
}

/** Reads a key written as 64 hex digits or as base64 / base64url (32 bytes). */
export function parseSecretKey(text: string, source: string): SecretKey {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return secretKeyFrom(Buffer.from(t, 'hex'), source);
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) return secretKeyFrom(Buffer.from(t, 'base64'), source);
  throw new SecretKeyError(`${source} must be ${KEY_FORMAT}`);
}

/** The data folder: DESKPLAN_DATA_DIR, default ./data (Redis data in redis/, the key file). */
export function dataDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DESKPLAN_DATA_DIR || 'data');
}

/**
 * DESKPLAN_SECRET_KEY when set; else `<dataDir>/secret.key`, created (mode 0600, with a warning)
 * when there is none, so a fresh machine still starts. Processes that share a Redis must share
 * the key: the same data folder, or the same DESKPLAN_SECRET_KEY.
 */
export function loadSecretKey(
  options: { env?: NodeJS.ProcessEnv; dataDir?: string; logger?: Logger } = {},
): SecretKey {
  const { env = process.env, logger } = options;
  if (env.DESKPLAN_SECRET_KEY)
    return parseSecretKey(env.DESKPLAN_SECRET_KEY, 'DESKPLAN_SECRET_KEY');
  const dir = resolve(options.dataDir ?? dataDirFrom(env));
  const file = join(dir, 'secret.key');
  const warn = (message: string) =>
    logger ? logger.warn({ file }, message) : process.emitWarning(message, 'DeskplanWarning');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    if ((statSync(file).mode & 0o077) !== 0) {
      warn(`${file} can be read by other users: chmod 600 it`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written aside, then linked into place: two processes starting at once agree on one key.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'w' });
    try {
      linkSync(temp, file);
      warn(
        `DESKPLAN_SECRET_KEY is not set: created a new secret key in ${file}. Tenant secrets ` +
          'stored in Redis are encrypted with it: back it up, and give every deskplan process ' +
          'that uses this Redis the same key (DESKPLAN_SECRET_KEY=<its content>).',
      );
    } catch (linkError) {
      if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
    } finally {
      unlinkSync(temp);
    }
    text = readFileSync(file, 'utf8');
  }
  return parseSecretKey(text, file);
}

/** Keys inside `connection` whose values are secret (apiToken, Help Scout's appSecret, webhookSecrets…). */
const SECRET_NAME = /token|secret|passw(or)?d|api[-_]?key|credential|private[-_]?key/i;
/** The signing secret of each outgoing callback subscriber (`callbacks[i].secret`). */
const CALLBACK_SECRET = /^callbacks\[\d+\]\.secret$/;
/** A value that is only `${NAME}` references (no fallback) holds no secret: stored as written. */
const ONLY_REFERENCES = /^(\$\{[A-Z0-9_]+\})+$/;

/** Whether the key at `path` ('connection.auth.apiToken') names a secret field of `connection`. */
export const isSecretField = (path: string) =>
  path.startsWith('connection.') && SECRET_NAME.test(path.slice(path.lastIndexOf('.') + 1));

/** Whether a value is only `${NAME}` references: it names secrets but holds none. */
export const isOnlyReferences = (value: unknown) =>
  typeof value === 'string' && ONLY_REFERENCES.test(value);
const SEALED = '$sealed';

type Sealed = { [SEALED]: string };
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isSealed = (v: unknown): v is Sealed =>
  isObject(v) && typeof v[SEALED] === 'string' && Object.keys(v).length === 1;

/**
 * Copies `value`; where `visit` returns `{ value }` that replaces the part (not descended into).
 * `secret` is true inside a secret field of `connection`.
 */
function walk(
  value: unknown,
  path: string,
  secret: boolean,
  visit: (value: unknown, path: string, secret: boolean) => { value: unknown } | null,
): unknown {
  const replaced = visit(value, path, secret);
  if (replaced) return replaced.value;
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, secret, visit));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const inner = path ? `${path}.${k}` : k;
        const isSecret =
          secret ||
          (inner.startsWith('connection.') && SECRET_NAME.test(k)) ||
          CALLBACK_SECRET.test(inner);
        return [k, walk(v, inner, isSecret, visit)];
      }),
    );
  }
  return value;
}

// Each value is bound to its tenant and place: a value copied elsewhere does not decrypt.
const aad = (tenantId: string, path: string) => Buffer.from(`deskplan\0${tenantId}\0${path}`);

/** A literal secret value, which sealSecrets encrypts (not a sealed value, not references). */
const isClearSecret = (value: unknown, secret: boolean): value is string =>
  secret && typeof value === 'string' && !ONLY_REFERENCES.test(value);

/** Every non-empty string inside a secret field of `config` (to scrub them out of messages). */
export function secretStrings(config: unknown): string[] {
  const found = new Set<string>();
  walk(config, '', false, (value, _path, secret) => {
    if (secret && typeof value === 'string' && value.length > 0) found.add(value);
    return null;
  });
  return [...found];
}

/**
 * Whether sealSecrets would encrypt anything in `config` (a literal secret value stored in
 * clear), without encrypting anything.
 */
export function hasClearSecrets(config: unknown): boolean {
  let found = false;
  walk(config, '', false, (value, _path, secret) => {
    if (found || isSealed(value)) return { value }; // nothing more to look into
    if (!isClearSecret(value, secret)) return null;
    found = true;
    return { value };
  });
  return found;
}

/** Encrypts the literal secret values of a config; `sealed` counts the values it encrypted. */
export function sealSecrets(
  config: unknown,
  key: SecretKey,
  tenantId: string,
): { config: unknown; sealed: number } {
  let sealed = 0;
  const out = walk(config, '', false, (value, path, secret) => {
    if (isSealed(value)) return { value }; // already encrypted
    if (!isClearSecret(value, secret)) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.sealKey, iv).setAAD(aad(tenantId, path));
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    sealed++;
    const text = `v1.${key.id}.${iv.toString('base64url')}.${data.toString('base64url')}`;
    return { value: { [SEALED]: text } };
  });
  return { config: out, sealed };
}

/** Decrypts what sealSecrets encrypted; a wrong key or a damaged value throws SecretKeyError. */
export function openSecrets(config: unknown, key: SecretKey, tenantId: string): unknown {
  return walk(config, '', false, (value, path) => {
    if (!isSealed(value)) return null;
    const [format, keyId, iv, data] = value[SEALED].split('.');
    if (format !== 'v1' || !keyId || !iv || !data) {
      throw new SecretKeyError(`tenant '${tenantId}': ${path} is in an unknown sealed format`);
    }
    if (keyId !== key.id) {
      throw new SecretKeyError(
        `tenant '${tenantId}': ${path} was encrypted with secret key ${keyId}, but the key in ` +
          `use (${key.source}) is ${key.id}: set DESKPLAN_SECRET_KEY to the key it was stored with`,
      );
    }
    const bytes = Buffer.from(data, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.sealKey, Buffer.from(iv, 'base64url'))
        .setAAD(aad(tenantId, path))
        .setAuthTag(bytes.subarray(-16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]);
      return { value: plain.toString('utf8') };
    } catch {
      throw new SecretKeyError(
        `tenant '${tenantId}': ${path} does not decrypt with secret key ${key.id} ` +
          `(${key.source}): the stored value is damaged`,
      );
    }
  });
}

/** The content hash of a config's canonical JSON: keyed, so it reveals nothing of the secrets. */
export function configHash(canonical: string, key: SecretKey): string {
  return createHmac('sha256', key.hashKey).update(canonical).digest('hex');
}

/**
 * `${NAME}` in a string value is replaced with that environment variable, and
 * `${NAME:-fallback}` uses the fallback when it is not set; unset names go to `missing`.
 */
export function resolveEnvRefs(
  value: unknown,
  env: NodeJS.ProcessEnv,
  missing: Set<string>,
): unknown {
  return walk(value, '', false, (v) => {
    if (typeof v !== 'string') return null;
    const pattern = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;
    return {
      value: v.replace(pattern, (_, name: string, fallback?: string) => {
        const found = env[name] ?? fallback;
        if (found === undefined) missing.add(name);
        return found ?? '';
      }),
    };
  });
}
