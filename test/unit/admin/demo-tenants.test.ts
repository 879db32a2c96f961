import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FRESHDESK_SECRET, FRESHDESK_TENANT } from '../../../admin/demo/demo-freshdesk.js';
import {
  HELPSCOUT_DUE_FIELDS,
  HELPSCOUT_SECRET,
  HELPSCOUT_TENANT,
} from '../../../admin/demo/demo-helpscout.js';
import { configWarnings } from '../../../worker/rules/config/config-warnings.js';
import { listTenantFiles, parseTenantText } from '../../../worker/tenants/load-tenants-dir.js';
import { parseTenantFile } from '../../../worker/tenants/parse-tenant-file.js';
import { resolveEnvRefs } from '../../../worker/tenants/seal-secrets.js';

// The folder `npm start` loads by default (TENANTS_DIR) and `npm run demo` loads.
const dir = fileURLToPath(new URL('../../../docs/examples/tenants/', import.meta.url));

/** A tenant file as a fresh machine sees it: no DEMO_* variable set, so every default applies. */
function load(file: string) {
  const input = parseTenantText(file, readFileSync(`${dir}/${file}`, 'utf8'));
  const missing = new Set<string>();
  const parsed = parseTenantFile(resolveEnvRefs(input, {}, missing));
  return { input: input as { connection: Record<string, unknown> }, parsed, missing };
}

describe("the demo's tenant files (docs/examples/tenants)", () => {
  it('are valid with no environment at all, without warnings: one tenant per helpdesk', async () => {
    const files = await listTenantFiles(dir);
    expect(files).toEqual(['demo-freshdesk.yaml', 'demo-helpscout.yaml', 'demo.yaml']);
    const vendors: Record<string, string> = {};
    for (const file of files) {
      const { parsed, missing } = load(file);
      expect([...missing], file).toEqual([]);
      if (!parsed.ok) throw new Error(`${file}: ${parsed.problems.join('; ')}`);
      expect(configWarnings(parsed.tenant.rules), file).toEqual([]);
      vendors[parsed.tenant.rules.id] = parsed.tenant.connector.vendor;
    }
    expect(vendors).toEqual({
      demo: 'zendesk',
      [FRESHDESK_TENANT]: 'freshdesk',
      [HELPSCOUT_TENANT]: 'helpscout',
    });
  });

  it('take their URLs and secrets from ${DEMO_*:-default} references, as demo.yaml does', () => {
    const ref = /^\$\{DEMO_[A-Z_]+:-[^}]+\}$/;
    const fd = load('demo-freshdesk.yaml').input.connection;
    const hs = load('demo-helpscout.yaml').input.connection;
    const auth = hs.auth as Record<string, string>;
    const values = {
      'freshdesk baseUrl': fd.baseUrl,
      'freshdesk apiKey': fd.apiKey,
      'freshdesk webhookSecrets': (fd.webhookSecrets as string[])[0],
      'helpscout baseUrl': hs.baseUrl,
      'helpscout appId': auth.appId,
      'helpscout appSecret': auth.appSecret,
      'helpscout webhookSecrets': (hs.webhookSecrets as string[])[0],
    };
    for (const [what, value] of Object.entries(values)) expect(value, what).toMatch(ref);
  });

  it("match what the demo sends: the webhook secrets and Help Scout's Date fields", () => {
    const fd = load('demo-freshdesk.yaml').parsed;
    const hs = load('demo-helpscout.yaml').parsed;
    if (!fd.ok || !hs.ok) throw new Error('invalid demo tenant');
    expect(fd.tenant.connection).toMatchObject({ webhookSecrets: [FRESHDESK_SECRET] });
    expect(hs.tenant.connection).toMatchObject({
      webhookSecrets: [HELPSCOUT_SECRET],
      dueFields: {
        firstResponse: Number(Object.keys(HELPSCOUT_DUE_FIELDS)[0]),
        resolution: Number(Object.keys(HELPSCOUT_DUE_FIELDS)[1]),
      },
    });
  });
});
