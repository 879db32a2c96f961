import type { Server } from 'node:http';
import type { RuntimeContext } from '../worker/runtime/create-context.js';
import { createEventQueue } from '../worker/queues/event-queue.js';
import { createWebApp } from './create-web-app.js';

/** Starts the webhook receiver on `port`; returns how to stop it (stops taking requests first). */
export async function startWeb(
  ctx: RuntimeContext,
  port: number,
  extraReadiness: Record<string, () => Promise<boolean>> = {},
) {
  const queue = createEventQueue(ctx.connection('queue'), ctx.prefix);
  const app = createWebApp({
    tenants: ctx.catalog,
    logger: ctx.logger,
    enqueue: async (data, jobId) => {
      await queue.add('ticket-event', data, { jobId });
    },
    readiness: {
      redis: async () => (await ctx.client.ping()) === 'PONG',
      ...extraReadiness,
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, () => resolve(s));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  ctx.logger.info({ port: actualPort }, 'webhook receiver listening');
  return {
    server,
    port: actualPort,
    queue,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await queue.close();
    },
  };
}
