import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { createReceiver, type ReceiverDeps } from './create-receiver.js';
import { clip, sendError } from './send-error.js';

export interface WebAppDeps extends ReceiverDeps {
  /** Each named check resolves true when healthy. */
  readiness: Record<string, () => Promise<boolean>>;
  /** A check that has not answered within this long counts as failing; default 1 s. */
  readinessTimeoutMs?: number;
  /** The admin API, mounted at /api, when this process serves it. */
  admin?: Router;
  /** Other routes at the root, before the receiver (operations: /metrics, /admin/queues). */
  extra?: Router;
  /** The pages (login, overview, tenant and customer pages), mounted at /, when served. */
  pages?: Router;
}

/** The check's answer, or false when it throws or takes longer than `ms`. */
async function within(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return (await Promise.race([Promise.resolve().then(check), late])) === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The webhook HTTP app: the receiver, /healthz (alive) and /readyz (Redis and worker). */
export function createWebApp(deps: WebAppDeps): Express {
  const app = express();
  const readinessTimeoutMs = deps.readinessTimeoutMs ?? 1_000;
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(deps.readiness).map(async ([name, check]) => {
        const ok = await within(check, readinessTimeoutMs);
        return [name, ok ? 'ok' : 'failing'] as const;
      }),
    );
    const ready = entries.every(([, s]) => s === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(entries) });
  });
  if (deps.admin) app.use('/api', deps.admin);
  if (deps.extra) app.use(deps.extra);
  if (deps.pages) app.use(deps.pages);
  app.use(createReceiver(deps));
  app.use((_req, res) => sendError(res, 404, 'no such endpoint'));
  // Whatever escaped the handlers above (a path that cannot be decoded, a bug): a JSON answer,
  // never express's HTML page with a stack trace.
  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const given = (error ?? {}) as { status?: unknown; statusCode?: unknown; expose?: unknown };
    const candidate = Number(given.status ?? given.statusCode);
    const status =
      Number.isInteger(candidate) && candidate >= 400 && candidate < 600 ? candidate : 500;
    if (status >= 500) {
      deps.logger.error({ err: error, method: req.method, path: clip(req.path) }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const exposed = given.expose === true && status < 500;
    const message =
      error instanceof URIError
        ? 'the path is not valid percent-encoded UTF-8'
        : exposed && error instanceof Error
          ? clip(error.message, 200)
          : status < 500
            ? 'bad request'
            : 'internal error';
    sendError(res, status, message);
  };
  app.use(onError);
  return app;
}
