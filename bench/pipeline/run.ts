// npm run bench:pipeline — webhook ingest next to a bare express echo, the bare express +
// queue.add stack and a bare queue.add loop, interleaved in the same run, then webhook→write-back
// latency. Writes bench/results/pipeline.json.
// `--smoke` (or BENCH_SMOKE=1): one short round and 40 tickets, every check, nothing written.
// With no REDIS_URL it starts its own redis-server; whatever it started is stopped on every way
// out (the end, an error, Ctrl-C, SIGTERM).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { signZendeskWebhook, ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { FakeZendesk } from '../../test/fakes/fake-zendesk.js';
import { renderTrigger } from '../../test/fakes/render-trigger.js';
import { EVENTS_QUEUE } from '../../worker/queues/event-queue.js';
import { createRedisConnection } from '../../worker/redis/connect-redis.js';
import {
  freePort,
  startLocalRedis,
  type LocalRedis,
} from '../../worker/redis/start-local-redis.js';
import { check, SMOKE, writeResults } from '../mode.js';
import { BENCH_SECRET } from './bench-tenant.js';
import { measureLatency } from './latency.js';
import { load } from './load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 0.5 : 4));
const WARM_UP_SECONDS = SMOKE ? 0.2 : 2;
const TICKETS = Number(process.env.BENCH_TICKETS ?? (SMOKE ? 40 : 400));
const CONCURRENCY = 32;
const root = fileURLToPath(new URL('../../', import.meta.url));

// ---- Everything this run starts, and stopping it on every way out ----

const children = new Set<ChildProcess>();
let redis: LocalRedis | null = null;
let redisDir: string | null = null;
const queues: Queue[] = [];
const connections: { disconnect(): void }[] = [];

function stopChild(proc: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    proc.once('exit', () => (clearTimeout(kill), done()));
    proc.kill('SIGTERM');
  });
}

