// How the receiver behaves while Redis is down and when it comes back, against `deskplan web`
// wiring in a child process and a private redis-server (AOF on, so the tenant survives a kill):
// - time to answer a signed webhook, and /readyz, after Redis is killed (SIGKILL), a few times;
// - after Redis is restarted on the same port: time to the first ready /readyz and to the first
//   202, and whether a webhook sent right after that first ready /readyz was accepted.
// Only 127.0.0.1 is targeted; the run stops by itself (BENCH_LIMIT_S, 300). Writes
// bench/results/receiver-redis-outage.json.
//   npx tsx bench/receiver/redis-outage.ts
// `--smoke` (or BENCH_SMOKE=1): a 1-second outage (two probes), the same checks, nothing written.
// The checks, in every mode: a 202 and a ready /readyz before the outage; while Redis is down,
// every webhook and /readyz answered 503 within 3 s; after the restart, a ready /readyz and a 202
// within 10 s, and a webhook sent right after that first ready /readyz accepted (202).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import {
  SECRET,
  signedWebhookHeaders,
  TENANT,
  tenantFile,
} from '../../test/helpers/pipeline-core.js';
import { privateRedis, run } from '../lifecycle.js';
import { aboutTheRun, check, SMOKE, writeResults } from '../mode.js';
import { send, startReceiver } from './harness.js';

/** When, after the kill, a webhook and a /readyz are sent (together). */
const PROBES_MS = SMOKE ? [0, 1_000] : [0, 500, 1_000, 3_000, 6_000, 10_000];
const LIMIT_S = Number(process.env.BENCH_LIMIT_S ?? (SMOKE ? 60 : 300));
/** Generous bounds for a noisy 2-core machine; the original receiver took ~20 s for its 503. */
const MAX_DOWN_ANSWER_MS = 3_000;
const MAX_BACK_MS = 10_000;
/** How long to wait for Redis's return to show before giving up. */
const GIVE_UP_MS = SMOKE ? 15_000 : 60_000;

const body = readFileSync(
  new URL('../../test/fixtures/zendesk/trigger-created.json', import.meta.url),
  'utf8',
);
let invocation = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - started), value };
}

await run(async () => {
  if (SMOKE) console.log('smoke mode: one short outage, figures are not results');
  const loadAtStart = loadavg()[0]!;
  process.env.DESKPLAN_SECRET_KEY ??= randomBytes(32).toString('base64');
  const redis = await privateRedis({ appendOnly: true });
  let server = await redis.start();
  const port = server.port;
  const admin = new Redis(server.url, { lazyConnect: true });
  try {
    await admin.connect();
    await new TenantStore(admin, 'deskplan').save(
      TENANT,
      tenantFile('s1-product-plan', 'http://127.0.0.1:9'),
    );
  } finally {
    admin.disconnect();
  }
  const receiver = await startReceiver(server.url, {
    DESKPLAN_SECRET_KEY: process.env.DESKPLAN_SECRET_KEY,
  });

  const webhook = () =>
    send(receiver.port, {
      path: `/webhooks/zendesk/${TENANT}`,
      headers: signedWebhookHeaders(body, {
        secret: SECRET,
        invocationId: `bench-${++invocation}`,
        webhookId: '01HBENCH',
      }),
      body,
    });
  const readyz = () => send(receiver.port, { method: 'GET', path: '/readyz' });

  const first = await webhook();
  check(first.status === 202, `a webhook before the outage got ${first.status}, not 202`);
  const firstReadyz = await readyz();
  check(firstReadyz.status === 200, `/readyz before the outage: ${firstReadyz.status}`);

  // Redis dies.
  process.kill(server.pid, 'SIGKILL');
  await server.stop(); // waits for the exit
  const down: Array<{ afterKillMs: number; webhook: string; readyz: string }> = [];
  const downMs: { webhook: number[]; readyz: number[] } = { webhook: [], readyz: [] };
  const killedAt = performance.now();
  for (const at of PROBES_MS) {
    await sleep(Math.max(0, at - (performance.now() - killedAt)));
    const afterKillMs = Math.round(performance.now() - killedAt);
    const [w, r] = await Promise.all([timed(webhook), timed(readyz)]);
    down.push({
      afterKillMs,
      webhook: `${w.value.status} in ${w.ms} ms`,
      readyz: `${r.value.status} in ${r.ms} ms`,
    });
    downMs.webhook.push(w.ms);
    downMs.readyz.push(r.ms);
    check(
      w.value.status === 503 && w.ms < MAX_DOWN_ANSWER_MS,
      `Redis down ${afterKillMs} ms: a webhook got ${w.value.status} in ${w.ms} ms ` +
        `(expected 503 within ${MAX_DOWN_ANSWER_MS} ms)`,
    );
    check(
      r.value.status === 503 && r.ms < MAX_DOWN_ANSWER_MS,
      `Redis down ${afterKillMs} ms: /readyz got ${r.value.status} in ${r.ms} ms ` +
        `(expected 503 within ${MAX_DOWN_ANSWER_MS} ms)`,
    );
  }

  // Redis comes back on the same port, with its AOF. Two loops at once: /readyz until it is
  // ready (then one webhook), and webhooks until one is accepted.
  server = await redis.start(port);
  const backAt = performance.now();
  const since = () => Math.round(performance.now() - backAt);
  const seen: { firstReady: { ms: number; webhookRightAfter: number } | null } = {
    firstReady: null,
  };
  let first202: number | null = null;
  const readiness = (async () => {
    while (!seen.firstReady && since() < GIVE_UP_MS) {
      if ((await readyz()).status === 200) {
        const ms = since();
        seen.firstReady = { ms, webhookRightAfter: (await webhook()).status };
      } else await sleep(20);
    }
  })();
  const accepted = (async () => {
    while (first202 === null && since() < GIVE_UP_MS) {
      if ((await webhook()).status === 202) first202 = since();
      else await sleep(20);
    }
  })();
  await Promise.all([readiness, accepted]);
  const figures = {
    whileDown: down,
    afterRestart: {
      firstReadyMs: seen.firstReady?.ms ?? null,
      webhookRightAfterFirstReady: seen.firstReady?.webhookRightAfter ?? null,
      first202Ms: first202,
    },
  };
  console.log(JSON.stringify(figures, null, 2));

  const { firstReadyMs, webhookRightAfterFirstReady, first202Ms } = figures.afterRestart;
  check(
    firstReadyMs !== null && firstReadyMs < MAX_BACK_MS,
    `Redis back: no ready /readyz within ${MAX_BACK_MS} ms (${firstReadyMs ?? 'none'})`,
  );
  check(
    first202Ms !== null && first202Ms < MAX_BACK_MS,
    `Redis back: no webhook accepted within ${MAX_BACK_MS} ms (${first202Ms ?? 'none'})`,
  );
  check(
    webhookRightAfterFirstReady === 202,
    `a webhook right after the first ready /readyz got ${webhookRightAfterFirstReady}, not 202`,
  );

  writeResults('receiver-redis-outage', {
    ...aboutTheRun(loadAtStart),
    ...figures,
    whileDownMs: {
      webhook: { min: Math.min(...downMs.webhook), max: Math.max(...downMs.webhook) },
      readyz: { min: Math.min(...downMs.readyz), max: Math.max(...downMs.readyz) },
    },
  });
}, LIMIT_S * 1000);
process.exit();
