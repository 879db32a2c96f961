import { z } from 'zod';
import { idSchema } from '../../../worker/rules/config/ids.js';
import { ApiError, notFound } from '../api-error.js';
import type { AdminDeps } from '../create-admin-api.js';
import type { RouteRegistry } from '../define-route.js';
import { loadedTenant } from '../tenant-lookup.js';
import { ticketSummaryOf, ticketSummarySchema } from '../ticket-summary.js';

export { ticketSummarySchema, type TicketSummary } from '../ticket-summary.js';

/**
 * One ticket as deskplan keeps it, for a helpdesk sidebar (the Zendesk app in manifests/zendesk,
 * the Freshdesk app in manifests/freshdesk): see ticketSummaryOf.
 */
export function registerTicketSummaryRoutes(
  registry: RouteRegistry,
  { catalog, ledger, slaIndex, ticketStates }: AdminDeps,
  now: () => number = Date.now,
): void {
  registry.add({
    method: 'get',
    path: '/tenants/:tenantId/tickets/:ticketId/summary',
    summary:
      "One ticket as deskplan handled it: contract, plan, the contract's usage this period, overage state and open SLA dues (for helpdesk sidebar apps)",
    tag: 'sla',
    access: 'tenant',
    params: z.object({
      tenantId: idSchema,
      ticketId: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9_-]+$/),
    }),
    response: ticketSummarySchema,
    handler: async ({ params }) => {
      if (!ticketStates) throw new ApiError(503, 'ticket state is not available here');
      const loaded = await loadedTenant(catalog, params.tenantId);
      const summary = await ticketSummaryOf(
        loaded,
        params.ticketId,
        { ledger, slaIndex, ticketStates },
        now(),
      );
      if (!summary) throw notFound(`ticket '${params.ticketId}'`);
      return summary;
    },
  });
}
