import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiTokens } from '../../admin/api/api-tokens.js';
import { createAdminApi } from '../../admin/api/create-admin-api.js';
import type { Ticket } from '../../connectors/core/ticket.js';
import type { Decision } from '../../worker/rules/index.js';
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { AGENCY_TOKEN } from '../helpers/admin-api-harness.js';
import { startPipeline, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let url: string;
let close: () => Promise<void>;
beforeEach(async () => {
  p = await startPipeline({ example: 's3-importance' }); // Premium: resolve within 3 h, 24/7
  p.zendesk.addOrganization({ id: 2001 });
  const app = express();
  app.use(
    '/api',
    createAdminApi({
      tokens: new ApiTokens(p.redis.client, p.redis.prefix, AGENCY_TOKEN),
      tenantStore: p.tenants,
      catalog: new TenantCatalog(p.tenants, 0),
      ledger: p.ledger,
      logger: pino({ level: 'silent' }),
      slaIndex: new SlaIndex(p.redis.client, p.redis.prefix),
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterEach(async () => {
  await close();
  await p.close();
});

const get = async (path: string, token = AGENCY_TOKEN) => {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A Premium ticket whose 3-hour resolution target falls due `minutesLeft` from now. */
const ticketDueIn = (id: number, minutesLeft: number) => {
  const created = iso(Date.now() - 3 * 3_600_000 + minutesLeft * 60_000);
  return p.zendesk.addTicket({
    id,
    subject: `請求書 ${id}`,
    organization_id: 2001,
    created_at: created,
    updated_at: created,
  });
};

describe('admin API: SLA at risk and breached (worker-kept index, real Redis)', () => {
  it('lists breached tickets and those due within N minutes, with helpdesk links; solved ones leave', async () => {
    const breached = ticketDueIn(401, -20);
    const soon = ticketDueIn(402, 30);
    const later = ticketDueIn(403, 150);
    const solved = ticketDueIn(404, 10);
    for (const t of [breached, soon, later, solved]) {
      await p.settled((await p.post(p.trigger(t))).deliveryId);
    }
    solved.status = 'solved';
    solved.updated_at = iso(Date.now());
    await p.settled((await p.post(p.trigger(solved))).deliveryId);

    const res = await get(`/tenants/${TENANT}/sla?within=60`);
    expect(res.status).toBe(200);
    expect(res.body.breached.map((t: { ticketId: string }) => t.ticketId)).toEqual(['401']);
    expect(res.body.atRisk).toEqual([
      expect.objectContaining({
        ticketId: '402',
        subject: '請求書 402',
        policyId: 'premium',
        contractId: 'kaisha-premium',
        link: `${p.zendesk.baseUrl.replace(/\/$/, '')}/agent/tickets/402`,
        targets: [expect.objectContaining({ metric: 'resolution', breached: false })],
      }),
    ]);
    const minutesLeft = res.body.atRisk[0].targets[0].minutesLeft as number;
    expect(minutesLeft).toBeGreaterThanOrEqual(28);
    expect(minutesLeft).toBeLessThanOrEqual(30);

    const wide = await get(`/tenants/${TENANT}/sla?within=180`);
    expect(wide.body.atRisk.map((t: { ticketId: string }) => t.ticketId)).toEqual(['402', '403']);

    // A late, older delivery of the solved ticket does not bring it back.
    const index = new SlaIndex(p.redis.client, p.redis.prefix);
    expect(await index.size(TENANT)).toBe(3);
    const open = { due: iso(Date.now() + 600_000), fulfilledAt: null, breached: false };
    const olderDecision = {
      sla: { policyId: 'premium', priority: 'normal', resolution: open },
      contract: { id: 'kaisha-premium' },
    } as unknown as Decision;
    const olderTicket = {
      id: '404',
      subject: 'x',
      status: { category: 'open' },
      priority: { category: 'normal' },
      updatedAt: solved.created_at,
    } as unknown as Ticket;
    expect(await index.record(TENANT, olderDecision, olderTicket)).toBe(false);
    expect(await index.size(TENANT)).toBe(3);

    const other = await get(`/tenants/${TENANT}/sla`, 'dp_not-a-token');
    expect(other.status).toBe(401);
    const bad = await get(`/tenants/${TENANT}/sla?within=-5`);
    expect(bad.status).toBe(422);
  });
});
