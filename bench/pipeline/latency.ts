// Webhook → write-back latency through the whole service (receiver, queue, worker, ledger,
// decision, one PUT) against a fake Zendesk that answers at once, on the Redis at `redisUrl`.
// Checks that every ticket sent was processed and written back with the right plan and quota.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startPipelineOn } from '../../test/helpers/pipeline-core.js';
import { connectPrefixedRedis } from '../../test/helpers/prefixed-redis.js';
import { WEEKDAY_NAMES } from '../../worker/rules/config/calendar-schema.js';
import { periodOf } from '../../worker/rules/quota/period-of.js';
import { check } from '../mode.js';

const EXAMPLE = 's1-product-plan';
const PLAN = 'product-x-standard';

/** The example's weekly ticket limit of PLAN (Product X Standard: 25 a week, and 50 a month). */
function weeklyQuota() {
  const rules = parse(
    readFileSync(new URL(`../../docs/examples/${EXAMPLE}.yaml`, import.meta.url), 'utf8'),
  ) as {
    timeZone: string;
    weekStartsOn?: (typeof WEEKDAY_NAMES)[number];
    plans: { id: string; limits: { max: number; per: string; unit?: string }[] }[];
  };
  const limit = rules.plans
    .find((plan) => plan.id === PLAN)
    ?.limits.find((l) => l.per === 'week' && (l.unit ?? 'tickets') === 'tickets');
  if (!limit) throw new Error(`${EXAMPLE}: plan ${PLAN} has no weekly ticket limit`);
  /** Which quota week (in the example's time zone) instant `atMs` falls in. */
  const weekOf = (atMs: number) =>
    periodOf(
      {
        unit: 'week',
        reset: 'calendar',
        timeZone: rules.timeZone,
        weekStartsOn: (WEEKDAY_NAMES.indexOf(rules.weekStartsOn ?? 'mon') + 1) as 1,
        contractStart: '1970-01-01',
        contractEnd: null,
      },
      atMs,
    ).key;
  return { max: limit.max, weekOf };
}

export async function measureLatency(redisUrl: string, tickets: number, inFlight: number) {
  const weekly = weeklyQuota();
  const weekAtStart = weekly.weekOf(Date.now());
  const p = await startPipelineOn(connectPrefixedRedis(redisUrl, `bench-latency-${Date.now()}`), {
    example: EXAMPLE,
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
    // Within one quota week exactly the first `max` tickets are within quota. A run that crosses
    // a week start (Monday 00:00 in the example's zone) counts some in each week: then at least
    // `max` (or every ticket) and at most `max` per week are.
    const expected = Math.min(weekly.max, tickets);
    const weekChanged = weekly.weekOf(Date.now()) !== weekAtStart;
    check(
      within + over === tickets &&
        (weekChanged ? within >= expected && within <= 2 * weekly.max : within === expected),
      `${within} tickets within quota and ${over} over, of ${tickets} sent (expected ` +
        (weekChanged
          ? `${expected} to ${2 * weekly.max} within: the run crossed a week start)`
          : `${expected} within)`),
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
