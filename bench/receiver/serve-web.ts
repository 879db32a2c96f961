// The webhook receiver as `deskplan web` runs it (createContext + startWeb), in a child process
// forked by the receiver benchmarks. REDIS_URL must be set (the parent's private redis-server).
// It sends {port} once listening, answers {rss: true} with its memory use, and stops when the
// parent disconnects (or dies); it leaves Ctrl-C to the parent.
import pino from 'pino';
import { startWeb } from '../../web-hooks/start-web.js';
import { createContext } from '../../worker/runtime/create-context.js';

if (!process.send || !process.env.REDIS_URL) {
  console.error('serve-web.ts is forked by the receiver benchmarks, with REDIS_URL set');
  process.exit(2);
}
const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'info' },
  pino.destination({ dest: process.env.BENCH_LOG_FILE ?? '/dev/null', sync: false }),
);
const ctx = await createContext({ logger });
const web = await startWeb(ctx, 0);
process.send({ port: web.port });
process.on('message', (message: { rss?: boolean }) => {
  if (!message.rss) return;
  globalThis.gc?.();
  process.send?.({ rss: process.memoryUsage().rss });
});
// A Ctrl-C in the terminal reaches this process too (same process group): the parent stops it,
// after its figures and in order (by disconnecting), so the signal itself is ignored here.
process.on('SIGINT', () => {});
process.on('disconnect', () => {
  const force = setTimeout(() => process.exit(0), 3_000);
  force.unref();
  void web
    .close()
    .then(() => ctx.close())
    .finally(() => process.exit(0));
});
