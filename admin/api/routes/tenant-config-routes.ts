import { z } from 'zod';
import { stringify as toYaml } from 'yaml';
import { configWarnings } from '../../../worker/rules/config/config-warnings.js';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { MissingEnvError } from '../../../worker/stores/tenant-store.js';
import { parseTenantFile } from '../../../worker/tenants/parse-tenant-file.js';
import { keepSecrets, REDACTED, redactSecrets } from '../../../worker/tenants/redact-secrets.js';
import { resolveEnvRefs } from '../../../worker/tenants/seal-secrets.js';
import { ApiError, notFound } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { actorOf } from '../principal.js';
import { writtenTenant } from '../tenant-lookup.js';

const tenantParams = z.object({ tenantId: idSchema });

/** Every problem of a config, by path under `body`, or the parsed tenant. */
function validate(config: unknown, env: NodeJS.ProcessEnv) {
  const missing = new Set<string>();
  const parsed = parseTenantFile(resolveEnvRefs(config, env, missing));
  const problems = [
    ...[...missing].map((name) => `body: environment variable ${name} is not set`),
    ...(parsed.ok
      ? []
      : parsed.problems.map((p) => (p.startsWith('(') ? `body: ${p}` : `body.${p}`))),
  ];
  if (problems.length > 0 || !parsed.ok) {
    throw new ApiError(422, 'the tenant config is not valid', problems);
  }
  return parsed.tenant;
}

/** Paths (under body) where the placeholder stands for a secret that is not stored. */
function placeholdersLeft(value: unknown, path = 'body'): string[] {
  if (value === REDACTED)
    return [`${path}: '${REDACTED}' keeps a stored secret, and none is stored here`];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersLeft(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => placeholdersLeft(v, `${path}.${k}`));
  }
  return [];
}

/**
 * A tenant's config through the API: create or replace (JSON or YAML), read with its secrets
 * redacted, delete, roll back. Each change is a new version that records who made it.
 */
