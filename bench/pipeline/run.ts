// npm run bench:pipeline — webhook ingest next to a bare express echo, the bare express +
// queue.add stack and a bare queue.add loop, interleaved in the same run, then webhook→write-back
// latency. Writes bench/results/pipeline.json.
// `--smoke` (or BENCH_SMOKE=1): one short round and 40 tickets, every check, nothing written.
// With no REDIS_URL it starts its own redis-server; whatever it started is stopped on every way
// out (the end, an error, Ctrl-C, SIGTERM).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { FakeZendesk } from '../../test/fakes/fake-zendesk.js';
import { renderTrigger } from '../../test/fakes/render-trigger.js';
import { signedWebhookHeaders, zendeskStamp } from '../../test/helpers/pipeline-core.js';
import { createEventQueue } from '../../worker/queues/event-queue.js';
import { createRedisConnection } from '../../worker/redis/connect-redis.js';
import { freePort } from '../../worker/redis/start-local-redis.js';
import { onCleanUp, privateRedis, run, stopChild, track } from '../lifecycle.js';
import { aboutTheRun, check, round2, SMOKE, writeResults } from '../mode.js';
import { BENCH_SECRET } from './bench-tenant.js';
import { measureLatency } from './latency.js';
import { load } from './load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 0.5 : 4));
const WARM_UP_SECONDS = SMOKE ? 0.2 : 2;
const TICKETS = Number(process.env.BENCH_TICKETS ?? (SMOKE ? 40 : 400));
const CONCURRENCY = 32;
const root = fileURLToPath(new URL('../../', import.meta.url));

// Whatever this run starts is stopped on every way out by ../lifecycle.ts. The arms also exit
// by themselves when their IPC channel to this process closes.

/** One arm in its own process; `line` is its first line of output (ready, or its figures). */
function startArm(args: string[]) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/pipeline/arms.ts', ...args], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  track(proc);
  const exited = new Promise<number | null>((done) => proc.once('exit', done));
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
  const redisUrl =
    process.env.REDIS_URL ?? (await (await privateRedis({ appendOnly: false })).start()).url;
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
  // Counting and draining a round's jobs can take longer than the fail-fast 'queue' role allows:
  // these queues use the patient 'client' role.
  const connection = createRedisConnection(redisUrl, 'client');
  onCleanUp(() => connection.disconnect());
  const expressAddQueue = createEventQueue(connection, `${prefix}-express`);
  const ingestQueue = createEventQueue(connection, prefix);
  onCleanUp(async () => {
    await Promise.allSettled([expressAddQueue.close(), ingestQueue.close()]);
  });
  const jobsIn = async (queue: ReturnType<typeof createEventQueue>) =>
    Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0);

  let invocation = 0;
  const arm = async (port: number, seconds: number, round: string) => {
    const timestamp = zendeskStamp();
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
          headers: signedWebhookHeaders(text, {
            secret: BENCH_SECRET,
            timestamp,
            invocationId: `${round}-${n}`,
          }),
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

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = (k: 'echo' | 'expressAdd' | 'queueAdd') =>
    round2(median(rounds.map((x) => x.ingest / x[k])));
  const latency = await measureLatency(redisUrl, TICKETS, 8);
  // Here the load average goes with the setup.
  const { loadAverage, ...about } = aboutTheRun(loadAtStart);
  const results = {
    ...about,
    setup: {
      rounds: ROUNDS,
      secondsPerArm: SECONDS,
      warmUpSecondsPerArm: WARM_UP_SECONDS,
      concurrency: CONCURRENCY,
      bodyBytes: Buffer.byteLength(body),
      loadGenerator: 'same machine, separate process from the servers',
      loadAverage,
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

await run(main);
process.exit();
