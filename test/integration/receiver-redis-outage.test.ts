// The receiver against a Redis of its own that dies and comes back (AOF on, so the tenant
// survives the kill): webhooks and /readyz answer 503 at once while it is away, and the first
// ready /readyz after it returns means webhooks are accepted again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signZendeskWebhook } from '../../connectors/zendesk/verify-signature.js';
import { startWeb } from '../../web-hooks/start-web.js';
import { startLocalRedis, type LocalRedis } from '../../worker/redis/start-local-redis.js';
import { createContext, type RuntimeContext } from '../../worker/runtime/create-context.js';
import { SECRET, TENANT, tenantFile } from '../helpers/pipeline-core.js';

const body = readFileSync(
  new URL('../fixtures/zendesk/trigger-created.json', import.meta.url),
  'utf8',
);
const logged: Array<Record<string, unknown>> = [];
const consoleError = vi.spyOn(console, 'error');
let dir: string;
let redis: LocalRedis;
let ctx: RuntimeContext;
let web: Awaited<ReturnType<typeof startWeb>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskplan-outage-redis-'));
  redis = await startLocalRedis({ dataDir: dir, appendOnly: true });
  ctx = await createContext({
    logger: pino(
      { level: 'info' },
      { write: (line: string) => void logged.push(JSON.parse(line)) },
    ),
    redisUrl: redis.url,
    prefix: 'outage',
  });
  await ctx.tenantStore.save(TENANT, tenantFile('s1-product-plan', 'http://127.0.0.1:9'));
  web = await startWeb(ctx, 0);
});
afterAll(async () => {
  await web?.close();
  await ctx?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
  consoleError.mockRestore();
});

let invocation = 0;
async function webhook() {
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${web.port}/webhooks/zendesk/${TENANT}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-id': '01HOUTAGE',
      'x-zendesk-webhook-invocation-id': `outage-${++invocation}`,
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': signZendeskWebhook(body, SECRET, timestamp),
    },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

async function readyz() {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${web.port}/readyz`);
  return {
    status: response.status,
    checks: ((await response.json()) as { checks: Record<string, string> }).checks,
    ms: performance.now() - started,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('receiver: a Redis outage fails fast and honestly', () => {
  it('accepts webhooks and is ready while Redis is up', async () => {
    expect((await webhook()).status).toBe(202);
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(ready.checks).toEqual({ queue: 'ok', tenants: 'ok' });
  });

  it('answers webhooks and /readyz with 503 within 1.5 s while Redis is down', async () => {
    process.kill(redis.pid, 'SIGKILL');
    await redis.stop(); // waits for the exit
    // At once (tenant still cached), and after the tenant cache and the reconnect backoff moved on.
    for (const wait of [0, 2_500, 1_500]) {
      await sleep(wait);
      const [w, r] = await Promise.all([webhook(), readyz()]);
      expect(w.status).toBe(503);
      expect(w.ms).toBeLessThan(1_500);
      expect(r.status).toBe(503);
      expect(r.ms).toBeLessThan(1_500);
      expect(r.checks).toEqual({ queue: 'failing', tenants: 'failing' });
    }
  });

  it('is ready again once Redis is back, and the first ready /readyz means webhooks are accepted', async () => {
    redis = await startLocalRedis({ dataDir: dir, appendOnly: true, port: redis.port });
    const back = performance.now();
    while ((await readyz()).status !== 200) {
      expect(performance.now() - back).toBeLessThan(5_000);
      await sleep(25);
    }
    expect((await webhook()).status).toBe(202);
  });

  it('logs Redis errors through the logger, each repeated error once, never raw on stderr', () => {
    const raw = consoleError.mock.calls.filter((args) =>
      /ioredis|ECONNREFUSED/i.test(args.join(' ')),
    );
    expect(raw).toEqual([]);
    const errors = logged.filter((line) => line.msg === 'redis connection error');
    expect(errors.length).toBeGreaterThan(0);
    // ~10 failed reconnects per connection in those seconds, each logged at most once.
    const refused = errors.filter((line) => line.code === 'ECONNREFUSED');
    const sources = new Set(refused.map((line) => line.source));
    expect(refused.length).toBe(sources.size);
    expect(logged.some((line) => line.msg === 'redis connection ready again')).toBe(true);
  });
});
