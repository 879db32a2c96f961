import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DUE_FIELDS, startPipeline, waitFor } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
beforeEach(async () => {
  p = await startPipeline();
  p.zendesk.addOrganization({ id: 1001, name: 'Acme' });
});
afterEach(() => p.close());

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const newTicket = (id: number, subject = 'Product X: login fails') =>
  p.zendesk.addTicket({
    id,
    subject,
    priority: 'high',
    organization_id: 1001,
    tags: ['vip'],
    created_at: now(),
    updated_at: now(),
  });

describe('pipeline: signed Zendesk webhook in, write-back out (real Redis, fake Zendesk)', () => {
  it('answers 202 and writes the plan back to the ticket in one update', async () => {
    const ticket = newTicket(101);
    const response = await p.post(p.trigger(ticket));
    expect(response.status).toBe(202);
    const { state } = await p.settled(response.deliveryId);
    expect(state).toBe('completed');

    expect(p.zendesk.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/tickets/101.json',
      'PUT /api/v2/tickets/101.json',
    ]);
    const body = p.zendesk.writes[0]!.body as { ticket: Record<string, unknown> };
    expect(body.ticket).toMatchObject({
      additional_tags: [
        'deskplan_plan_product_x_standard',
        'deskplan_product_product_x',
        'deskplan_within_quota',
      ],
      safe_update: true,
      comment: { public: false },
    });
    expect(body.ticket.custom_fields).toEqual(
      expect.arrayContaining([
        { id: DUE_FIELDS.firstResponse, value: expect.any(String) },
        { id: DUE_FIELDS.resolution, value: expect.any(String) },
      ]),
    );
    expect(ticket.tags).toEqual(expect.arrayContaining(['vip', 'deskplan_within_quota']));
    expect(ticket.comments[0]!.body).toContain('1 of 25 tickets used this week, 24 left');
    expect(ticket.comments[0]!.public).toBe(false);
  });

  it('ends the loop: the webhook our own update triggers writes nothing', async () => {
    const ticket = newTicket(102);
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(p.zendesk.writes).toHaveLength(1);
    const echo = await p.post(p.trigger(ticket)); // Zendesk's trigger fires on our update
    expect(echo.status).toBe(202);
    expect((await p.settled(echo.deliveryId)).state).toBe('completed');
    expect(p.zendesk.writes).toHaveLength(1);
  });

  it('accepts a retried delivery and enqueues nothing new', async () => {
    const ticket = newTicket(103);
    const body = p.trigger(ticket);
    const first = await p.post(body, { invocationId: 'inv-103' });
    const again = await p.post(body, { invocationId: 'inv-103' });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.deliveryId).toBe(first.deliveryId);
    await p.settled(first.deliveryId);
    const counts = await p.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('does not count a reopened ticket again', async () => {
    const ticket = newTicket(104);
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    ticket.status = 'solved';
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    ticket.status = 'open';
    await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    const keys = await p.ledger.counterKeys('acme-desk');
    expect(keys).toHaveLength(2); // the week and the month
    for (const key of keys) expect((await p.ledger.usage('acme-desk', key)).count).toBe(1);
  });

  it('honours a 429 with Retry-After without failing the job', async () => {
    const ticket = newTicket(105);
    p.zendesk.failNext(429, 1, 1);
    const started = Date.now();
    const { job, state } = await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(state).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(job.attemptsMade).toBe(1); // the successful run only: the 429 delay is not a failure
    expect(job.failedReason).toBeFalsy();
    expect(p.zendesk.writes).toHaveLength(1);
  });

  it('retries a 500 with backoff until Zendesk recovers', async () => {
    const ticket = newTicket(106);
    p.zendesk.failNext(500, 2);
    const { job, state } = await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(state).toBe('completed');
    expect(job.attemptsMade).toBe(3); // two failed attempts, then the one that succeeded
    expect(p.zendesk.writes).toHaveLength(1);
  });

  it('fails a job Zendesk rejects, with its message, and keeps it for a retry', async () => {
    const ticket = newTicket(107);
    ticket.status = 'closed';
    const { job, state } = await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(state).toBe('failed');
    expect(job.failedReason).toContain('Ticket is closed');
    ticket.status = 'open';
    await job.retry();
    await waitFor('retried job', async () => (await job.getState()) === 'completed');
    expect(p.zendesk.writes.at(-1)!.status).toBe(200);
  });
});

describe('pipeline: conflicts and health', () => {
  it('re-reads the ticket and recomputes when a safe update meets a concurrent change (409)', async () => {
    const ticket = newTicket(108);
    p.zendesk.failNext(409, 1, undefined, 'PUT');
    const { state } = await p.settled((await p.post(p.trigger(ticket))).deliveryId);
    expect(state).toBe('completed');
    expect(p.zendesk.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'PUT 409',
      'GET 200',
      'PUT 200',
    ]);
    expect(ticket.tags).toContain('deskplan_within_quota');
  });

  it('reports itself alive and ready', async () => {
    expect(await (await fetch(`${p.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${p.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok' } });
  });
});

describe('pipeline: the event-subscription connection style', () => {
  it('reads the ticket a zen:event-type:ticket.created event names, and writes the plan back', async () => {
    const ticket = newTicket(109);
    const envelope = JSON.stringify({
      type: 'zen:event-type:ticket.created',
      account_id: 12514403,
      id: '2b24ef10-19d4-4740-93cf-8f98ec4776c0',
      time: ticket.created_at,
      zendesk_event_version: '2022-11-06',
      subject: 'zen:ticket:109',
      detail: {
        id: '109',
        status: 'NEW',
        created_at: ticket.created_at,
        updated_at: ticket.updated_at,
      },
      event: { current: { status: 'NEW' } },
    });
    const response = await p.post(envelope);
    expect(response.status).toBe(202);
    expect(response.body?.deliveryId).toBe('2b24ef10-19d4-4740-93cf-8f98ec4776c0');
    const { state } = await p.settled('2b24ef10-19d4-4740-93cf-8f98ec4776c0');
    expect(state).toBe('completed');
    expect(p.zendesk.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/tickets/109.json',
      'PUT /api/v2/tickets/109.json',
    ]);
    expect(ticket.tags).toContain('deskplan_plan_product_x_standard');
  });
});
