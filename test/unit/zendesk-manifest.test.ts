// The Zendesk sidebar app (manifests/zendesk) against Zendesk's documented app layout: the
// manifest's fields (developer.zendesk.com apps manifest reference), the files zcli requires
// (manifest.json, assets/logo.png, assets/logo-small.png, translations/en.json) and translations
// with the same keys in every language.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const APP = new URL('../../manifests/zendesk/', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(APP, path), 'utf8');

const locationSchema = z.union([
  z.string().min(1),
  z
    .object({
      url: z.string().min(1),
      flexible: z.boolean().optional(),
      autoLoad: z.boolean().optional(),
      autoHide: z.boolean().optional(),
      signed: z.boolean().optional(),
      size: z.object({ width: z.string(), height: z.string() }).strict().optional(),
    })
    .strict(),
]);

/** Zendesk Support's app locations. */
const supportLocations = z
  .object({
    ticket_sidebar: locationSchema,
    new_ticket_sidebar: locationSchema,
    ticket_editor: locationSchema,
    user_sidebar: locationSchema,
    organization_sidebar: locationSchema,
    nav_bar: locationSchema,
    top_bar: locationSchema,
    background: locationSchema,
    modal: locationSchema,
  })
  .partial()
  .strict();

const parameterSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/),
    type: z.enum(['text', 'password', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth']),
    required: z.boolean().optional(),
    secure: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .strict();

/** The manifest properties Zendesk documents (author, location and frameworkVersion required). */
const zendeskManifestSchema = z
  .object({
    name: z.string().min(1),
    author: z
      .object({ name: z.string().min(1), email: z.email(), url: z.url().optional() })
      .strict(),
    defaultLocale: z.string().min(2),
    private: z.boolean().optional(),
    location: z.object({ support: supportLocations }).strict(),
    parameters: z.array(parameterSchema).optional(),
    domainWhitelist: z.array(z.string()).optional(),
    version: z.string().regex(/^\d+\.\d+(\.\d+)?$/),
    frameworkVersion: z.literal('2.0'),
    gaID: z.string().optional(),
    requirementsOnly: z.boolean().optional(),
    singleInstall: z.boolean().optional(),
    signedUrls: z.boolean().optional(),
    termsConditionsURL: z.string().optional(),
    experiments: z.record(z.string(), z.boolean()).optional(),
    marketingOnly: z.boolean().optional(),
    oauth: z.unknown().optional(),
  })
  .strict();

const manifest = zendeskManifestSchema.parse(JSON.parse(read('manifest.json')));

/** Every key path of a JSON object's leaves ('app.parameters.api_token.label'). */
const keysOf = (value: unknown, prefix = ''): string[] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(path: string) {
  const bytes = readFileSync(join(APP, path));
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('Zendesk app: manifest.json', () => {
  it('has the documented fields, a ticket sidebar and the three settings', () => {
    expect(manifest.frameworkVersion).toBe('2.0');
    expect(manifest.defaultLocale).toBe('en');
    const sidebar = manifest.location.support.ticket_sidebar;
    const url = typeof sidebar === 'string' ? sidebar : sidebar?.url;
    expect(url).toBe('assets/iframe.html');
    expect(existsSync(join(APP, url!))).toBe(true);
    expect(manifest.parameters?.map((p) => p.name)).toEqual([
      'deskplan_url',
      'tenant_id',
      'api_token',
    ]);
  });

  it('keeps the API token a secure setting, and only it', () => {
    const secure = manifest.parameters?.filter((p) => p.secure).map((p) => p.name);
    expect(secure).toEqual(['api_token']);
  });

  it('ships the files zcli requires, logos at their documented sizes', () => {
    for (const file of ['manifest.json', 'assets/logo.png', 'assets/logo-small.png']) {
      expect(existsSync(join(APP, file)), file).toBe(true);
    }
    expect(existsSync(join(APP, `translations/${manifest.defaultLocale}.json`))).toBe(true);
    expect(pngSize('assets/logo.png')).toEqual({ width: 320, height: 320 });
    expect(pngSize('assets/logo-small.png')).toEqual({ width: 128, height: 128 });
  });

  it('iframe.html loads the ZAF SDK and the app script and style that exist', () => {
    const html = read('assets/iframe.html');
    expect(html).toContain('https://static.zdassets.com/zendesk_app_framework_sdk/2.0/');
    for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      if (/^https:/.test(src!)) continue;
      expect(existsSync(join(APP, 'assets', src!)), src).toBe(true);
    }
  });

  it('sends the token only as a placeholder Zendesk fills in, through a secure request', () => {
    const js = read('assets/main.js');
    expect(js).toContain("Authorization: 'Bearer {{setting.api_token}}'");
    expect(js).toContain('{{setting.deskplan_url}}/api/tenants/');
    expect(js).toMatch(/secure: true/);
    expect(js).not.toMatch(/settings\.api_token/);
    expect(js).not.toMatch(/innerHTML/);
  });
});

describe('Zendesk app: translations', () => {
  const files = readdirSync(join(APP, 'translations')).filter((f) => f.endsWith('.json'));
  const translations = Object.fromEntries(
    files.map((f) => [f.replace(/\.json$/, ''), JSON.parse(read(`translations/${f}`))]),
  );

  it('has English and Japanese', () => {
    expect(Object.keys(translations).sort()).toEqual(['en', 'ja']);
  });

  it('has the same keys in every language, none empty', () => {
    const en = keysOf(translations.en).sort();
    expect(keysOf(translations.ja).sort()).toEqual(en);
    for (const [locale, t] of Object.entries(translations)) {
      for (const key of keysOf(t)) {
        const value = key.split('.').reduce((o: any, k) => o[k], t); // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(typeof value === 'string' && value.trim().length > 0, `${locale}: ${key}`).toBe(
          true,
        );
      }
    }
  });

  it('names the app and labels every setting', () => {
    const keys = keysOf(translations.en);
    for (const key of ['app.name', 'app.short_description', 'app.long_description']) {
      expect(keys).toContain(key);
    }
    for (const p of manifest.parameters ?? [])
      expect(keys).toContain(`app.parameters.${p.name}.label`);
  });
});
