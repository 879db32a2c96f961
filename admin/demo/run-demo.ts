// npm run demo — deskplan end to end with no account anywhere: local fakes of Zendesk,
// Freshdesk and Help Scout, the service, a tenant on each (the Zendesk one with the plans of
// S1-S6), their webhooks replayed, and what happened, in each helpdesk's own fields.
// It shares nothing with a running service (npm start): its own redis-server (or its own key
// prefix on REDIS_URL), data folder, secret key and free ports; see demo-runtime.ts.
import { counterReport } from '../../worker/usage/counter-report.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signZendeskWebhook, ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { FakeFreshdesk } from '../../test/fakes/fake-freshdesk.js';
import { FakeHelpscout } from '../../test/fakes/fake-helpscout.js';
import { FakeZendesk, type FakeTicket } from '../../test/fakes/fake-zendesk.js';
import { renderTrigger } from '../../test/fakes/render-trigger.js';
import { startWeb } from '../../web-hooks/start-web.js';
import { eventJobId } from '../../worker/queues/event-queue.js';
import { createContext, type RuntimeContext } from '../../worker/runtime/create-context.js';
import { createLogger } from '../../worker/runtime/create-logger.js';
import { startWorker } from '../../worker/start-worker.js';
import { loadTenantsDir } from '../../worker/tenants/load-tenants-dir.js';
import { FRESHDESK_SECRET, FRESHDESK_TENANT, runFreshdeskDemo } from './demo-freshdesk.js';
import { HELPSCOUT_SECRET, HELPSCOUT_TENANT, runHelpscoutDemo } from './demo-helpscout.js';
import { demoRuntime } from './demo-runtime.js';
import { DEMO_ORGANIZATIONS, DEMO_TICKETS } from './demo-script.js';
import {
  postWebhook,
  shownTime,
  vendorTally,
  type Settle,
  type VendorTally,
} from './demo-shared.js';

const TENANT = 'demo';
const SECRET = 'demo-webhook-secret';
const started = Date.now();
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const runtime = demoRuntime();
const zendesk = new FakeZendesk();
const freshdesk = new FakeFreshdesk();
const helpscout = new FakeHelpscout();
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
    await freshdesk.close().catch(() => {});
    await helpscout.close().catch(() => {});
    runtime.cleanup();
  }
}

async function runDemo() {
  // The tenant files' ${VAR:-default} connection values, pointed at this run's fakes.
  process.env.DEMO_ZENDESK_URL = await zendesk.listen();
  process.env.DEMO_WEBHOOK_SECRET = SECRET;
  process.env.DEMO_FRESHDESK_URL = await freshdesk.listen();
  process.env.DEMO_FRESHDESK_API_KEY = freshdesk.apiKey;
  process.env.DEMO_FRESHDESK_WEBHOOK_SECRET = FRESHDESK_SECRET;
  process.env.DEMO_HELPSCOUT_URL = await helpscout.listen();
  process.env.DEMO_HELPSCOUT_APP_ID = helpscout.app.id;
  process.env.DEMO_HELPSCOUT_APP_SECRET = helpscout.app.secret;
  process.env.DEMO_HELPSCOUT_WEBHOOK_SECRET = HELPSCOUT_SECRET;
  process.env.DESKPLAN_DATA_DIR = runtime.dataDir; // its secret.key
  console.log(`deskplan demo: using ${runtime.describe}.`);

  ctx = await createContext({
    logger,
    prefix: runtime.prefix,
    dataDir: join(runtime.dataDir, 'redis'),
  });
  const tenantsDir = fileURLToPath(new URL('../../docs/examples/tenants/', import.meta.url));
  const loaded = await loadTenantsDir(tenantsDir, ctx.tenantStore, logger);
  const invalid = loaded.filter((o) => o.status === 'invalid').map((o) => o.file);
  if (invalid.length) throw new Error(`invalid demo tenant file(s): ${invalid.join(', ')}`);
  worker = startWorker(ctx, 10);
  const receiver = (web = await startWeb(ctx, 0));
  const receiverUrl = `http://127.0.0.1:${receiver.port}`;
  const settle: Settle = async (vendor, tenant, deliveryId) => {
    const id = eventJobId(vendor, tenant, deliveryId);
    for (;;) {
      const job = await receiver.queue.getJob(id);
      const state = await job?.getState();
      if (state === 'completed') return state;
      // Every delivery of the demo should succeed: a failure is a bug, said plainly.
      if (state === 'failed') throw new Error(`a ${vendor} job failed: ${job!.failedReason}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

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
    const deliveryId = await postWebhook(
      `${receiverUrl}/webhooks/zendesk/${TENANT}`,
      {
        'x-zendesk-webhook-invocation-id': invocationId,
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': signZendeskWebhook(body, SECRET, timestamp),
      },
      body,
    );
    return settle('zendesk', TENANT, deliveryId);
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
  const due = (t: FakeTicket, id: number) =>
    shownTime(t.custom_fields.find((f) => f.id === id)?.value);
  console.log('\nWhat happened to each ticket in the fake Zendesk (times in Asia/Tokyo):\n');
  for (const { scenario, ticket } of tickets) {
    console.log(`#${ticket.id} [${scenario}] ${ticket.subject}`);
    console.log(`    priority ${ticket.priority}; tags ${own(ticket.tags).join(', ')}`);
    console.log(`    first response due ${due(ticket, 9001)}; resolution due ${due(ticket, 9002)}`);
    const note = ticket.comments.find((c) => !c.public);
    if (note) console.log(`    note: ${note.body.replace(/\n/g, '\n          ')}`);
  }

  console.log(
    `\nA retried delivery, our own update's webhook and a solve + reopen made ${extraWrites} extra write(s) and no extra charge.`,
  );
  const tallies: VendorTally[] = [vendorTally('Zendesk', invocation + 1, zendesk)];

  tallies.push(await runFreshdeskDemo(freshdesk, receiverUrl, settle));
  tallies.push(await runHelpscoutDemo(helpscout, receiverUrl, settle));

  console.log('\nUsage per contract and period (from the quota ledger):');
  for (const tenantId of [TENANT, FRESHDESK_TENANT, HELPSCOUT_TENANT]) {
    console.log(`\n  tenant ${tenantId}`);
    const tenant = await ctx.catalog.get(tenantId);
    for (const key of await ctx.ledger.counterKeys(tenantId)) {
      const report = await counterReport(tenantId, tenant!.compiled, ctx.ledger, key);
      if (!report) continue;
      const left = report.allowance === null ? 'unlimited' : `${report.remaining} left`;
      const members = report.entries.map(
        (e) => e.member.replace('ticket-', '#') + (e.weight === 1 ? '' : `×${e.weight}`),
      );
      console.log(
        `  ${key.padEnd(58)} ${String(report.used).padStart(3)} of ${report.allowance ?? '∞'} (${left}) — ${members.join(' ')}`,
      );
    }
  }

  console.log('');
  for (const t of tallies) {
    console.log(
      `${t.vendor.padEnd(10)} ${String(t.webhooks).padStart(2)} webhooks, ${String(t.reads).padStart(2)} reads, ${String(t.writes).padStart(2)} writes`,
    );
  }
  const total = tallies.reduce((n, t) => n + t.webhooks, 0);
  console.log(`${total} webhooks in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
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
