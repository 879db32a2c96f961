// One benchmark arm per child process: `tsx bench/pipeline/arms.ts <echo|express-add|ingest|queue-add> <port|seconds>`.
// echo: bare express echo; express-add: bare express + queue.add; ingest: deskplan's receiver
// (raw body, HMAC, tenant lookup, parsing, queue.add);
// queue-add: bare BullMQ queue.add with 32 in flight, no HTTP, then checks that every job is
// there. Needs REDIS_URL and BENCH_PREFIX. Started by run.ts with an IPC channel: when run.ts
// goes away, however it ends, the arm exits too.
import express from 'express';
import pino from 'pino';
import { createWebApp } from '../../web-hooks/create-web-app.js';
import { createEventQueue } from '../../worker/queues/event-queue.js';
import { createRedisConnection } from '../../worker/redis/connect-redis.js';
import { TenantStore } from '../../worker/stores/tenant-store.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { benchTenant } from './bench-tenant.js';

const [arm, arg] = process.argv.slice(2);
process.on('SIGTERM', () => process.exit(0)); // lets --cpu-prof write its profile
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => {}); // Ctrl-C reaches the whole group: run.ts stops the arms in order
const url = process.env.REDIS_URL!;
const prefix = process.env.BENCH_PREFIX!;
const queueOptions = { removeOnComplete: true, attempts: 1 };

if (arm === 'echo') {
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/webhooks/zendesk/:tenant', (req, res) => {
    res.status(202).json({ accepted: true, size: JSON.stringify(req.body).length });
  });
  app.listen(Number(arg), '127.0.0.1', () => console.log('ready'));
} else if (arm === 'express-add') {
  // The bare stack deskplan is built on: express reading the body, one queue.add, 202.
  const queue = createEventQueue(
    createRedisConnection(url, 'queue'),
    `${prefix}-express`,
    queueOptions,
  );
  const app = express();
  app.use(express.raw({ type: () => true, limit: '1mb' }));
  app.post('/webhooks/zendesk/:tenant', async (req, res) => {
    const id = String(req.headers['x-zendesk-webhook-invocation-id']);
    await queue.add('bare', { body: (req.body as Buffer).toString() } as never, {
      jobId: `bare-${id}`,
    });
    res.status(202).json({ accepted: true });
  });
  app.listen(Number(arg), '127.0.0.1', () => console.log('ready'));
} else if (arm === 'ingest') {
  const client = createRedisConnection(url, 'client');
  const store = new TenantStore(client, prefix);
  await store.save('bench', benchTenant());
  const queue = createEventQueue(createRedisConnection(url, 'queue'), prefix, queueOptions);
  const app = createWebApp({
    tenants: new TenantCatalog(store),
    logger: pino({ level: 'silent' }),
    enqueue: async (data, jobId) => {
      await queue.add('ticket-event', data, { jobId });
    },
    readiness: {},
  });
  app.listen(Number(arg), '127.0.0.1', () => console.log('ready'));
} else if (arm === 'queue-add') {
  const queue = createEventQueue(
    createRedisConnection(url, 'queue'),
    `${prefix}-bare`,
    queueOptions,
  );
  const seconds = Number(arg);
  const data = { payload: 'x'.repeat(900) };
  let done = 0;
  let n = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (Date.now() < end) {
        await queue.add('bare', data as never, { jobId: `bare-${process.pid}-${++n}` });
        done++;
      }
    }),
  );
  // Counting and draining tens of thousands of jobs takes longer than the fail-fast queue
  // connection's command timeout: a patient connection does it.
  const admin = createEventQueue(createRedisConnection(url, 'client'), `${prefix}-bare`);
  const counted = await admin.count();
  await admin.drain(true); // the next round starts on an empty queue
  await admin.close();
  console.log(JSON.stringify({ perSecond: done / seconds, added: done, counted }));
  await queue.close();
  process.exit(0);
} else {
  console.error(`unknown arm: ${arm}`);
  process.exit(2);
}