let stopping: Promise<void> | null = null;
let interrupted = false;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    await Promise.allSettled(queues.map((q) => q.close()));
    connections.forEach((c) => c.disconnect());
    await Promise.allSettled([...children].map(stopChild));
    await redis?.stop();
    redis = null;
    if (redisDir) rmSync(redisDir, { recursive: true, force: true });
  })();
  return stopping;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  // Kept for repeats: a Ctrl-C may arrive twice (from the terminal and from bench:smoke).
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping the arms and Redis this run started`);
    void stopAll().finally(() => process.exit(code));
  });
}
// Last resort when the process ends some other way ('exit' handlers must be synchronous). The
// arms also exit by themselves when their IPC channel to this process closes.
process.on('exit', () => {
  for (const proc of children) proc.kill('SIGKILL');
  if (redis) process.kill(redis.pid, 'SIGTERM');
});

/** One arm in its own process; `line` is its first line of output (ready, or its figures). */
function startArm(args: string[]) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/pipeline/arms.ts', ...args], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.add(proc);
  const exited = new Promise<number | null>((done) =>
    proc.once('exit', (code) => (children.delete(proc), done(code))),
  );
  const line = new Promise<string>((resolve, reject) => {
    let out = '';
    const timeout = setTimeout(
      () => reject(new Error(`arm ${args[0]}: no output within 60 s`)),
      60_000,
    );
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timeout);
      resolve(out.slice(0, out.indexOf('\n')));
    });
    void exited.then((code) => {
      clearTimeout(timeout);
      reject(new Error(`arm ${args[0]} exited (code ${code}) before it answered`));
    });
  });
  line.catch(() => {}); // awaited by the caller; this only keeps a late rejection quiet
  return { proc, line, exited };
}

// ---- The run ----

async function main() {
  const loadAtStart = loadavg()[0]!;
  if (SMOKE) console.log('smoke mode: one short round, figures are not results');
  if (!process.env.REDIS_URL) {
    redisDir = mkdtempSync(join(tmpdir(), 'deskplan-bench-'));
    redis = await startLocalRedis({ dataDir: redisDir, appendOnly: false });
  }
  const redisUrl = process.env.REDIS_URL ?? redis!.url;
  const prefix = `bench-${Date.now()}`;
  // The arms read these.
  process.env.REDIS_URL = redisUrl;
  process.env.BENCH_PREFIX = prefix;

  // A ~1 KB trigger delivery. A delivery's identity is its signed body, so each request carries
  // its own (a distinct update of the ticket) and is signed on its own, as Zendesk would.
  const fake = new FakeZendesk();
  const sample = fake.addTicket({
    id: 1,
    subject: 'Product X: login fails after the update',
    organization_id: 1001,
    tags: ['vip', 'billing', 'japan'],
  });
  const template = renderTrigger(ZENDESK_TRIGGER_BODY, sample, {
    requesterEmail: 'pat@acme.example',
  });
  const bodyOf = (n: number) =>
    template.replace('"deskplan": "1",', `"deskplan": "1",\n  "bench": "${n}",`).padEnd(980, ' ');
  const body = bodyOf(0);
  const stampNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

  const [echoPort, expressAddPort, ingestPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const echo = startArm(['echo', String(echoPort)]);
  const expressAdd = startArm(['express-add', String(expressAddPort)]);
  const ingest = startArm(['ingest', String(ingestPort)]);
  await Promise.all([echo.line, expressAdd.line, ingest.line]);

  // The queues the two enqueuing arms fill (no worker takes from them): after each round every
  // accepted request must be there as one job; then they are emptied for the next round.
  // Counting and draining a round's jobs can take longer than the fail-fast 'queue' role allows.
  const connection = createRedisConnection(redisUrl, 'client');
  connections.push(connection);
  const expressAddQueue = new Queue(EVENTS_QUEUE, { connection, prefix: `${prefix}-express` });
  const ingestQueue = new Queue(EVENTS_QUEUE, { connection, prefix });
  queues.push(expressAddQueue, ingestQueue);
  const jobsIn = async (queue: Queue) =>
    Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0);

  let invocation = 0;
  const arm = async (port: number, seconds: number, round: string) => {
    const timestamp = stampNow();
    const result = await load({
      port,
      path: '/webhooks/zendesk/bench',
      seconds,
      concurrency: CONCURRENCY,
      request: () => {
        const n = ++invocation;
        const text = bodyOf(n);
        return {
          body: text,
          headers: {
            'content-type': 'application/json',
            'x-zendesk-webhook-invocation-id': `${round}-${n}`,
            'x-zendesk-webhook-signature-timestamp': timestamp,
            'x-zendesk-webhook-signature': signZendeskWebhook(text, BENCH_SECRET, timestamp),
          },
        };
      },
    });
    check(result.non2xx === 0, `port ${port}: ${result.non2xx} non-2xx answers`);
    check(result.ok > 0, `port ${port}: no request answered`);
    return result;
  };
  const emptyQueues = async () => {
    await expressAddQueue.drain(true);
    await ingestQueue.drain(true);
  };

  // Warm-up, not recorded: JIT, connections, the tenant cache.
  for (const port of [echoPort, expressAddPort, ingestPort]) {
    await arm(port, WARM_UP_SECONDS, 'warm-up');
  }
  await emptyQueues();

  const rounds: { echo: number; expressAdd: number; ingest: number; queueAdd: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const e = await arm(echoPort, SECONDS, String(r));
    const x = await arm(expressAddPort, SECONDS, String(r));
    const i = await arm(ingestPort, SECONDS, String(r));
    const q = startArm(['queue-add', String(SECONDS)]);
    const bare = JSON.parse(await q.line) as { perSecond: number; added: number; counted: number };
    check((await q.exited) === 0, 'the queue-add arm failed');
    check(bare.added > 0 && bare.counted === bare.added, `queue.add: ${JSON.stringify(bare)}`);
    const [xJobs, iJobs] = [await jobsIn(expressAddQueue), await jobsIn(ingestQueue)];
    check(xJobs === x.ok, `express + queue.add: ${x.ok} requests accepted, ${xJobs} jobs`);
    check(iJobs === i.ok, `deskplan ingest: ${i.ok} webhooks accepted, ${iJobs} jobs`);
    await emptyQueues();
    rounds.push({
      echo: e.perSecond,
      expressAdd: x.perSecond,
      ingest: i.perSecond,
      queueAdd: bare.perSecond,
    });
    console.log(
      `round ${r + 1}/${ROUNDS}: echo ${e.perSecond.toFixed(0)}/s, ` +
        `express+queue.add ${x.perSecond.toFixed(0)}/s, ingest ${i.perSecond.toFixed(0)}/s, ` +
        `bare queue.add ${bare.perSecond.toFixed(0)}/s; ` +
        `ingest / (express+queue.add) ${(i.perSecond / x.perSecond).toFixed(2)}`,
    );
  }
  await Promise.all([echo, expressAdd, ingest].map(({ proc }) => stopChild(proc)));

  const round2 = (n: number) => Math.round(n * 100) / 100;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = (k: 'echo' | 'expressAdd' | 'queueAdd') =>
    Math.round(median(rounds.map((x) => x.ingest / x[k])) * 100) / 100;
  const latency = await measureLatency(redisUrl, TICKETS, 8);
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    setup: {
      rounds: ROUNDS,
      secondsPerArm: SECONDS,
      warmUpSecondsPerArm: WARM_UP_SECONDS,
      concurrency: CONCURRENCY,
      bodyBytes: Buffer.byteLength(body),
      loadGenerator: 'same machine, separate process from the servers',
      // 1-minute load average of the machine (others' work shows here): 2 cores = 2.0.
      loadAverage: { atStart: round2(loadAtStart), atEnd: round2(loadavg()[0]!) },
    },
    rounds,
    median: {
      echoPerSecond: median(rounds.map((x) => x.echo)),
      expressAddPerSecond: median(rounds.map((x) => x.expressAdd)),
      ingestPerSecond: median(rounds.map((x) => x.ingest)),
      queueAddPerSecond: median(rounds.map((x) => x.queueAdd)),
    },
    ratios: {
      ingestVsExpressPlusQueueAdd: ratio('expressAdd'),
      ingestVsExpressEcho: ratio('echo'),
      ingestVsBareQueueAdd: ratio('queueAdd'),
    },
    webhookToWriteBack: latency,
  };
  console.log(JSON.stringify(results, null, 2));
  console.log(
    `ingest / (express + queue.add), median of per-round ratios: ${results.ratios.ingestVsExpressPlusQueueAdd}`,
  );
  writeResults('pipeline', results);
}

try {
  await main();
} catch (error) {
  if (!interrupted) console.error(error); // else it is only the fallout of stopping
  process.exitCode = 1;
} finally {
  await stopAll();
}
process.exit();
