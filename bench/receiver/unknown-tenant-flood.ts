// What a flood of webhooks to unknown tenants costs the receiver: RSS (after a GC) and log bytes
// before and after BENCH_FLOOD (100,000) POSTs to /webhooks/zendesk/<long random id>, from
// BENCH_CONCURRENCY (64) connections, against `deskplan web` wiring in a child process on a
// private redis-server. Only 127.0.0.1 is targeted; the run stops by itself (BENCH_LIMIT_S, 600).
// Writes bench/results/receiver-flood.json (receiver-flood-short.json with --short).
//   npx tsx bench/receiver/unknown-tenant-flood.ts [--short]   (--short: valid-looking ids)
// `--smoke` (or BENCH_SMOKE=1): 2,000 POSTs, the same checks, nothing written. The checks, in
// every mode: every POST answered 404, RSS growth under 150 MB, and under 2 KB of log per POST
// (an id is logged cut to 64 characters; one logged whole would be 8 KB).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanUp, privateRedis, run } from '../lifecycle.js';
import { aboutTheRun, check, SMOKE, writeResults } from '../mode.js';
import { mb, send, startReceiver } from './harness.js';

const FLOOD = Number(process.env.BENCH_FLOOD ?? (SMOKE ? 2_000 : 100_000));
const WARM_UP = SMOKE ? 50 : 200;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const ID_LENGTH = Number(process.env.BENCH_ID_LENGTH ?? 8_000);
const SHORT = process.argv.includes('--short');
const LIMIT_S = Number(process.env.BENCH_LIMIT_S ?? (SMOKE ? 60 : 600));
/** Generous on purpose: the fixed receiver grows ~30 MB over 100,000 POSTs, the leak ~2.5 GB. */
const MAX_RSS_GROWTH = 150 * 1024 * 1024;
/** Per POST; the fixed receiver logs ~0.3 KB (one 'webhook refused' line), the leak ~15 KB. */
const MAX_LOG_BYTES_PER_POST = 2 * 1024;

/** A long random id (base64url: letters, digits, - and _), or a valid-looking unknown one. */
const randomId = () =>
  SHORT
    ? `t-${randomBytes(12).toString('hex')}`
    : randomBytes(Math.ceil((ID_LENGTH * 3) / 4))
        .toString('base64url')
        .slice(0, ID_LENGTH);

/** The file's size once it has stopped growing for a second (the log is written async). */
async function settledSize(file: string): Promise<number> {
  let size = statSync(file).size;
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = statSync(file).size;
    if (now === size) break;
    size = now;
  }
  return size;
}

await run(async () => {
  if (SMOKE) console.log(`smoke mode: ${FLOOD} POSTs, figures are not results`);
  const loadAtStart = loadavg()[0]!;
  const logDir = mkdtempSync(join(tmpdir(), 'deskplan-bench-log-'));
  onCleanUp(() => rmSync(logDir, { recursive: true, force: true }));
  const logFile = join(logDir, 'receiver.log');
  const redis = await (await privateRedis()).start();
  const receiver = await startReceiver(redis.url, { BENCH_LOG_FILE: logFile });
  const body = JSON.stringify({ deskplan: '1' });
  const headers = { 'content-type': 'application/json' };
  const post = () =>
    send(receiver.port, { path: `/webhooks/zendesk/${randomId()}`, headers, body });
  // Warm-up: the code paths, the connections, the JIT.
  for (let i = 0; i < WARM_UP; i++) {
    const { status } = await post();
    check(status === 404, `warm-up: an unknown tenant got ${status}, not 404`);
  }
  const before = await receiver.rss();
  const logBefore = statSync(logFile).size;
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < FLOOD) {
        next++;
        const { status } = await post();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await receiver.rss();
  const logAfter = await settledSize(logFile);
  const logGrowth = logAfter - logBefore;
  const figures = {
    requests: FLOOD,
    ids: SHORT ? 'valid-looking unknown ids (t-<24 hex>)' : `random, ${ID_LENGTH} chars`,
    concurrency: CONCURRENCY,
    seconds: Number(seconds.toFixed(1)),
    statuses: Object.fromEntries(statuses),
    rssBefore: mb(before),
    rssAfter: mb(after),
    rssGrowth: mb(after - before),
    logGrowth: mb(logGrowth),
    logBytesPerRequest: Math.round(logGrowth / FLOOD),
  };
  console.log(JSON.stringify(figures, null, 2));

  check(
    statuses.get(404) === FLOOD && statuses.size === 1,
    `every unknown tenant should get 404; got ${JSON.stringify(figures.statuses)}`,
  );
  check(
    after - before < MAX_RSS_GROWTH,
    `receiver RSS grew ${mb(after - before)} (bound ${mb(MAX_RSS_GROWTH)})`,
  );
  check(logGrowth > 0, 'the receiver logged nothing: is BENCH_LOG_FILE honoured?');
  check(
    logGrowth / FLOOD < MAX_LOG_BYTES_PER_POST,
    `${figures.logBytesPerRequest} log bytes per refused POST (bound ${MAX_LOG_BYTES_PER_POST})`,
  );

  writeResults(SHORT ? 'receiver-flood-short' : 'receiver-flood', {
    ...aboutTheRun(loadAtStart),
    ...figures,
    rssBeforeBytes: before,
    rssAfterBytes: after,
    logGrowthBytes: logGrowth,
  });
}, LIMIT_S * 1000);
process.exit();
