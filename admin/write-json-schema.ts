// Writes docs/config.schema.json from the zod schema (npm run schema).
import { writeFileSync } from 'node:fs';
import { tenantRulesJsonSchema } from '../worker/rules/config/json-schema.js';

const target = new URL('../docs/config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(tenantRulesJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
