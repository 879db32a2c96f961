import { z } from 'zod';
import { tenantRulesObject } from './tenant-schema.js';

/** The JSON Schema of a tenant's rules as written by a person (before defaults are filled in). */
export function tenantRulesJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(tenantRulesObject, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://deskplan.dev/schemas/tenant-rules.json',
    title: 'deskplan tenant rules',
  };
}
