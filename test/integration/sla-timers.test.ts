import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPipeline, waitFor } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
beforeEach(async () => {
  p = await startPipeline({ example: 's3-importance' }); // Premium: resolve in 3 h, urgent on breach
  p.zendesk.addOrganization({ id: 2001 });
});
afterEach(() => p.close());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A Premium ticket whose 3-hour resolution target falls due `secondsLeft` from now. */
const dueSoon = (id: number, secondsLeft: number) => {
  const created = iso(Date.now() - 3 * 3_600_000 + secondsLeft * 1000);
  return p.zendesk.addTicket({
    id,
    subject: '請求書',
    organization_id: 2001,
    created_at: created,
    updated_at: created,
  });
};

describe('SLA timers (real Redis delayed jobs)', () => {
  it('tag a missed resolution as breached and raise the ticket to urgent when it falls due', async () => {
    const ticket = dueSoon(301, 2);
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(ticket.tags).not.toContain('deskplan_breach_resolution');
    const delayed = await p.timers!.getDelayed();
    expect(delayed.map((j) => j.data)).toEqual([
      expect.objectContaining({ ticketId: '301', metric: 'resolution', kind: 'due' }),
    ]);

    await waitFor(
      'the breach write-back',
      () => ticket.tags.includes('deskplan_breach_resolution'),
      10_000,
    );
    expect(ticket.priority).toBe('urgent');
    expect(p.zendesk.writes).toHaveLength(2);
  });

  it('are cancelled when the ticket is solved in time', async () => {
    const ticket = dueSoon(302, 30);
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(await p.timers!.getDelayedCount()).toBe(1);
    ticket.status = 'solved';
    ticket.updated_at = iso(Date.now());
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(await p.timers!.getDelayedCount()).toBe(0);
  });
});
