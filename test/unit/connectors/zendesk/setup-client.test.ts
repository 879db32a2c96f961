import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VendorRejectedError } from '../../../../connectors/core/errors.js';
import { zendeskConnectionSchema } from '../../../../connectors/zendesk/connection-schema.js';
import { createZendeskSetupClient } from '../../../../connectors/zendesk/setup-client.js';

const connection = zendeskConnectionSchema.parse({
  vendor: 'zendesk',
  subdomain: 'acme',
  auth: { email: 'admin@acme.example', apiToken: 'tok' },
});
const api = 'https://acme.zendesk.com';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const trigger = (id: number) => ({
  id,
  title: `t${id}`,
  active: true,
  position: id,
  conditions: { all: [], any: [] },
  actions: [],
  description: null,
});

describe('Zendesk set-up client: paging', () => {
  it('follows next_page on the account host, with the credentials', async () => {
    nock(api)
      .get('/api/v2/triggers.json')
      .query({ per_page: 100 })
      .reply(200, {
        triggers: [trigger(1)],
        next_page: `${api}/api/v2/triggers.json?page=2&per_page=100`,
      });
    nock(api)
      .get('/api/v2/triggers.json')
      .query({ page: 2, per_page: 100 })
      .matchHeader('authorization', /^Basic /)
      .reply(200, { triggers: [trigger(2)], next_page: null });
    const all = await createZendeskSetupClient(connection).listTriggers();
    expect(all.map((t) => t.id)).toEqual([1, 2]);
  });

  it('never sends the credentials to a next_page on another host', async () => {
    nock(api)
      .get('/api/v2/triggers.json')
      .query({ per_page: 100 })
      .reply(200, {
        triggers: [trigger(1)],
        next_page: 'https://collector.example/api/v2/triggers.json?page=2',
      });
    const elsewhere = nock('https://collector.example').get(/.*/).reply(200, {});
    await expect(createZendeskSetupClient(connection).listTriggers()).rejects.toBeInstanceOf(
      VendorRejectedError,
    );
    expect(elsewhere.isDone()).toBe(false);
  });
});
