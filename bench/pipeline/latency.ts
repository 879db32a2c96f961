// Webhook → write-back latency through the whole service (receiver, queue, worker, ledger,
// decision, one PUT) against a fake Zendesk that answers at once. Needs REDIS_URL.
import { startPipeline } from '../../test/helpers/pipeline-harness.js';

export async function measureLatency(tickets: number, inFlight: number) {
  const p = await startPipeline({ example: 's1-product-plan' });
  p.zendesk.addOrganization({ id: 1001 });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  p.zendesk.onTicketUpdated = (ticket) => {
    const start = sentAt.get(ticket.id);
    if (start !== undefined && !latencies[ticket.id]) latencies.push(performance.now() - start);
    sentAt.delete(ticket.id);
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
        await p.settled(response.invocationId);
      }
    }),
  );
  await p.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) /
    10;
  return { tickets: latencies.length, inFlight, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}
