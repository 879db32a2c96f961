import { z } from 'zod';
import { connectorFor } from '../../connectors/registry.js';
import type { Connector } from '../../connectors/core/connector.js';
import { checkReferences } from '../rules/config/check-references.js';
import { formatIssues } from '../rules/config/format-issues.js';
import { tenantRulesObject, type TenantRules } from '../rules/config/tenant-schema.js';

/** A tenant file: the rules plus the connection to its helpdesk. */
const tenantFileSchema = tenantRulesObject
  .extend({ connection: z.looseObject({ vendor: z.string() }) })
  .superRefine((file, ctx) => {
    checkReferences(file, ctx);
    const connector = connectorFor(file.connection.vendor);
    if (!connector) {
      ctx.addIssue({
        code: 'custom',
        path: ['connection', 'vendor'],
        message: `unsupported helpdesk '${file.connection.vendor}'`,
      });
      return;
    }
    const parsed = connector.connectionSchema.safeParse(file.connection);
    for (const issue of parsed.error?.issues ?? []) {
      ctx.addIssue({ ...issue, code: 'custom', path: ['connection', ...issue.path] });
    }
  });

export interface TenantFile {
  rules: TenantRules;
  connector: Connector<unknown>;
  connection: unknown;
}

export type TenantFileResult = { ok: true; tenant: TenantFile } | { ok: false; problems: string[] };

/** Validates a whole tenant file; any problem rejects all of it. */
export function parseTenantFile(input: unknown): TenantFileResult {
  const result = tenantFileSchema.safeParse(input);
  if (!result.success) return { ok: false, problems: formatIssues(result.error.issues) };
  const { connection, ...rules } = result.data;
  const connector = connectorFor(connection.vendor)!;
  return {
    ok: true,
    tenant: { rules, connector, connection: connector.connectionSchema.parse(connection) },
  };
}
