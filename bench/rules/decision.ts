// Per-call cost of a whole decision (resolve + decide, note included) for a ticket event.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ticketEventSchema } from '../../connectors/core/ticket.js';
import {
  compileTenant,
  decide,
  parseTenantRules,
  resolveTicket,
  withAllowances,
  type Usage,
} from '../../worker/rules/index.js';
import { check, SMOKE } from '../mode.js';

function tenant(name: string, change: (config: Record<string, unknown>) => void = () => {}) {
  const text = readFileSync(new URL(`../../docs/examples/${name}.yaml`, import.meta.url), 'utf8');
  const config = parse(text) as Record<string, unknown>;
  change(config);
  const parsed = parseTenantRules(config);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return compileTenant(parsed.rules);
}

/**
 * S1 with every plan feature on: weights by priority and hours, rollover, top-ups and a top-up
 * suggestion, exclusions, a reopen window, a renewal chain and expiry alerts.
 */
function everyFeature(config: Record<string, unknown>) {
  const [plan] = config.plans as Record<string, unknown>[];
  plan!.limits = [
    {
      max: 25,
      per: 'week',
      weights: {
        priority: { high: 1.5, urgent: 2 },
        outsideHours: { calendar: 'tokyo-office', weight: 1.5 },
      },
      reopen: { window: 3, after: 'new-count' },
    },
    { max: 50, per: 'month', rollover: { cap: '50%', expiresAfter: 2 } },
  ];
  plan!.exclude = { tags: ['internal'], requesterDomains: ['partner.example'] };
  plan!.suggestTopUpAt = 90;
  plan!.expiryAlerts = [30, 7];
  const [contract] = config.contracts as Record<string, unknown>[];
  config.contracts = [
    { ...contract, id: 'acme-2025', start: '2025-04-01', end: '2026-03-31' },
    {
      ...contract,
      renews: 'acme-2025',
      topUps: [
        {
          id: 'pack-1',
          units: 20,
          purchased: '2026-06-01',
          expires: '2027-03-31',
          limit: 'tickets-month',
        },
        { id: 'pack-2', units: 10, purchased: '2026-09-01', limit: 'tickets-month' },
      ],
    },
  ];
}

function time(fullIterations: number, fn: (i: number) => void): number {
  const iterations = SMOKE ? Math.ceil(fullIterations / 10) : fullIterations;
  for (let i = 0; i < Math.min(2000, iterations); i++) fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

export async function benchDecision() {
  const s1 = tenant('s1-product-plan');
  const events = Array.from({ length: 1000 }, (_, i) =>
    ticketEventSchema.parse({
      vendor: 'zendesk',
      tenantId: 's1',
      eventId: `e${i}`,
      kind: 'ticket.created',
      occurredAt: new Date(Date.UTC(2026, 10, 2) + i * 3_600_000).toISOString(),
      ticket: {
        id: String(i),
        subject: i % 3 ? `Product X issue number ${i} in the dashboard` : `請求書の再発行 ${i}`,
        status: { category: 'open', detail: 'open' },
        priority: { category: i % 2 ? 'high' : 'normal', detail: null },
        tags: i % 4 ? ['deskplan_plan_product_x_standard'] : [],
        requester: { id: '1', email: 'a@acme.example', name: null },
        account: { id: '1001', name: 'Acme', emailDomain: 'acme.example', attributes: {} },
        createdAt: new Date(Date.UTC(2026, 10, 2) + i * 3_600_000).toISOString(),
        updatedAt: new Date(Date.UTC(2026, 10, 2) + i * 3_600_000).toISOString(),
        firstAgentReplyAt: null,
      },
    }),
  );
  const usageFor = (keys: string[], i: number): Usage =>
    Object.fromEntries(
      keys.map((k) => [
        k,
        { count: (i % 60) + 1, units: (i % 60) + 1, position: i % 60, chargedNow: true },
      ]),
    );
  const resolutions = events.map((e) => resolveTicket(s1, e));
  const usages = resolutions.map((r, i) =>
    usageFor(
      r.counters.map((c) => c.key),
      i,
    ),
  );

  // Every English subject names Product X: its contract applies, with SLA dues while within quota.
  events.forEach((event, i) => {
    if (i % 3 === 0) return;
    const d = decide(s1, event, resolutions[i]!, usages[i]!);
    check(
      d.outcome === 'applied' &&
        d.product?.id === 'product-x' &&
        d.quota !== null &&
        (d.quota === 'over') === (d.sla === null),
      `event ${i} ("${event.ticket.subject}"): ${d.outcome}, product ${d.product?.id ?? 'none'}, ` +
        `quota ${d.quota}, SLA ${d.sla ? 'set' : 'none'}`,
    );
  });

  const resolveMicros = time(20_000, (i) => resolveTicket(s1, events[i % 1000]!));
  const decideMicros = time(20_000, (i) => {
    const k = i % 1000;
    decide(s1, events[k]!, resolutions[k]!, usages[k]!);
  });

  // The same events on S1 with every plan feature on, the allowance (rollover, top-ups) worked
  // out from earlier periods' units as the worker does after its one extra read.
  const full = tenant('s1-product-plan', everyFeature);
  const earlierUnits = (key: string) => (key.length % 7) * 3;
  const fullResolutions = events.map((e) => resolveTicket(full, e));
  const fullUsages = fullResolutions.map((r, i) =>
    usageFor(
      r.counters.map((c) => c.key),
      i,
    ),
  );
  events.forEach((event, i) => {
    if (i % 3 === 0) return;
    const u = withAllowances(fullResolutions[i]!, fullUsages[i]!, earlierUnits);
    const d = decide(full, event, fullResolutions[i]!, u);
    check(
      d.outcome === 'applied' &&
        d.usage.some((l) => l.extra !== null) &&
        d.contract?.scopeKey === 'acme-2025',
      `every feature, event ${i}: ${d.outcome}, scope ${d.contract?.scopeKey ?? 'none'}, ` +
        `allowance ${d.usage.map((l) => l.allowance).join('/')}`,
    );
  });
  const everyFeatureMicros = time(20_000, (i) => {
    const k = i % 1000;
    const r = resolveTicket(full, events[k]!);
    decide(full, events[k]!, r, withAllowances(r, fullUsages[k]!, earlierUnits));
  });
  const whole = resolveMicros + decideMicros;
  // The bound: every plan feature on costs at most twice a plain decision (smoke runs
  // are too short to time, so only full runs are held to it).
  if (!SMOKE) {
    check(
      everyFeatureMicros <= 2 * whole,
      `every feature on: ${round(everyFeatureMicros)} µs, more than twice ${round(whole)} µs`,
    );
  }
  return {
    tenant: 's1-product-plan',
    resolveMicros: round(resolveMicros),
    decideMicros: round(decideMicros),
    wholeDecisionMicros: round(whole),
    everyFeatureMicros: round(everyFeatureMicros),
    everyFeatureVsPlain: round(everyFeatureMicros / whole),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchDecision());
