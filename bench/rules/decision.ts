// Per-call cost of a whole decision (resolve + decide, note included) for a ticket event.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ticketEventSchema } from '../../connectors/core/ticket.js';
import {
  compileTenant,
  decide,
  parseTenantRules,
  resolveTicket,
  type Usage,
} from '../../worker/rules/index.js';
import { check, SMOKE } from '../mode.js';

function tenant(name: string) {
  const text = readFileSync(new URL(`../../docs/examples/${name}.yaml`, import.meta.url), 'utf8');
  const parsed = parseTenantRules(parse(text));
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return compileTenant(parsed.rules);
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
  return {
    tenant: 's1-product-plan',
    resolveMicros: round(resolveMicros),
    decideMicros: round(decideMicros),
    wholeDecisionMicros: round(resolveMicros + decideMicros),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchDecision());
