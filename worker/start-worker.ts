import { zendeskOAuthCredentialsFrom } from '../connectors/zendesk/oauth-client-config.js';
import { SealedTokenStore } from './stores/sealed-token-store.js';
import { loadSecretKey } from './tenants/seal-secrets.js';
import { callbackDeliveries } from './runtime/metrics.js';
import { createCallbacks, startCallbackWorker } from './callbacks/start-callbacks.js';
import { createWorkers } from './create-workers.js';
import { redisReady } from './redis/connect-redis.js';
import { SlaIndex } from './stores/sla-index.js';
import type { RuntimeContext } from './runtime/create-context.js';
import { OnceMarks } from './stores/once-marks.js';
import { ReplyCutoff } from './stores/reply-cutoff.js';
import { TenantPause } from './stores/tenant-pause.js';

/** Starts the event and timer workers; close() finishes active jobs and hands back the rest. */
export function startWorker(
  ctx: RuntimeContext,
  concurrency = Number(process.env.WORKER_CONCURRENCY ?? 20),
) {
  const connection = ctx.connection('worker');
  // Outgoing callbacks (docs/callbacks.md); each attempt's outcome is counted in /metrics.
  const callbacks = createCallbacks(ctx);
  // deskplan's global OAuth client: what renews tenants' expiring Zendesk OAuth tokens.
  const zendeskOAuth = zendeskOAuthCredentialsFrom();
  const callbackWorker = startCallbackWorker(ctx, callbacks.history, (outcome) =>
    callbackDeliveries.inc({ outcome }),
  );
  const workers = createWorkers({
    connection,
    prefix: ctx.prefix,
    catalog: ctx.catalog,
    ledger: ctx.ledger,
    ticketStates: ctx.ticketStates,
    gate: ctx.gate,
    replyCutoff: new ReplyCutoff(ctx.client, ctx.prefix),
    logger: ctx.logger,
    concurrency,
    slaIndex: new SlaIndex(ctx.client, ctx.prefix),
    pause: new TenantPause(ctx.client, ctx.prefix),
    marks: new OnceMarks(ctx.client, ctx.prefix),
    callbacks: callbacks.outbox,
    // Vendor access tokens (Help Scout OAuth, renewed Zendesk OAuth pairs) shared by every
    // process, encrypted at rest.
    http: {
      tokens: new SealedTokenStore(ctx.client, ctx.prefix, loadSecretKey()),
      ...(zendeskOAuth ? { oauthClients: { zendesk: zendeskOAuth } } : {}),
    },
  });
  ctx.logger.info({ concurrency }, 'worker running');
  return {
    ...workers,
    callbackWorker,
    async close() {
      await workers.close();
      await callbackWorker.close();
      await callbacks.close();
    },
    isRunning: () => workers.events.isRunning() && workers.timers.isRunning(),
    /**
     * Running, and both connections its jobs use (BullMQ's and the stores') answer now. Neither
     * has a commandTimeout: the caller bounds the wait (/readyz runs it within a second).
     */
    async isReady() {
      if (!workers.events.isRunning() || !workers.timers.isRunning()) return false;
      const [own, stores] = await Promise.all([redisReady(connection), redisReady(ctx.client)]);
      return own && stores;
    },
  };
}
