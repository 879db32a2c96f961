import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startPipeline,
  TENANT,
  tenantFile,
  zendeskConnection,
} from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;

/**
 * S1's tenant with a connection that has no due fields and no account attributes, so its
 * trigger bodies are complete for everything else: only an exclusion on a field the body cannot
 * carry (form, brand, channel) makes the worker read the ticket.
 */
async function useTenantExcluding(exclude: Record<string, unknown>) {
  await p.tenants.save(
    TENANT,
    tenantFile('s1-product-plan', p.zendesk.baseUrl, {
      plans: [
        {
          id: 'product-x-standard',
          name: 'Product X Standard',
          limits: [{ max: 25, per: 'week' }],
          sla: 'product-x',
          exclude,
        },
      ],
      connection: zendeskConnection(p.zendesk.baseUrl),
    }),
  );
}

beforeEach(async () => {
  p = await startPipeline();
  p.zendesk.addOrganization({ id: 1001 });
});
afterEach(() => p.close());

async function deliver(body: string) {
  const response = await p.post(body);
  expect(response.status).toBe(202);
  return p.settled(response.deliveryId);
}

describe('exclusions on fields a trigger body lacks', () => {
  it('reads the ticket once to learn its channel, then does not count it', async () => {
    await useTenantExcluding({ channels: ['voice'] });
    const ticket = p.zendesk.addTicket({
      id: 501,
      subject: 'Product X will not start',
      organization_id: 1001,
      via: { channel: 'voice' },
    });
    expect((await deliver(p.trigger(ticket))).state).toBe('completed');
    expect(p.zendesk.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/tickets/501.json',
      'PUT /api/v2/tickets/501.json',
    ]);
    expect(ticket.tags).toContain('deskplan_excluded');
    expect(p.zendesk.notes(501)[0]).toContain(
      'Not counted against the quota: it matches an exclusion (channel: voice).',
    );
  });

  it('reads nothing when the exclusions need only what the body carries', async () => {
    await useTenantExcluding({ tags: ['internal'] });
    const ticket = p.zendesk.addTicket({
      id: 502,
      subject: 'Product X will not start',
      organization_id: 1001,
      tags: ['internal'],
    });
    expect((await deliver(p.trigger(ticket))).state).toBe('completed');
    expect(p.zendesk.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /api/v2/tickets/502.json',
    ]);
    expect(ticket.tags).toContain('deskplan_excluded');
  });
});
