import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPipeline, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
beforeEach(async () => {
  // S5's customer, with a monthly limit on backup too, so both contracts count tickets.
  p = await startPipeline({
    example: 's5-two-products',
    tenant: {
      plans: [
        {
          id: 'backup-unlimited',
          name: 'Backup Care',
          sla: 'backup',
          limits: [{ max: 100, per: 'month' }],
        },
        {
          id: 'security-12',
          name: 'Security Care',
          limits: [{ max: 12, per: 'year' }],
          reset: 'anniversary',
          sla: 'security',
        },
      ],
    },
  });
  p.zendesk.addOrganization({ id: 5001 });
});
afterEach(() => p.close());

const deliver = async (body: string) => {
  const response = await p.post(body);
  expect(response.status).toBe(202);
  expect((await p.settled(response.deliveryId)).state).toBe('completed');
};

const counts = async () => {
  const out: Record<string, number> = {};
  for (const key of await p.ledger.counterKeys(TENANT)) {
    out[key.split('/')[0]!] = (await p.ledger.usage(TENANT, key)).count;
  }
  return out;
};

describe('a ticket that moves to another product or contract', () => {
  it('counts once in total: its count moves with it, and the usage history says so', async () => {
    const ticket = p.zendesk.addTicket({
      id: 601,
      subject: 'バックアップが失敗します',
      organization_id: 5001,
    });
    await deliver(p.trigger(ticket));
    expect(await counts()).toEqual({ 'tanaka-backup': 1 });
    expect(ticket.tags).toContain('deskplan_product_backup');

    // An agent re-routes it to the security product by changing its product tag.
    ticket.tags = ticket.tags.map((t) =>
      t === 'deskplan_product_backup' ? 'deskplan_product_security' : t,
    );
    ticket.updated_at = new Date(Date.parse(ticket.updated_at) + 60_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    await deliver(p.trigger(ticket));
    expect(await counts()).toEqual({ 'tanaka-backup': 0, 'tanaka-security': 1 });
    expect(ticket.tags).toEqual(
      expect.arrayContaining(['deskplan_plan_security_12', 'deskplan_product_security']),
    );
    expect(ticket.tags).not.toContain('deskplan_plan_backup_unlimited');

    const keys = await p.ledger.counterKeys(TENANT);
    const backup = await p.ledger.usage(
      TENANT,
      keys.find((k) => k.startsWith('tanaka-backup'))!,
    );
    expect(backup.moved).toEqual([
      expect.objectContaining({ member: 'ticket-601', movedTo: 'tanaka-security' }),
    ]);
    const security = await p.ledger.usage(
      TENANT,
      keys.find((k) => k.startsWith('tanaka-security'))!,
    );
    expect(security.entries[0]!.meta).toMatchObject({ movedFrom: 'tanaka-backup' });

    // The new plan is explained in a note of its own; later updates count nothing more.
    expect(p.zendesk.notes(601)).toHaveLength(2);
    await deliver(p.trigger({ ...ticket, status: 'open' }));
    expect(await counts()).toEqual({ 'tanaka-backup': 0, 'tanaka-security': 1 });
  });
});
