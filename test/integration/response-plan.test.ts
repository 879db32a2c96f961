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
  let clock = Date.now();
  /** Each reply moves the ticket's updated_at, as Zendesk does: its body is its own. */
  const tick = () => new Date((clock += 60_000)).toISOString().replace(/\.\d{3}Z$/, 'Z');

  it('charges each public agent reply once, and a ticket counted within quota keeps its SLA', async () => {
    const ticket = p.zendesk.addTicket({
      id: 801,
      subject: 'Reports are slow',
      organization_id: 4001,
      created_at: stamp(),
      updated_at: stamp(),
    });
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(await p.ledger.counterKeys(TENANT)).toHaveLength(1);
    expect(ticket.tags).toContain('deskplan_within_quota');
    const due = (id: number) => ticket.custom_fields.find((f) => f.id === id)?.value ?? null;
    const resolutionDue = due(9002);
    expect(resolutionDue).not.toBeNull();

    const replyBody = () => {
      ticket.updated_at = tick();
      return renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, ticket);
    };
    const deliver = async (body: string) => {
      const response = await p.post(body);
      expect(response.status).toBe(202);
      return p.settled(response.deliveryId);
    };
    const first = replyBody();
    await deliver(first);
    await deliver(first); // Zendesk retrying the same firing
    await deliver(replyBody());
    const [key] = await p.ledger.counterKeys(TENANT);
    expect((await p.ledger.usage(TENANT, key!)).count).toBe(2);

    // The month's replies are used up: the third is billable overage, but this ticket was
    // counted within quota and keeps its SLA — no flip to over quota, no dues stripped.
    await deliver(replyBody());
    const usage = await p.ledger.usage(TENANT, key!);
    expect(usage.count).toBe(3);
    expect(new Set(usage.entries.map((e) => e.member)).size).toBe(3);
    await deliver(p.trigger({ ...ticket, updated_at: tick() }));
    expect(ticket.tags).toContain('deskplan_within_quota');
    expect(ticket.tags).not.toContain('deskplan_over_quota');
    expect(ticket.tags).not.toContain('deskplan_no_sla');
    expect(due(9002)).toBe(resolutionDue);

    // A ticket opened after the replies ran out is past quota from the start.
    const late = p.zendesk.addTicket({ id: 802, subject: 'Again', organization_id: 4001 });
    await deliver(p.trigger(late));
    expect(late.tags).toEqual(expect.arrayContaining(['deskplan_over_quota', 'deskplan_billable']));
  });

  it('charges nothing for a captured signed reply posted again with a fresh invocation header', async () => {
    const ticket = p.zendesk.addTicket({ id: 803, subject: 'Slow', organization_id: 4001 });
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    ticket.updated_at = tick();
    const body = renderTrigger(ZENDESK_AGENT_REPLY_TRIGGER_BODY, ticket);
    const answers = [];
    for (const invocationId of ['8350205582', 'forged-1', 'forged-2']) {
      const response = await p.post(body, { invocationId });
      expect(response.status).toBe(202);
      answers.push(response.deliveryId);
      await p.settled(response.deliveryId);
    }
    expect(new Set(answers).size).toBe(1);
    const [key] = await p.ledger.counterKeys(TENANT);
    expect((await p.ledger.usage(TENANT, key!)).count).toBe(1);
  });
});
