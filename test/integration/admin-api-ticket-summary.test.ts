import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketSummarySchema } from '../../admin/api/routes/ticket-summary-routes.js';
import {
  AGENCY_TOKEN,
  startTicketSummary,
  TENANT,
  type TicketSummaryHarness,
} from '../helpers/ticket-summary-harness.js';

let h: TicketSummaryHarness;
beforeAll(async () => {
  h = await startTicketSummary();
}, 60_000);
afterAll(() => h?.close());

const get = async (path: string, token: string | null) => {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${h.url}/api${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const summaryOf = (ticketId: string) => `/tenants/${TENANT}/tickets/${ticketId}/summary`;

describe('GET /tenants/:tenantId/tickets/:ticketId/summary (worker-kept state, real Redis)', () => {
  it("answers the tenant's token with the plan, contract, usage and open dues of a ticket", async () => {
    const res = await get(summaryOf(h.premiumTicket), h.tenantToken);
    expect(res.status).toBe(200);
    expect(ticketSummarySchema.parse(res.body)).toBeTruthy();
    expect(res.body).toMatchObject({
      tenantId: TENANT,
      ticketId: h.premiumTicket,
      status: 'new',
      contract: { id: 'kaisha-premium' },
      plan: { id: 'premium', name: 'プレミアム' },
      counted: 'within',
      overage: { state: 'within', units: 0 },
      dashboardPath: `/tenants/${TENANT}`,
    });
    expect(res.body.usage).toEqual([
      expect.objectContaining({
        limit: expect.objectContaining({ unit: 'tickets', per: 'month' }),
        used: 1,
        allowance: 20,
        remaining: 19,
        overage: 0,
      }),
    ]);
    expect(res.body.dues).toEqual([
      expect.objectContaining({ metric: 'resolution', breached: false }),
    ]);
    // Created an hour ago with 3 h to resolve: about 2 h left.
    expect(res.body.dues[0].minutesLeft).toBeGreaterThanOrEqual(118);
    expect(res.body.dues[0].minutesLeft).toBeLessThanOrEqual(120);
    expect(res.body.link).toMatch(/\/agent\/tickets\/601$/);
  });

  it('says when the ticket was counted beyond its allowance', async () => {
    const res = await get(summaryOf(h.overTicket), h.tenantToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      contract: { id: 'shoten-basic' },
      plan: { id: 'basic', name: 'ベーシック' },
      counted: 'over',
      overage: { state: 'over', units: 1 },
    });
    expect(res.body.usage[0]).toMatchObject({ used: 6, allowance: 5, remaining: 0, overage: 1 });
    // The worker kept no open SLA target for the ticket counted over the allowance.
    expect(res.body.dues).toEqual([]);
    // The first Basic ticket was counted within, but the contract's period is now in overage.
    const first = await get(summaryOf('700'), h.tenantToken);
    expect(first.body).toMatchObject({ counted: 'within', overage: { state: 'over', units: 1 } });
    expect(first.body.dues).toEqual([
      expect.objectContaining({ metric: 'firstResponse', breached: false }),
    ]);
  });

  it('answers the agency token too', async () => {
    expect((await get(summaryOf(h.premiumTicket), AGENCY_TOKEN)).status).toBe(200);
  });

  it('answers 404 for a ticket deskplan never handled, and for an unknown tenant', async () => {
    const unknown = await get(summaryOf('999999'), h.tenantToken);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/ticket '999999' not found/);
    expect((await get('/tenants/no-such-tenant/tickets/601/summary', AGENCY_TOKEN)).status).toBe(
      404,
    );
  });

  it("refuses another tenant's token (403) and no token (401)", async () => {
    const other = await get(summaryOf(h.premiumTicket), h.otherToken);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body)).not.toContain('kaisha-premium');
    expect((await get(summaryOf(h.premiumTicket), null)).status).toBe(401);
  });

  it('validates the ticket id (422)', async () => {
    expect((await get(summaryOf('a%20b'), h.tenantToken)).status).toBe(422);
  });
});
