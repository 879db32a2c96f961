// npm run demo — deskplan end to end with no account anywhere: a local fake Zendesk, the
// service, the demo tenant (plans of S1-S6), signed webhooks replayed, and what happened.
// It shares nothing with a running service (npm start): its own redis-server (or its own key
// prefix on REDIS_URL), data folder, secret key and free ports; see demo-runtime.ts.
import { counterReport } from '../../worker/usage/counter-report.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signZendeskWebhook, ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { FakeZendesk, type FakeTicket } from '../../test/fakes/fake-zendesk.js';
import { renderTrigger } from '../../test/fakes/render-trigger.js';
import { startWeb } from '../../web-hooks/start-web.js';
import { eventJobId } from '../../worker/queues/event-queue.js';
import { createContext, type RuntimeContext } from '../../worker/runtime/create-context.js';
import { createLogger } from '../../worker/runtime/create-logger.js';
import { startWorker } from '../../worker/start-worker.js';
import { loadTenantsDir } from '../../worker/tenants/load-tenants-dir.js';
import { demoRuntime } from './demo-runtime.js';
import { DEMO_ORGANIZATIONS, DEMO_TICKETS } from './demo-script.js';

const TENANT = 'demo';
const SECRET = 'demo-webhook-secret';
const started = Date.now();
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const runtime = demoRuntime();
const zendesk = new FakeZendesk();
let ctx: RuntimeContext | undefined;
let web: Awaited<ReturnType<typeof startWeb>> | undefined;
let worker: ReturnType<typeof startWorker> | undefined;

/** Stops what was started, deletes the demo's keys and folder (each step even if one fails). */
let cleaning: Promise<void> | undefined;
const cleanUp = () => (cleaning ??= stopAndDelete());
async function stopAndDelete() {
  try {
    await web?.close();
    await worker?.close();
    if (ctx) {
      const match = `${ctx.prefix}:*`;
      for await (const keys of ctx.client.scanStream({ match, count: 1000 })) {
        if ((keys as string[]).length) await ctx.client.del(...(keys as string[]));
      }
    }
  } finally {
    await ctx?.close().catch(() => {});
    await zendesk.close().catch(() => {});
    runtime.cleanup();
  }
}

