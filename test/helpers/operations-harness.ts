// The pipeline (receiver, workers, fake Zendesk, real Redis) with the operations surface on top:
// the admin API with its operations routes at /api, and /metrics and /admin/queues.
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { ApiTokens } from '../../admin/api/api-tokens.js';
import { createAdminApi } from '../../admin/api/create-admin-api.js';
import { principalResolver } from '../../admin/api/resolve-principal.js';
import { createOperationsRouter } from '../../admin/operations/create-operations-router.js';
import { SlaIndex } from '../../worker/stores/sla-index.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { startPipeline, type PipelineOptions } from './pipeline-harness.js';

export const OPS_AGENCY_TOKEN = 'agency-token-for-ops-tests-0123456789';

export async function startOperations(options: PipelineOptions & { metricsPublic?: boolean } = {}) {
  const p = await startPipeline(options);
  const logger = pino({ level: 'silent' });
  const tokens = new ApiTokens(p.redis.client, p.redis.prefix, OPS_AGENCY_TOKEN);
  const queues = { events: p.queue, timers: p.timers! };
  const app = express();
  app.use(
    '/api',
    createAdminApi({
      tokens,
      tenantStore: p.tenants,
      catalog: new TenantCatalog(p.tenants, 0),
      ledger: p.ledger,
      logger,
      slaIndex: new SlaIndex(p.redis.client, p.redis.prefix),
      operations: { queues, pause: p.pause },
    }),
  );
  const ops = createOperationsRouter({
    resolve: principalResolver(tokens),
    queues: [queues.events, queues.timers],
    logger,
    metricsPublic: options.metricsPublic,
  });
  app.use(ops);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** A request to the operations app with a token (default the agency's); JSON when it is. */
  async function call(
    method: string,
    path: string,
    token: string | null = OPS_AGENCY_TOKEN,
  ): Promise<{ status: number; text: string; body: Record<string, unknown> | null }> {
    const res = await fetch(`${base}${path}`, {
      method: method.toUpperCase(),
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = null;
    }
    return { status: res.status, text, body };
  }

  return {
    ...p,
    tokens,
    call,
    /** Where the operations app listens (the admin API at /api, /metrics, /admin/queues). */
    url: base,
    async close() {
      ops.close();
      await new Promise((resolve) => server.close(resolve));
      await p.close();
    },
  };
}
