// Webhook → write-back latency through the whole service (receiver, queue, worker, ledger,
// decision, one PUT) against a fake Zendesk that answers at once, on the Redis at `redisUrl`.
// Checks that every ticket sent was processed and written back with the right plan and quota.
import { startPipelineOn } from '../../test/helpers/pipeline-core.js';
import { connectPrefixedRedis } from '../../test/helpers/prefixed-redis.js';
import { check } from '../mode.js';

/** s1-product-plan: Product X Standard allows 25 tickets a week (and 50 a month). */
const WEEKLY_LIMIT = 25;

export async function measureLatency(redisUrl: string, tickets: number, inFlight: number) {
  const p = await startPipelineOn(connectPrefixedRedis(redisUrl, `bench-latency-${Date.now()}`), {
    example: 's1-product-plan',
  });
  try {
    p.zendesk.addOrganization({ id: 1001 });
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    p.zendesk.onTicketUpdated = (ticket) => {
      const start = sentAt.get(ticket.id);
      if (start !== undefined) latencies.push(performance.now() - start);
      sentAt.delete(ticket.id); // only the first write-back of a ticket counts
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < tickets) {
          const id = 10_000 + next++;
          const ticket = p.zendesk.addTicket({
            id,
            subject: `Product X issue ${id}`,
            organization_id: 1001,
          });
          sentAt.set(id, performance.now());
          const response = await p.post(p.trigger(ticket));
          check(response.status === 202, `ticket ${id}: the receiver answered ${response.status}`);
          const { job, state } = await p.settled(response.deliveryId);
          check(state === 'completed', `ticket ${id}: job ${state}: ${job.failedReason}`);
        }
      }),
    );
    check(
      latencies.length === tickets,
      `${tickets} tickets sent, ${latencies.length} written back`,
    );
    const written = [...p.zendesk.tickets.values()];
    const tagged = (tag: string) => written.filter((t) => t.tags.includes(tag)).length;
    check(
      tagged('deskplan_plan_product_x_standard') === tickets,
      `${tagged('deskplan_plan_product_x_standard')} of ${tickets} tickets tagged with their plan`,
    );
    const within = tagged('deskplan_within_quota');
    const over = tagged('deskplan_over_quota');
    check(
      within === Math.min(WEEKLY_LIMIT, tickets) && within + over === tickets,
      `${within} tickets within quota and ${over} over, of ${tickets} sent (expected ` +
        `${Math.min(WEEKLY_LIMIT, tickets)} within, unless the run crossed a Tokyo week start)`,
    );
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10,
      ) / 10;
    return { tickets: latencies.length, inFlight, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
  } finally {
    await p.close();
  }
}
