import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeFreshdesk, FakeFreshdeskTicket } from '../fakes/fake-freshdesk.js';
import { renderFreshdeskWebhook } from '../fakes/render-freshdesk-webhook.js';
import { FRESHDESK_SECRET, startPipeline, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let fd: FakeFreshdesk;

beforeEach(async () => {
  p = await startPipeline({ vendor: 'freshdesk' });
  fd = p.freshdesk!;
  fd.addCompany({ id: 1001, name: 'Acme' });
});
afterEach(() => p.close());

const stamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const newTicket = (id: number) =>
  fd.addTicket({
    id,
    subject: 'Product X: login fails',
    priority: 3,
    company_id: 1001,
    tags: ['vip'],
    created_at: stamp(Date.now() - 60_000),
    updated_at: stamp(Date.now() - 60_000),
  });

const post = (body: string, headers?: Record<string, string>) => p.postFreshdesk(body, headers);
const created = (ticket: FakeFreshdeskTicket) => renderFreshdeskWebhook('created', ticket);

describe('pipeline: Freshdesk webhook in, write-back out (real Redis, fake Freshdesk)', () => {
  it('writes plan tags, both due dates and one private note', async () => {
    const ticket = newTicket(201);
    const response = await post(created(ticket));
    expect(response.status).toBe(202);
    expect((await p.settled(response.deliveryId)).state).toBe('completed');
    expect(fd.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/tickets/201', // the worker's read (include=company,requester,stats)
      'GET /api/v2/tickets/201', // the merge base
      'PUT /api/v2/tickets/201',
      'GET /api/v2/tickets/201', // the check that the tags held
      'POST /api/v2/tickets/201/notes',
    ]);
    expect(fd.requests[0]!.query).toEqual({ include: 'company,requester,stats' });
    expect(ticket.tags).toEqual([
      'vip',
      'deskplan_plan_product_x_standard',
      'deskplan_product_product_x',
      'deskplan_within_quota',
    ]);
    const put = fd.requests[2]!.body as Record<string, unknown>;
    expect(put).toMatchObject({ fr_due_by: expect.any(String), due_by: expect.any(String) });
    expect(ticket.fr_due_by).toBe(stamp(Date.parse(put.fr_due_by as string)));
    expect(fd.notes(201)).toHaveLength(1);
    expect(fd.notes(201)[0]).toContain('1 of 25 tickets used this week, 24 left');
    expect(fd.conversations.get(201)![0]!.private).toBe(true);
  });

  it('ends the loop: the update rule firing on our own write writes nothing', async () => {
    const ticket = newTicket(202);
    await p.settled((await post(created(ticket))).deliveryId);
    const writes = fd.writes.length;
    await p.settled((await post(renderFreshdeskWebhook('updated', ticket))).deliveryId);
    expect(fd.writes).toHaveLength(writes);
  });

  it('charges nothing for a replayed body, whatever headers come with it', async () => {
    const ticket = newTicket(203);
    const body = created(ticket);
    const first = await post(body);
    await p.settled(first.deliveryId);
    const writes = fd.writes.length;
    const replay = await post(body, { 'x-request-id': 'another' });
    expect(replay).toEqual({ status: 202, deliveryId: first.deliveryId });
    await p.settled(replay.deliveryId);
    const keys = await p.ledger.counterKeys(TENANT);
    for (const key of keys) expect((await p.ledger.usage(TENANT, key)).count).toBe(1);
    expect(fd.writes).toHaveLength(writes);
  });

  it('refuses a webhook without the secret, and takes basic auth with it', async () => {
    const ticket = newTicket(204);
    expect((await post(created(ticket), { 'x-deskplan-secret': 'wrong' })).status).toBe(401);
    const auth = `Basic ${Buffer.from(`deskplan:${FRESHDESK_SECRET}`).toString('base64')}`;
    const response = await fetch(`${p.url}/webhooks/freshdesk/${TENANT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: created(ticket),
    });
    expect(response.status).toBe(202);
  });

  it('honours a 429 with Retry-After: the write is delayed, not dropped', async () => {
    const ticket = newTicket(205);
    fd.failNext(429, 1, 1, 'PUT');
    const started = Date.now();
    const { job, state } = await p.settled((await post(created(ticket))).deliveryId);
    expect(state).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(job.failedReason).toBeFalsy();
    expect(ticket.tags).toContain('deskplan_within_quota');
    expect(fd.notes(205)).toHaveLength(1);
  });

  it("keeps an agent's tag saved during deskplan's write: detected on the check, merged again", async () => {
    const ticket = newTicket(206);
    fd.agentSavesDuringNextUpdate((before) => [...before, 'agent_escalated']);
    const { state } = await p.settled((await post(created(ticket))).deliveryId);
    expect(state).toBe('completed');
    expect(ticket.tags).toEqual(
      expect.arrayContaining(['vip', 'agent_escalated', 'deskplan_within_quota']),
    );
    const puts = fd.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(fd.notes(206)).toHaveLength(1);
  });
});
