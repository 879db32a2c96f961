import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await useTestRedis();
});
afterAll(() => redis.close());

const month = 'acme/tickets-month/month-2026-11-01';
const replies = 'acme/responses-month/month-2026-11-01';
const T = Date.now();

/** Webhooks as the ledger sees them: which ticket, whether the body shows the waive tag, the
 * body's updatedAt (bodies may arrive out of order), and a public agent reply if any. */
const deliveries = fc.array(
  fc.record({
    ticket: fc.integer({ min: 1, max: 6 }),
    waived: fc.boolean(),
    asOf: fc.integer({ min: 1, max: 40 }),
    reply: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  }),
  { minLength: 1, maxLength: 30 },
);

/** Each ticket's weight (0.001 … 3 units): fixed per ticket, as at its counting moment. */
const weights = fc.array(
  fc.integer({ min: 1, max: 3000 }).map((t) => t / 1000),
  {
    minLength: 6,
    maxLength: 6,
  },
);

let run = 0;

describe('quota ledger under any sequence of events, waives and retries (property, real Redis)', () => {
  it('uses exactly the weights of the counted tickets that are not waived', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveries,
        weights,
        fc.array(fc.nat(), { maxLength: 10 }),
        async (sequence, weightOf, retries) => {
          const tenant = `prop-${++run}`;
          const ledger = new QuotaLedger(redis.client, redis.prefix);
          // Retries: some deliveries are delivered again, right after the original.
          const withRetries = sequence.flatMap((d, i) =>
            retries.includes(i)
              ? [
                  { d, id: `e${i}` },
                  { d, id: `e${i}` },
                ]
              : [{ d, id: `e${i}` }],
          );
          // The model: each ticket's waive state is taken from the newest body seen (an older
          // body, waived or not, changes nothing); a ticket is counted by the first event that
          // finds it not waived.
          const state = new Map<number, { waived: boolean; asOf: number }>();
          const counted = new Set<number>();
          const countedReplies = new Map<string, number>();
          for (const { d, id } of withRetries) {
            const weight = weightOf[d.ticket - 1]!;
            await ledger.charge(
              tenant,
              [
                { key: month, member: `ticket-${d.ticket}`, weight },
                ...(d.reply === null
                  ? []
                  : [{ key: replies, member: `reply-${d.ticket}-${d.reply}` }]),
              ],
              id,
              T,
              { id: String(d.ticket), waived: d.waived, asOfMs: d.asOf, by: 'agent' },
            );
            const before = state.get(d.ticket);
            if (!before || d.asOf >= before.asOf) {
              state.set(d.ticket, { waived: d.waived, asOf: d.asOf });
            }
            if (!state.get(d.ticket)?.waived) {
              counted.add(d.ticket);
              if (d.reply !== null) countedReplies.set(`${d.ticket}-${d.reply}`, d.ticket);
            }
          }
          const live = (t: number) => counted.has(t) && !state.get(t)?.waived;
          const expected = [...counted]
            .filter(live)
            .reduce((n, t) => n + Math.round(weightOf[t - 1]! * 1000), 0);

          const usage = await ledger.usage(tenant, month);
          expect(Math.round(usage.units * 1000)).toBe(expected);
          expect(usage.entries.map((e) => e.member).sort()).toEqual(
            [...counted]
              .filter(live)
              .map((t) => `ticket-${t}`)
              .sort(),
          );
          expect(usage.waived.map((e) => e.member).sort()).toEqual(
            [...counted]
              .filter((t) => !live(t))
              .map((t) => `ticket-${t}`)
              .sort(),
          );
          const sum = usage.entries.reduce((n, e) => n + Math.round(e.weight * 1000), 0);
          expect(sum).toBe(expected);
          // Replies of a waived ticket are released with it.
          const liveReplies = [...countedReplies.values()].filter(live).length;
          expect((await ledger.usage(tenant, replies)).count).toBe(liveReplies);
        },
      ),
      { numRuns: 40 },
    );
  });
});
