import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { loadedTenant } from '../tenant-lookup.js';
import { dueAsOf } from '../../../worker/stores/sla-index.js';

const targetSchema = z.object({
  metric: z.enum(['firstResponse', 'nextResponse', 'resolution']),
  due: z.string(),
  breached: z.boolean(),
  /** Minutes until the due instant (negative once it has passed). */
  minutesLeft: z.number().int(),
});

const ticketSchema = z.object({
  ticketId: z.string(),
  subject: z.string(),
  status: z.string(),
  priority: z.string().nullable(),
  policyId: z.string(),
  contractId: z.string().nullable(),
  /** The ticket in the helpdesk's agent interface, when the connector can say. */
  link: z.string().nullable(),
  targets: z.array(targetSchema),
});

/** A tenant's open SLA targets: tickets breached and tickets due within N minutes. */
export function registerSlaRoutes(
  registry: RouteRegistry,
  { catalog, slaIndex }: AdminDeps,
  now: () => number = Date.now,
): void {
  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/sla',
    summary:
      'Open tickets whose SLA target is breached, or due within the next `within` minutes (default 60), with links to the helpdesk',
    tag: 'sla',
    access: 'tenant',
    params: z.object({ tenantId: idSchema }),
    query: z
      .object({
        within: z.coerce.number().int().min(0).max(43_200).default(60),
        max: z.coerce.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    response: z.object({
      tenantId: z.string(),
      now: z.string(),
      within: z.number().int(),
      breached: z.array(ticketSchema),
      atRisk: z.array(ticketSchema),
    }),
    handler: async ({ params, query }) => {
      const loaded = await loadedTenant(catalog, params.tenantId);
      const nowMs = now();
      const until = nowMs + query.within * 60_000;
      const entries = await slaIndex.dueBefore(loaded.id, until, query.max);
      const breached: z.infer<typeof ticketSchema>[] = [];
      const atRisk: z.infer<typeof ticketSchema>[] = [];
      for (const entry of entries) {
        const targets = entry.dues.map((d) => dueAsOf(d, nowMs));
        const shown = targets.filter((t) => t.breached || Date.parse(t.due) <= until);
        if (shown.length === 0) continue;
        const ticket = {
          ticketId: entry.ticketId,
          subject: entry.subject,
          status: entry.status,
          priority: entry.priority,
          policyId: entry.policyId,
          contractId: entry.contractId,
          link: loaded.connector.agentTicketUrl?.(loaded.connection, entry.ticketId) ?? null,
          targets: shown,
        };
        (shown.some((t) => t.breached) ? breached : atRisk).push(ticket);
      }
      return {
        tenantId: loaded.id,
        now: new Date(nowMs).toISOString(),
        within: query.within,
        breached,
        atRisk,
      };
    },
  });
}
