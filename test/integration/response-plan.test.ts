import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZENDESK_AGENT_REPLY_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import { startPipeline, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
beforeEach(async () => {
  // S4's customer, on a plan billed by agent replies: 2 a month.
  p = await startPipeline({
    example: 's4-exhausted-quota',
    tenant: {
      plans: [
        {
          id: 'standard-50',
          name: 'Replies',
          limits: [{ unit: 'responses', max: 2, per: 'month' }],
          sla: 'standard',
        },
      ],
    },
  });
  p.zendesk.addOrganization({ id: 4001 });
});
afterEach(() => p.close());

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('a plan counted in agent replies, through the agent-reply trigger', () => {
  it('charges each public agent reply once, and marks the ticket past quota at the third', async () => {
    const ticket = p.zendesk.addTicket({
      id: 801,
      subject: 'Reports are slow',
      organization_id: 4001,
    });
    await p.settled((await p.post(p.trigger(ticket))).invocationId);
    expect(await p.ledger.counterKeys(TENANT)).toHaveLength(1);

    const reply = async (invocationId: string) => {
      ticket.updated_at = stamp();
      const response = await p.post(renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, ticket), {
        invocationId,
      });
      expect(response.status).toBe(202);
      return p.settled(invocationId);
    };
    await reply('reply-1');
    await reply('reply-1'); // Zendesk retrying the same firing
    await reply('reply-2');
    const [key] = await p.ledger.counterKeys(TENANT);
    expect((await p.ledger.usage(TENANT, key!)).count).toBe(2);
    expect(ticket.tags).toContain('deskplan_within_quota');

    await reply('reply-3');
    const usage = await p.ledger.usage(TENANT, key!);
    expect(usage.entries.map((e) => e.member)).toEqual([
      'reply-reply-1',
      'reply-reply-2',
      'reply-reply-3',
    ]);
    expect(ticket.tags).toEqual(
      expect.arrayContaining(['deskplan_over_quota', 'deskplan_billable']),
    );
  });
});
