import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const BENCH_SECRET = 'bench-secret';

/** The S1 example tenant with a Zendesk connection (the ingest arm never calls it). */
export function benchTenant(baseUrl = 'http://127.0.0.1:9') {
  const rules = parse(
    readFileSync(new URL('../../docs/examples/s1-product-plan.yaml', import.meta.url), 'utf8'),
  );
  const contracts = rules.contracts.map(({ end: _end, ...c }: Record<string, unknown>) => c);
  return {
    ...rules,
    contracts,
    id: 'bench',
    connection: {
      vendor: 'zendesk',
      baseUrl,
      auth: { email: 'bench@example.com', apiToken: 'x' },
      webhookSecrets: [BENCH_SECRET],
    },
  };
}
