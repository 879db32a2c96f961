// The Freshdesk sidebar app (manifests/freshdesk) against the Freshworks platform 3.0 layout, with
// zod schemas written from the documented fields (fdk, which would validate it, is not on npm):
// - manifest.json: "platform-version", "modules" (common.requests, support_ticket.location),
//   "engines" — https://developers.freshworks.com/docs/app-sdk/v3.0/support_ticket/
// - config/iparams.json: display_name, description, type, required, secure, … —
//   https://developers.freshdesk.com/v2/docs/installation-parameters/ (the same attributes in 3.0)
// - config/requests.json: schema {protocol, method, host, path, headers, query}, options —
//   https://developers.freshworks.com/docs/app-sdk/v3.0/support_ticket/advanced-interfaces/request-method/
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const APP = new URL('../../manifests/freshdesk/', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(APP, path), 'utf8');
const json = (path: string): unknown => JSON.parse(read(path));

const locationSchema = z.strictObject({ url: z.string().min(1), icon: z.string().min(1) });

const manifestSchema = z.strictObject({
  'platform-version': z.literal('3.0'),
  modules: z.strictObject({
    common: z
      .strictObject({
        requests: z.record(z.string(), z.strictObject({})).optional(),
        functions: z.record(z.string(), z.object({ timeout: z.number().optional() })).optional(),
        location: z.record(z.string(), locationSchema).optional(),
      })
      .optional(),
    support_ticket: z.strictObject({
      location: z
        .strictObject({
          ticket_sidebar: locationSchema,
          ticket_requester_info: locationSchema,
          ticket_top_navigation: locationSchema,
          ticket_background: z.strictObject({ url: z.string().min(1) }),
        })
        .partial(),
    }),
  }),
  engines: z.strictObject({
    node: z.string().regex(/^\d+\.\d+\.\d+$/),
    fdk: z.string().regex(/^\d+\.\d+\.\d+$/),
  }),
});

const iparamSchema = z.strictObject({
  display_name: z.string().min(1),
  description: z.string().optional(),
  type: z.enum([
    'text',
    'paragraph',
    'dropdown',
    'email',
    'number',
    'phone_number',
    'date',
    'url',
    'radio',
    'checkbox',
    'multiselect',
    'domain',
    'api_key',
  ]),
  required: z.boolean().optional(),
  secure: z.boolean().optional(),
  default_value: z.unknown().optional(),
  options: z.array(z.string()).optional(),
  regex: z.record(z.string(), z.string()).optional(),
  type_attributes: z.record(z.string(), z.unknown()).optional(),
  visible: z.boolean().optional(),
});
const iparamsSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), iparamSchema);

const templateSchema = z.strictObject({
  schema: z.strictObject({
    protocol: z.enum(['https', 'http']).optional(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    host: z.string().min(1),
    path: z.string().startsWith('/').optional(),
    headers: z.record(z.string(), z.string()).optional(),
    query: z.record(z.string(), z.string()).optional(),
  }),
  options: z.record(z.string(), z.unknown()).optional(),
});
const requestsSchema = z.record(z.string(), templateSchema);

const manifest = manifestSchema.parse(json('manifest.json'));
const iparams = iparamsSchema.parse(json('config/iparams.json'));
const requests = requestsSchema.parse(json('config/requests.json'));

/** The iparams and context fields a template string uses (`<%= iparam.x %>`). */
const placeholders = (text: string) =>
  [...text.matchAll(/<%=\s*([\w.()]+)\s*%>/g)].map((m) => m[1]!);

describe('Freshdesk app: manifest.json (platform 3.0)', () => {
  it('puts the sidebar in the ticket page, its page and icon in app/', () => {
    const sidebar = manifest.modules.support_ticket.location.ticket_sidebar!;
    expect(sidebar).toEqual({ url: 'index.html', icon: 'styles/images/icon.svg' });
    for (const file of [sidebar.url, sidebar.icon]) {
      expect(existsSync(join(APP, 'app', file)), file).toBe(true);
    }
    expect(read('app/styles/images/icon.svg')).toMatch(/^<svg[\s>]/);
  });

  it('declares exactly the request templates config/requests.json defines', () => {
    expect(Object.keys(manifest.modules.common?.requests ?? {})).toEqual(Object.keys(requests));
  });

  it('index.html loads the Freshworks client, then the script and style that exist', () => {
    const html = read('app/index.html');
    expect(html).toContain('<script src="{{{appclient}}}"></script>');
    expect(html.indexOf('{{{appclient}}}')).toBeLessThan(html.indexOf('scripts/app.js'));
    const local = [...html.matchAll(/(?:src|href)="([^"{]+)"/g)].map((m) => m[1]!);
    expect(local.sort()).toEqual(['scripts/app.js', 'styles/style.css']);
    for (const src of local) expect(existsSync(join(APP, 'app', src)), src).toBe(true);
  });
});

describe('Freshdesk app: installation parameters and the request template', () => {
  it('asks for the deskplan host, the tenant and the token, and only the token is secure', () => {
    expect(Object.keys(iparams)).toEqual(['deskplan_host', 'tenant_id', 'api_token']);
    expect(Object.values(iparams).every((p) => p.required)).toBe(true);
    const secure = Object.entries(iparams).filter(([, p]) => p.secure);
    expect(secure.map(([name]) => name)).toEqual(['api_token']);
  });

  it('reads the ticket summary over https with the secure token in the Authorization header', () => {
    const { schema } = requests.ticketSummary!;
    expect(schema).toMatchObject({
      protocol: 'https',
      method: 'GET',
      host: '<%= iparam.deskplan_host %>',
      path: '/api/tenants/<%= iparam.tenant_id %>/tickets/<%= context.ticket_id %>/summary',
    });
    expect(schema.headers?.Authorization).toBe('Bearer <%= iparam.api_token %>');
    // Every iparam a template uses is declared; the token appears in a header and nowhere else.
    for (const [name, template] of Object.entries(requests)) {
      const used = placeholders(JSON.stringify(template));
      for (const p of used.filter((u) => u.startsWith('iparam.'))) {
        expect(Object.keys(iparams), `${name}: ${p}`).toContain(p.slice('iparam.'.length));
      }
      const { headers, ...rest } = template.schema;
      expect(JSON.stringify(rest)).not.toContain('api_token');
      expect(headers).toBeDefined();
    }
  });

  it('keeps the token out of the front end: no file under app/ reads it', () => {
    for (const file of ['index.html', 'scripts/app.js', 'styles/style.css']) {
      const text = read(`app/${file}`);
      expect(text, file).not.toMatch(/api_token|Authorization|Bearer/);
    }
    const js = read('app/scripts/app.js');
    expect(js).toMatch(
      /client\.request\s*\.invokeTemplate\('ticketSummary', \{ context: \{ ticket_id:/,
    );
    expect(js).toContain("client.iparams.get('deskplan_host')");
    expect(js).not.toMatch(/innerHTML|fetch\(|XMLHttpRequest/);
  });
});