async function runDemo() {
  process.env.DEMO_ZENDESK_URL = await zendesk.listen();
  process.env.DEMO_WEBHOOK_SECRET = SECRET;
  process.env.DESKPLAN_DATA_DIR = runtime.dataDir; // its secret.key
  console.log(`deskplan demo: using ${runtime.describe}.`);

  ctx = await createContext({
    logger,
    prefix: runtime.prefix,
    dataDir: join(runtime.dataDir, 'redis'),
  });
  const tenantsDir = fileURLToPath(new URL('../../docs/examples/tenants/', import.meta.url));
  const loaded = await loadTenantsDir(tenantsDir, ctx.tenantStore, logger);
  if (loaded.some((o) => o.status === 'invalid')) throw new Error('the demo tenant is invalid');
  worker = startWorker(ctx, 10);
  const receiver = (web = await startWeb(ctx, 0));

  let invocation = 0;
  const firstBodies = new Map<number, string>();
  /** Sends the trigger body for the ticket as it is now, or a body sent before (a retry). */
  async function deliver(what: FakeTicket | string, invocationId = `demo-${++invocation}`) {
    const body =
      typeof what === 'string'
        ? what
        : renderTrigger(ZENDESK_TRIGGER_BODY, what, {
            requesterEmail: zendesk.users.get(what.requester_id)?.email,
          });
    if (typeof what !== 'string' && !firstBodies.has(what.id)) firstBodies.set(what.id, body);
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const response = await fetch(`http://127.0.0.1:${receiver.port}/webhooks/zendesk/${TENANT}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-invocation-id': invocationId,
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': signZendeskWebhook(body, SECRET, timestamp),
      },
      body,
    });
    if (response.status !== 202)
      throw new Error(`webhook refused: ${response.status} ${await response.text()}`);
    // The receiver names the job by the delivery id it derives from the signed body.
    const { deliveryId } = (await response.json()) as { deliveryId: string };
    const id = eventJobId('zendesk', TENANT, deliveryId);
    for (;;) {
      const state = await (await receiver.queue.getJob(id))?.getState();
      if (state === 'completed' || state === 'failed') return state;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  for (const org of DEMO_ORGANIZATIONS) zendesk.addOrganization(org);
  const tickets: { scenario: string; ticket: FakeTicket }[] = [];
  for (const [i, t] of DEMO_TICKETS.entries()) {
    const userId = 100 + i;
    zendesk.users.set(userId, {
      id: userId,
      email: t.email ?? `user${i}@customer.example`,
      name: `Customer ${i}`,
    });
    const ticket = zendesk.addTicket({
      id: 1000 + i,
      subject: t.subject,
      priority: t.priority ?? 'normal',
      organization_id: t.org ?? null,
      requester_id: userId,
    });
    await deliver(ticket);
    tickets.push({ scenario: t.scenario, ticket });
  }

  // What a user expects without being told.
  const writesBefore = zendesk.writes.length;
  await deliver(firstBodies.get(tickets[0]!.ticket.id)!, 'demo-retry'); // a Zendesk retry
  await deliver(tickets[0]!.ticket); // the webhook our own update triggered
  const reopened = tickets[6]!.ticket;
  reopened.status = 'solved';
  await deliver(reopened);
  reopened.status = 'open';
  await deliver(reopened);
  const extraWrites = zendesk.writes.length - writesBefore;

  const own = (tags: string[]) =>
    tags.filter((t) => t.startsWith('deskplan_')).map((t) => t.slice(9));
  const due = (t: FakeTicket, id: number) => {
    const v = t.custom_fields.find((f) => f.id === id)?.value;
    return v
      ? new Date(v).toLocaleString('en-GB', {
          timeZone: 'Asia/Tokyo',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        })
      : '—';
  };
  console.log('\nWhat happened to each ticket in the fake Zendesk (times in Asia/Tokyo):\n');
  for (const { scenario, ticket } of tickets) {
    console.log(`#${ticket.id} [${scenario}] ${ticket.subject}`);
    console.log(`    priority ${ticket.priority}; tags ${own(ticket.tags).join(', ')}`);
    console.log(`    first response due ${due(ticket, 9001)}; resolution due ${due(ticket, 9002)}`);
    const note = ticket.comments.find((c) => !c.public);
    if (note) console.log(`    note: ${note.body.replace(/\n/g, '\n          ')}`);
  }

  console.log('\nUsage per contract and period (from the quota ledger):\n');
  const tenant = await ctx.catalog.get(TENANT);
  for (const key of await ctx.ledger.counterKeys(TENANT)) {
    const report = await counterReport(TENANT, tenant!.compiled, ctx.ledger, key);
    if (!report) continue;
    const left = report.allowance === null ? 'unlimited' : `${report.remaining} left`;
    const members = report.entries.map(
      (e) => e.member.replace('ticket-', '#') + (e.weight === 1 ? '' : `×${e.weight}`),
    );
    console.log(
      `  ${key.padEnd(58)} ${String(report.used).padStart(3)} of ${report.allowance ?? '∞'} (${left}) — ${members.join(' ')}`,
    );
  }

  const reads = zendesk.requests.filter((r) => r.method === 'GET').length;
  console.log(
    `\nA retried delivery, our own update's webhook and a solve + reopen made ${extraWrites} extra write(s) and no extra charge.`,
  );
  console.log(
    `${invocation + 1} webhooks, ${reads} Zendesk reads, ${zendesk.writes.length} Zendesk writes, in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
  );
}

// Ctrl-C: stop the demo's redis-server and delete its folder, as at the end.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the demo`);
    void cleanUp()
      .catch((error: Error) => console.error(`cleaning up failed: ${error.message}`))
      .finally(() => process.exit(130));
  });
}
try {
  await runDemo();
  await cleanUp();
  process.exit(0);
} catch (error) {
  // A plain message, not a stack: what went wrong and, where we know, what to do.
  if (!interrupted) console.error(`\nnpm run demo failed: ${(error as Error).message}\n`);
  await cleanUp().catch(() => {});
  process.exit(interrupted ? 130 : 1);
}
