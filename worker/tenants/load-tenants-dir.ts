import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import type { TenantStore } from '../stores/tenant-store.js';
import { configWarnings } from '../rules/config/config-warnings.js';
import { parseTenantFile } from './parse-tenant-file.js';
import { resolveEnvRefs } from './seal-secrets.js';

export type LoadOutcome =
  | {
      file: string;
      tenantId: string;
      /** kept: the file is as last loaded and the API changed the tenant since (the API wins). */
      status: 'saved' | 'unchanged' | 'kept';
      version: number | null;
      /** The API's version this file replaced (a changed file wins over the API). */
      overrode?: { version: number; savedBy: string } | null;
      /** Valid but probably not meant (see configWarnings), each with its path. */
      warnings: string[];
    }
  | { file: string; tenantId: string | null; status: 'invalid'; problems: string[] };

/** The tenant files in `dir` (.yaml, .yml, .json), in name order. */
export async function listTenantFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
}

/** A tenant file's text, parsed by the file's extension: JSON for .json, else YAML. Throws if malformed. */
export function parseTenantText(file: string, text: string): unknown {
  return extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
}

async function loadOne(
  dir: string,
  file: string,
  store: Pick<TenantStore, 'saveFromFile'>,
  env: NodeJS.ProcessEnv,
): Promise<LoadOutcome> {
  let input: unknown;
  try {
    input = parseTenantText(file, await readFile(join(dir, file), 'utf8'));
  } catch (error) {
    return { file, tenantId: null, status: 'invalid', problems: [(error as Error).message] };
  }
  // Validated with `${NAME}` references resolved, but stored as written: the store resolves
  // them when the config is read for use, so no secret from the environment lands in Redis.
  const missing = new Set<string>();
  const parsed = parseTenantFile(resolveEnvRefs(input, env, missing));
  const id = (input as { id?: unknown } | null)?.id;
  const tenantId = typeof id === 'string' ? id : null;
  const problems = [
    ...[...missing].map((name) => `environment variable ${name} is not set`),
    ...(parsed.ok ? [] : parsed.problems),
  ];
  if (!parsed.ok || problems.length > 0) return { file, tenantId, status: 'invalid', problems };
  const saved = await store.saveFromFile(parsed.tenant.rules.id, input, file);
  return {
    file,
    tenantId: parsed.tenant.rules.id,
    status: saved.status,
    version: saved.version,
    overrode: saved.overrode,
    warnings: configWarnings(parsed.tenant.rules),
  };
}

/**
 * Loads every .yaml/.yml/.json tenant file in `dir`: a valid file whose content changed since it
 * was last loaded becomes a new version in the store (replacing what the admin API saved, which is
 * logged); a file as last loaded leaves the tenant as the API left it; an invalid one is reported
 * and that tenant keeps its last good version.
 */
export async function loadTenantsDir(
  dir: string,
  store: Pick<TenantStore, 'saveFromFile'>,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadOutcome[]> {
  const files = await listTenantFiles(dir);
  const outcomes: LoadOutcome[] = [];
  for (const file of files) {
    const outcome = await loadOne(dir, file, store, env);
    outcomes.push(outcome);
    if (outcome.status === 'invalid') {
      logger.error(
        { file, tenant: outcome.tenantId },
        `tenant file ${file} is invalid; the tenant keeps its last good version: ${outcome.problems.join('; ')}`,
      );
    } else {
      if (outcome.overrode) {
        logger.warn(
          { file, tenant: outcome.tenantId, version: outcome.version, replaced: outcome.overrode },
          `tenant file ${file} changed: it replaces version ${outcome.overrode.version}, saved through the admin API by ${outcome.overrode.savedBy}`,
        );
      } else if (outcome.status === 'kept') {
        logger.info(
          { file, tenant: outcome.tenantId, version: outcome.version },
          `tenant file ${file} is as last loaded; keeping the tenant as the admin API left it` +
            (outcome.version === null ? ' (deleted)' : ''),
        );
      }
      logger.info(
        { file, tenant: outcome.tenantId, version: outcome.version },
        `tenant ${outcome.status}`,
      );
      for (const warning of outcome.warnings) {
        logger.warn({ file, tenant: outcome.tenantId }, `tenant config warning: ${warning}`);
      }
    }
  }
  return outcomes;
}
