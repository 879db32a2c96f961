// npm run bench:pipeline — webhook ingest next to a bare express echo and a bare queue.add,
// interleaved in the same run, and webhook→write-back latency. Writes bench/results/pipeline.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signZendeskWebhook, ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { FakeZendesk } from '../../test/fakes/fake-zendesk.js';
import { renderTrigger } from '../../test/fakes/render-trigger.js';
import { freePort, startLocalRedis } from '../../worker/redis/start-local-redis.js';
import { BENCH_SECRET } from './bench-tenant.js';
import { measureLatency } from './latency.js';
import { load } from './load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = 32;
const root = fileURLToPath(new URL('../../', import.meta.url));

const redis = process.env.REDIS_URL
  ? null
  : await startLocalRedis({
      dataDir: mkdtempSync(join(tmpdir(), 'deskplan-bench-')),
      appendOnly: false,
    });
process.env.REDIS_URL ??= redis!.url;
const children: { kill(): void }[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // An interrupted run must not leave its Redis or arm processes behind.
    children.forEach((c) => c.kill());
    void (redis?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}
process.env.BENCH_PREFIX = `bench-${Date.now()}`;

function child(args: string[]) {
  const proc = spawn(join(root, 'node_modules/.bin/tsx'), ['bench/pipeline/arms.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(proc);
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const line = new Promise<string>((resolve) => {
    const check = () => (out.includes('\n') ? resolve(out.trim()) : setTimeout(check, 20));
    check();
  });
  return { proc, line };
}

// A ~1 KB trigger delivery, signed once; each request gets its own invocation id.
const fake = new FakeZendesk();
const sample = fake.addTicket({
  id: 1,
  subject: 'Product X: login fails after the update',
  organization_id: 1001,
  tags: ['vip', 'billing', 'japan'],
});
const body = renderTrigger(ZENDESK_TRIGGER_BODY, sample, {
  requesterEmail: 'pat@acme.example',
}).padEnd(980, ' ');
const freshHeaders = () => {
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { timestamp, signature: signZendeskWebhook(body, BENCH_SECRET, timestamp) };
};

const echoPort = await freePort();
const expressAddPort = await freePort();
const ingestPort = await freePort();
const echo = child(['echo', String(echoPort)]);
const expressAdd = child(['express-add', String(expressAddPort)]);
const ingest = child(['ingest', String(ingestPort)]);
await Promise.all([echo.line, expressAdd.line, ingest.line]);

const rounds: { echo: number; expressAdd: number; ingest: number; queueAdd: number }[] = [];
let invocation = 0;
for (let r = 0; r < ROUNDS; r++) {
  const signed = freshHeaders();
  const request = () => ({
    body,
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-invocation-id': `${r}-${++invocation}`,
      'x-zendesk-webhook-signature-timestamp': signed.timestamp,
      'x-zendesk-webhook-signature': signed.signature,
    },
  });
  const e = await load({
    port: echoPort,
    path: '/webhooks/zendesk/bench',
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    request,
  });
  const x = await load({
    port: expressAddPort,
    path: '/webhooks/zendesk/bench',
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    request,
  });
  const i = await load({
    port: ingestPort,
    path: '/webhooks/zendesk/bench',
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    request,
  });
  if (i.non2xx > 0) throw new Error(`ingest answered ${i.non2xx} non-2xx responses`);
  const q = child(['queue-add', String(SECONDS)]);
  const queueAdd = (JSON.parse(await q.line) as { perSecond: number }).perSecond;
  rounds.push({ echo: e.perSecond, expressAdd: x.perSecond, ingest: i.perSecond, queueAdd });
  console.log(
    `round ${r + 1}: echo ${e.perSecond.toFixed(0)}/s, express+queue.add ${x.perSecond.toFixed(0)}/s, ingest ${i.perSecond.toFixed(0)}/s, bare queue.add ${queueAdd.toFixed(0)}/s`,
  );
}
echo.proc.kill();
expressAdd.proc.kill();
ingest.proc.kill();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratio = (k: 'echo' | 'expressAdd' | 'queueAdd') => median(rounds.map((x) => x.ingest / x[k]));
const latency = await measureLatency(Number(process.env.BENCH_TICKETS ?? 400), 8);
const results = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  setup: {
    rounds: ROUNDS,
    secondsPerArm: SECONDS,
    concurrency: CONCURRENCY,
    bodyBytes: Buffer.byteLength(body),
    loadGenerator: 'same machine, separate process from the servers',
  },
  rounds,
  median: {
    echoPerSecond: median(rounds.map((x) => x.echo)),
    expressAddPerSecond: median(rounds.map((x) => x.expressAdd)),
    ingestPerSecond: median(rounds.map((x) => x.ingest)),
    queueAddPerSecond: median(rounds.map((x) => x.queueAdd)),
  },
  ratios: {
    ingestVsExpressEcho: Math.round(ratio('echo') * 100) / 100,
    ingestVsExpressPlusQueueAdd: Math.round(ratio('expressAdd') * 100) / 100,
    ingestVsBareQueueAdd: Math.round(ratio('queueAdd') * 100) / 100,
  },
  webhookToWriteBack: latency,
};
console.log(JSON.stringify(results, null, 2));
writeFileSync(
  new URL('../results/pipeline.json', import.meta.url),
  `${JSON.stringify(results, null, 2)}\n`,
);
await redis?.stop();
process.exit(0);
