// A tenant whose tickets went through the real pipeline (webhook → worker → ticket state, SLA
// index, ledger), with the admin API served beside it: what the Zendesk sidebar app reads.
import type { Express } from 'express';
import { AGENCY_TOKEN, startAdminApiOn } from './admin-api-harness.js';
import { startPipeline, TENANT } from './pipeline-harness.js';

export { AGENCY_TOKEN, TENANT };

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface TicketSummaryHarness {
  /** The deskplan server: /api, plus whatever `extend` mounted. */
  url: string;
  /** A token of the pipeline's tenant, and one of another tenant. */
  tenantToken: string;
  otherToken: string;
  /** Premium (org 2001): the open ticket, due in about 2 hours, counted within 20 a month. */
  premiumTicket: string;
  /** Basic (shoten.example.jp): 6 tickets on a 5-ticket plan, the last one over the allowance. */
  overTicket: string;
  close(): Promise<void>;
}

/** The s3-importance tenant (Premium 20/month resolved in 3 h; Basic 5/month, reply in 9 business h). */
export async function startTicketSummary(
  extend?: (app: Express) => void,
): Promise<TicketSummaryHarness> {
  const p = await startPipeline({ example: 's3-importance' });
  p.zendesk.addOrganization({ id: 2001 });
  const now = Date.now();
  const premium = p.zendesk.addTicket({
    id: 601,
    subject: 'Invoice question',
    organization_id: 2001,
    created_at: iso(now - 3_600_000),
    updated_at: iso(now - 3_600_000),
  });
  await p.settled((await p.post(p.trigger(premium))).deliveryId);
  p.zendesk.users.set(7001, { id: 7001, email: 'kanri@shoten.example.jp', name: 'Kanri' });
  let last = '';
  for (let i = 0; i < 6; i++) {
    const ticket = p.zendesk.addTicket({
      id: 700 + i,
      subject: `注文 ${i}`,
      requester_id: 7001,
      created_at: iso(now - (60 - i) * 60_000),
      updated_at: iso(now - (60 - i) * 60_000),
    });
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    last = String(ticket.id);
  }

  const api = await startAdminApiOn(p.redis, p.tenants, {}, extend);
  const { tokens } = api.deps;
  return {
    url: api.url,
    tenantToken: (await tokens.issue('zendesk sidebar', TENANT)).token,
    otherToken: (await tokens.issue('someone else', 'other-tenant')).token,
    premiumTicket: String(premium.id),
    overTicket: last,
    async close() {
      await api.close();
      await p.close();
    },
  };
}
