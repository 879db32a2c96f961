import { formatIssues } from './format-issues.js';
import { tenantRulesSchema, type TenantRules } from './tenant-schema.js';

export type ParseResult = { ok: true; rules: TenantRules } | { ok: false; problems: string[] };

/** Validates a tenant's rules; on failure lists every problem with its path, nothing half-applied. */
export function parseTenantRules(input: unknown): ParseResult {
  const result = tenantRulesSchema.safeParse(input);
  return result.success
    ? { ok: true, rules: result.data }
    : { ok: false, problems: formatIssues(result.error.issues) };
}

export class TenantConfigError extends Error {
  constructor(
    readonly tenant: string,
    readonly problems: string[],
  ) {
    super(`tenant config '${tenant}' is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'TenantConfigError';
  }
}
