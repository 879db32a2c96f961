import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import type { TenantStore } from '../stores/tenant-store.js';
import { parseTenantFile } from './parse-tenant-file.js';

export type LoadOutcome =
  | { file: string; tenantId: string; status: 'saved' | 'unchanged'; version: number }
  | { file: string; tenantId: string | null; status: 'invalid'; problems: string[] };

/**
 * `${NAME}` in a string value is replaced with that environment variable (for secrets), and
 * `${NAME:-fallback}` uses the fallback when it is not set.
 */
function expandEnv(value: unknown, env: NodeJS.ProcessEnv, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g,
      (_, name: string, fallback?: string) => {
        const found = env[name] ?? fallback;
        if (found === undefined) missing.add(name);
        return found ?? '';
      },
    );
  }
  if (Array.isArray(value)) return value.map((v) => expandEnv(v, env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, missing)]),
    );
  }
  return value;
}

async function loadOne(
  dir: string,
  file: string,
  store: Pick<TenantStore, 'save'>,
  env: NodeJS.ProcessEnv,
): Promise<LoadOutcome> {
  let input: unknown;
  try {
    const text = await readFile(join(dir, file), 'utf8');
    input = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return { file, tenantId: null, status: 'invalid', problems: [(error as Error).message] };
  }
  const missing = new Set<string>();
  const expanded = expandEnv(input, env, missing);
  const parsed = parseTenantFile(expanded);
  const id = (input as { id?: unknown } | null)?.id;
  const tenantId = typeof id === 'string' ? id : null;
  const problems = [
    ...[...missing].map((name) => `environment variable ${name} is not set`),
    ...(parsed.ok ? [] : parsed.problems),
  ];
  if (!parsed.ok || problems.length > 0) return { file, tenantId, status: 'invalid', problems };
  const saved = await store.save(parsed.tenant.rules.id, expanded);
  return {
    file,
    tenantId: parsed.tenant.rules.id,
    status: saved.changed ? 'saved' : 'unchanged',
    version: saved.version,
  };
}

/**
 * Loads every .yaml/.yml/.json tenant file in `dir`: a valid file whose content changed becomes a
 * new version in the store; an invalid one is reported and that tenant keeps its last good version.
 */
export async function loadTenantsDir(
  dir: string,
  store: Pick<TenantStore, 'save'>,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadOutcome[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const outcomes: LoadOutcome[] = [];
  for (const file of files) {
    const outcome = await loadOne(dir, file, store, env);
    outcomes.push(outcome);
    if (outcome.status === 'invalid') {
      logger.error(
        { file, tenant: outcome.tenantId, problems: outcome.problems },
        `tenant file ${file} is invalid; the tenant keeps its last good version:\n  - ${outcome.problems.join('\n  - ')}`,
      );
    } else {
      logger.info(
        { file, tenant: outcome.tenantId, version: outcome.version },
        `tenant ${outcome.status}`,
      );
    }
  }
  return outcomes;
}
