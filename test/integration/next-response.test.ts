import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderAgentReply, renderCustomerReply } from '../fakes/render-trigger.js';
import {
  DUE_FIELDS,
  startPipeline,
  TENANT,
  tenantFile,
  zendeskConnection,
} from '../helpers/pipeline-harness.js';

const NEXT_RESPONSE_FIELD = 9003;

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
beforeEach(async () => {
  p = await startPipeline({ example: 's4-exhausted-quota' });
  // S4's customer on a 24x7 policy with a next-response target, and a Zendesk connection with
  // a due field for it (the harness's DUE_FIELDS has first response and resolution only).
  await p.tenants.save(
    TENANT,
    tenantFile('s4-exhausted-quota', p.zendesk.baseUrl, {
      slaPolicies: [
        {
          id: 'standard',
          targets: { all: { firstResponse: '2h', nextResponse: '1h', resolution: '1d' } },
        },
      ],
      connection: zendeskConnection(p.zendesk.baseUrl, {
        dueFields: { ...DUE_FIELDS, nextResponse: NEXT_RESPONSE_FIELD },
      }),
    }),
  );
  p.zendesk.addOrganization({ id: 4001 });
});
afterEach(() => p.close());

const HOUR = 3_600_000;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('a next-response target, with the agent- and customer-reply triggers', () => {
  it('writes the next-response due when the customer replies, and clears it when an agent answers', async () => {
    const start = Math.floor(Date.now() / 1000) * 1000;
    const ticket = p.zendesk.addTicket({
      id: 901,
      subject: 'Exports fail',
      organization_id: 4001,
      created_at: stamp(start),
      updated_at: stamp(start),
    });
    const field = (id: number) => ticket.custom_fields.find((f) => f.id === id)?.value ?? null;
    /** A public comment at `at` (ms): Zendesk fires the reply trigger with the ticket as it is. */
    const comment = async (render: typeof renderAgentReply, at: number) => {
      ticket.updated_at = stamp(at);
      const response = await p.post(render(ticket));
      expect(response.status).toBe(202);
      const { state } = await p.settled(response.deliveryId);
      expect(state).toBe('completed');
    };

    const created = await p.post(p.trigger(ticket));
    await p.settled(created.deliveryId);
    expect(field(DUE_FIELDS.firstResponse)).toBe(new Date(start + 2 * HOUR).toISOString());
    expect(field(NEXT_RESPONSE_FIELD)).toBeNull();

    // The agent answers: nothing awaits a reply, so no next-response due yet.
    ticket.status = 'open';
    await comment(renderAgentReply, start + 10_000);
    expect(field(NEXT_RESPONSE_FIELD)).toBeNull();

    // The customer writes back: the next-response clock starts at their message.
    const customerAt = start + 20_000;
    await comment(renderCustomerReply, customerAt);
    expect(field(NEXT_RESPONSE_FIELD)).toBe(new Date(customerAt + HOUR).toISOString());

    // The agent answers again: the next-response due is cleared.
    await comment(renderAgentReply, start + 30_000);
    expect(field(NEXT_RESPONSE_FIELD)).toBeNull();
    expect(ticket.tags).not.toContain('deskplan_breach_next_response');
  });
});
