import express, { type Express } from 'express';
import { createReceiver, type ReceiverDeps } from './create-receiver.js';
import { sendError } from './send-error.js';

export interface WebAppDeps extends ReceiverDeps {
  /** Each named check resolves true when healthy. */
  readiness: Record<string, () => Promise<boolean>>;
}

/** The webhook HTTP app: the receiver, /healthz (alive) and /readyz (Redis and worker). */
export function createWebApp(deps: WebAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(deps.readiness).map(async ([name, check]) => {
        const ok = await check().catch(() => false);
        return [name, ok ? 'ok' : 'failing'] as const;
      }),
    );
    const ready = entries.every(([, s]) => s === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(entries) });
  });
  app.use(createReceiver(deps));
  app.use((_req, res) => sendError(res, 404, 'no such endpoint'));
  return app;
}