export function registerTenantConfigRoutes(
  registry: RouteRegistry,
  { tenantStore, slaIndex, logger }: AdminDeps,
  env: NodeJS.ProcessEnv = process.env,
): void {
  registry.add({
    method: 'get',
    path: '/tenants/:tenantId',
    summary:
      "A tenant's current config, as stored, with vendor credentials and webhook secrets redacted (?format=yaml for YAML)",
    tag: 'tenants',
    access: 'tenant',
    params: tenantParams,
    query: z.object({ format: z.enum(['json', 'yaml']).default('json') }),
    alsoProduces: ['application/yaml'],
    response: z.object({
      tenantId: z.string(),
      version: z.number().int(),
      savedAt: z.string(),
      savedBy: z.string().nullable(),
      config: z.record(z.string(), z.unknown()),
    }),
    handler: async ({ params, query }) => {
      const stored = await writtenTenant(tenantStore, params.tenantId);
      const config = redactSecrets(stored.config) as Record<string, unknown>;
      if (query.format === 'yaml') {
        return { raw: toYaml(config), contentType: 'application/yaml' };
      }
      const { version, savedAt, savedBy } = stored;
      return { tenantId: params.tenantId, version, savedAt, savedBy: savedBy ?? null, config };
    },
  });

  registry.add({
    method: 'put',
    path: '/tenants/:tenantId',
    summary:
      "Create (agency token) or replace a tenant's config, JSON or YAML; secrets left out or sent as '<redacted>' keep their stored values",
    tag: 'tenants',
    access: 'tenant',
    params: tenantParams,
    body: z.record(z.string(), z.unknown()),
    response: z.object({
      tenantId: z.string(),
      version: z.number().int(),
      created: z.boolean(),
      changed: z.boolean(),
      savedBy: z.string(),
      warnings: z.array(z.string()),
    }),
    handler: async ({ params, body, principal }) => {
      const { tenantId } = params;
      const existing = await tenantStore.currentAsWritten(tenantId);
      if (!existing && principal!.kind !== 'agency') {
        throw new ApiError(403, 'creating a tenant needs the agency token');
      }
      if (body.id !== undefined && body.id !== tenantId) {
        throw new ApiError(422, 'the tenant config is not valid', [
          `body.id: must be '${tenantId}', the tenant in the path`,
        ]);
      }
      const incoming = { ...body, id: tenantId };
      // Where deskplan sends its helpdesk requests is the agency's to decide: a tenant token
      // could otherwise point them at an internal address.
      const urlOf = (c: unknown) =>
        (c as { connection?: { baseUrl?: unknown } } | null)?.connection?.baseUrl;
      if (existing && principal!.kind !== 'agency' && urlOf(incoming) !== urlOf(existing.config)) {
        throw new ApiError(
          403,
          "changing the helpdesk connection's baseUrl needs the agency token",
        );
      }
      const config = existing ? keepSecrets(incoming, existing.config) : incoming;
      const left = placeholdersLeft(config);
      if (left.length > 0) throw new ApiError(422, 'the tenant config is not valid', left);
      const tenant = validate(config, env);
      const savedBy = actorOf(principal!);
      const saved = await tenantStore.save(tenantId, config, savedBy);
      logger.info(
        { tenant: tenantId, version: saved.version, changed: saved.changed, by: savedBy },
        existing
          ? 'tenant config replaced through the admin API'
          : 'tenant created through the admin API',
      );
      return {
        tenantId,
        version: saved.version,
        created: !existing,
        changed: saved.changed,
        savedBy,
        warnings: configWarnings(tenant.rules),
      };
    },
  });

  registry.add({
    method: 'delete',
    path: '/tenants/:tenantId',
    summary:
      'Delete a tenant (its versions; usage stays until its retention ends); an unchanged tenant file does not bring it back',
    tag: 'tenants',
    access: 'agency',
    params: tenantParams,
    response: z.object({ tenantId: z.string(), deleted: z.literal(true) }),
    handler: async ({ params, principal }) => {
      if (!(await tenantStore.remove(params.tenantId))) {
        throw notFound(`tenant '${params.tenantId}'`);
      }
      await slaIndex.clear(params.tenantId);
      logger.warn(
        { tenant: params.tenantId, by: actorOf(principal!) },
        'tenant deleted through the admin API',
      );
      return { tenantId: params.tenantId, deleted: true as const };
    },
  });

  registry.add({
    method: 'post',
    path: '/tenants/:tenantId/rollback',
    summary: "Make an earlier version the tenant's config again (saved as a new version)",
    tag: 'tenants',
    access: 'tenant',
    params: tenantParams,
    body: z.object({ version: z.number().int().positive() }).strict(),
    response: z.object({
      tenantId: z.string(),
      version: z.number().int(),
      rolledBackTo: z.number().int(),
      changed: z.boolean(),
      savedBy: z.string(),
    }),
    handler: async ({ params, body, principal }) => {
      const { tenantId } = params;
      let old;
      try {
        old = await tenantStore.version(tenantId, body.version);
      } catch (error) {
        if (!(error instanceof MissingEnvError)) throw error;
        throw new ApiError(422, `version ${body.version} cannot be used now`, [error.message]);
      }
      if (!old) throw notFound(`version ${body.version} of tenant '${tenantId}'`);
      // Valid when saved, but the schema may have moved on since: check it as it would be used.
      const parsed = parseTenantFile(old.config);
      if (!parsed.ok) {
        throw new ApiError(
          422,
          `version ${body.version} is no longer a valid config`,
          parsed.problems,
        );
      }
      const savedBy = actorOf(principal!);
      const saved = await tenantStore.rollback(tenantId, body.version, savedBy);
      logger.info(
        { tenant: tenantId, version: saved.version, rolledBackTo: body.version, by: savedBy },
        'tenant config rolled back through the admin API',
      );
      return {
        tenantId,
        version: saved.version,
        rolledBackTo: body.version,
        changed: saved.changed,
        savedBy,
      };
    },
  });
}
