import { describe, expect, it } from 'vitest';
import {
  apiBase,
  zendeskConnectionSchema,
} from '../../../../connectors/zendesk/connection-schema.js';

const base = {
  vendor: 'zendesk',
  auth: { email: 'agent@acme.example', apiToken: 't' },
  webhookSecrets: ['s'],
};
const messages = (input: unknown) => {
  const result = zendeskConnectionSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('Zendesk connection config', () => {
  it('accepts a subdomain or a base URL, with defaults', () => {
    const bySubdomain = zendeskConnectionSchema.parse({ ...base, subdomain: 'acme-jp' });
    expect(bySubdomain).toMatchObject({ dueFields: {}, accountAttributes: [] });
    expect(apiBase(bySubdomain)).toBe('https://acme-jp.zendesk.com/api/v2');
    const byUrl = zendeskConnectionSchema.parse({
      ...base,
      baseUrl: 'http://127.0.0.1:4010/',
      auth: { oauthToken: 'o' },
    });
    expect(apiBase(byUrl)).toBe('http://127.0.0.1:4010/api/v2');
  });

  it('refuses both or neither of subdomain and baseUrl, with a clear message', () => {
    expect(messages(base)).toContain('give exactly one of subdomain or baseUrl');
    expect(messages({ ...base, subdomain: 'acme', baseUrl: 'http://127.0.0.1:4010' })).toContain(
      'give exactly one of subdomain or baseUrl',
    );
  });

  it('accepts a tenant without a signing secret yet (connect reads it from Zendesk)', () => {
    const { webhookSecrets: _none, ...unsigned } = { ...base, subdomain: 'acme' };
    expect(zendeskConnectionSchema.parse(unsigned).webhookSecrets).toEqual([]);
    expect(
      zendeskConnectionSchema.parse({ ...unsigned, webhookSecrets: [] }).webhookSecrets,
    ).toEqual([]);
  });

  it('refuses bad values and unknown keys', () => {
    const ok = { ...base, subdomain: 'acme' };
    for (const bad of [
      { ...ok, subdomain: 'Acme.zendesk.com' },
      { ...ok, webhookSecrets: [''] },
      { ...ok, webhookSecrets: ['a', 'b', 'c'] },
      { ...ok, auth: { email: 'agent@acme.example' } },
      { ...ok, dueFields: { resolution: -1 } },
      { ...ok, dueFields: { sla: 1 } },
      { ...ok, extra: true },
    ]) {
      expect(messages(bad).length, JSON.stringify(bad)).toBeGreaterThan(0);
    }
  });
});
