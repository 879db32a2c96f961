import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZENDESK_AGENT_REPLY_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import { startPipeline, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
beforeEach(async () => {
  // S4's customer on a plan that counts a ticket only once an agent has answered it.
  p = await startPipeline({
    example: 's4-exhausted-quota',
    tenant: {
      plans: [
        {
          id: 'standard-50',
          name: 'Answered',
          limits: [{ max: 50, per: 'month', count: 'on-first-agent-reply' }],
          sla: 'standard',
        },
      ],
    },
  });
  p.zendesk.addOrganization({ id: 4001 });
});
afterEach(() => p.close());

const deliver = async (body: string) => {
  const response = await p.post(body);
  expect(response.status).toBe(202);
  expect((await p.settled(response.deliveryId)).state).toBe('completed');
};

describe('a plan that counts a ticket at its first agent reply, end to end', () => {
  it('counts nothing for an unanswered ticket, then counts it once at the reply', async () => {
    const ticket = p.zendesk.addTicket({ id: 901, subject: 'Never mind', organization_id: 4001 });
    await deliver(p.trigger(ticket));
    expect(ticket.tags).toContain('deskplan_quota_pending');
    const [key] = await p.ledger.counterKeys(TENANT);
    expect((await p.ledger.usage(TENANT, key!)).count).toBe(0);

    ticket.updated_at = new Date(Date.parse(ticket.updated_at) + 60_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    await deliver(renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, ticket));
    await deliver(p.trigger({ ...ticket, status: 'open' }));
    expect((await p.ledger.usage(TENANT, key!)).count).toBe(1);
    expect(ticket.tags).toContain('deskplan_within_quota');
    expect(ticket.tags).not.toContain('deskplan_quota_pending');
  });
});
