import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventJobId } from '../../worker/queues/event-queue.js';
import { startOperations } from '../helpers/operations-harness.js';
import { TENANT, tenantFile, waitFor } from '../helpers/pipeline-harness.js';

type Ops = Awaited<ReturnType<typeof startOperations>>;
let ops: Ops;
let globexToken: string;
let acmeToken: string;
beforeEach(async () => {
  ops = await startOperations();
  ops.zendesk.addOrganization({ id: 1001, name: 'Acme' });
  await ops.tenants.save('globex', {
    ...tenantFile('s1-product-plan', ops.zendesk.baseUrl),
    id: 'globex',
  });
  globexToken = (await ops.tokens.issue('globex ops', 'globex')).token;
  acmeToken = (await ops.tokens.issue('acme ops', TENANT)).token;
});
afterEach(() => ops.close());

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const newTicket = (id: number) =>
  ops.zendesk.addTicket({
    id,
    subject: 'Product X: login fails',
    priority: 'high',
    organization_id: 1001,
    created_at: stamp(),
    updated_at: stamp(),
  });
const jobIdOf = (deliveryId: string) => eventJobId('zendesk', TENANT, deliveryId);

describe('operations: failed jobs (real Redis, BullMQ, fake Zendesk)', () => {
  it("lists a failed job with Zendesk's answer, keeps it from other tenants, and retries it once fixed", async () => {
    const ticket = newTicket(201);
    ticket.status = 'closed'; // Zendesk answers 422 to an update of a closed ticket
    const posted = await ops.post(ops.trigger(ticket));
    expect((await ops.settled(posted.deliveryId)).state).toBe('failed');
    const jobId = jobIdOf(posted.deliveryId);

    const listed = await ops.call('get', `/api/tenants/${TENANT}/failed`, acmeToken);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ tenantId: TENANT, more: false });
    expect(listed.body!.failed).toEqual([
      {
        jobId,
        queue: 'events',
        kind: expect.stringMatching(/^ticket\./),
        ticketId: '201',
        failedAt: expect.any(String),
        receivedAt: expect.any(String),
        attempts: 1,
        error: {
          message: expect.stringContaining('Ticket is closed'),
          vendor: 'zendesk',
          vendorStatus: 422,
        },
      },
    ]);
    expect((listed.body!.failed as { error: { message: string } }[])[0]!.error.message).toMatch(
      /^Zendesk update ticket 201: HTTP 422 /,
    );
    // Another tenant's token: 403 on this tenant's list; its own path does not reach the job.
    expect((await ops.call('get', `/api/tenants/${TENANT}/failed`, globexToken)).status).toBe(403);
    const foreign = await ops.call(
      'post',
      `/api/tenants/globex/failed/${jobId}/retry`,
      globexToken,
    );
    expect(foreign.status).toBe(404);
    expect((await ops.queue.getJob(jobId))!.failedReason).toContain('Ticket is closed');
    expect(await (await ops.queue.getJob(jobId))!.getState()).toBe('failed');
    const globexList = await ops.call('get', '/api/tenants/globex/failed', globexToken);
    expect(globexList.body!.failed).toEqual([]);

    const status = await ops.call('get', `/api/tenants/${TENANT}/status`, acmeToken);
    expect(status.body).toEqual({ tenantId: TENANT, paused: false, held: 0, failed: 1 });

    ticket.status = 'open'; // the fake is fixed
    const retried = await ops.call(
      'post',
      `/api/tenants/${TENANT}/failed/${jobId}/retry`,
      acmeToken,
    );
    expect(retried).toMatchObject({ status: 200, body: { tenantId: TENANT, retried: [jobId] } });
    await waitFor('the retried job', async () => (await ops.queue.getJob(jobId))?.isCompleted());
    expect(ops.zendesk.writes.at(-1)!.status).toBe(200);
    expect(ops.zendesk.notes(201)).toHaveLength(1);
    // Not failed any more: a second retry is refused, and the list is empty.
    const again = await ops.call('post', `/api/tenants/${TENANT}/failed/${jobId}/retry`);
    expect(again.status).toBe(409);
    expect((again.body as { error: { message: string } }).error.message).toMatch(/completed/);
    expect((await ops.call('get', `/api/tenants/${TENANT}/failed`)).body!.failed).toEqual([]);
  });

  it('retries every failed job of a tenant at once', async () => {
    const tickets = [newTicket(211), newTicket(212)];
    const ids: string[] = [];
    for (const ticket of tickets) {
      ticket.status = 'closed';
      const posted = await ops.post(ops.trigger(ticket));
      expect((await ops.settled(posted.deliveryId)).state).toBe('failed');
      ids.push(jobIdOf(posted.deliveryId));
    }
    for (const ticket of tickets) ticket.status = 'open';
    const res = await ops.call('post', `/api/tenants/${TENANT}/failed/retry`);
    expect(res.status).toBe(200);
    expect([...(res.body!.retried as string[])].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      await waitFor(`job ${id}`, async () => (await ops.queue.getJob(id))?.isCompleted());
    }
    expect(ops.zendesk.notes(211)).toHaveLength(1);
    expect(ops.zendesk.notes(212)).toHaveLength(1);
  });
});

describe('operations: pause and resume', () => {
  it('keeps a paused tenant’s webhooks (202), calls Zendesk for none, and processes each once on resume', async () => {
    const paused = await ops.call('post', `/api/tenants/${TENANT}/pause`);
    expect(paused).toMatchObject({
      status: 200,
      body: { tenantId: TENANT, paused: true, by: 'agency:admin', since: expect.any(String) },
    });
    // A tenant's own token cannot pause or resume.
    expect((await ops.call('post', `/api/tenants/${TENANT}/resume`, acmeToken)).status).toBe(403);

    const tickets = [newTicket(301), newTicket(302), newTicket(303)];
    const ids: string[] = [];
    for (const ticket of tickets) {
      const posted = await ops.post(ops.trigger(ticket));
      expect(posted.status).toBe(202);
      ids.push(jobIdOf(posted.deliveryId));
    }
    await waitFor('three held jobs', async () => (await ops.pause.heldCount(TENANT)) === 3);
    expect((await ops.pause.held(TENANT)).map((h) => h.jobId)).toEqual(ids); // receipt order
    const status = await ops.call('get', `/api/tenants/${TENANT}/status`, acmeToken);
    expect(status.body).toMatchObject({ tenantId: TENANT, paused: true, held: 3, failed: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(ops.zendesk.requests).toEqual([]);
    for (const id of ids) expect(await (await ops.queue.getJob(id))!.getState()).toBe('delayed');

    const resumed = await ops.call('post', `/api/tenants/${TENANT}/resume`);
    expect(resumed.body).toEqual({ tenantId: TENANT, paused: false, released: 3 });
    for (const id of ids) {
      await waitFor(`job ${id}`, async () => (await ops.queue.getJob(id))?.isCompleted());
    }
    for (const ticket of tickets) {
      expect(ops.zendesk.notes(ticket.id)).toHaveLength(1);
      expect(ops.zendesk.writes.filter((w) => w.path.endsWith(`/${ticket.id}.json`))).toHaveLength(
        1,
      );
    }
    const after = await ops.call('get', `/api/tenants/${TENANT}/status`);
    expect(after.body).toMatchObject({ paused: false, held: 0, failed: 0 });
    // Each ticket counted once: the three notes give 1, 2 and 3 of the week's 25.
    const used = tickets.map(
      (t) => /(\d+) of 25 tickets used this week/.exec(ops.zendesk.notes(t.id)[0]!)?.[1],
    );
    expect(used.map(Number).sort()).toEqual([1, 2, 3]);
  });

  it('pauses one tenant only, and a second pause keeps the first one’s record', async () => {
    const first = await ops.call('post', `/api/tenants/${TENANT}/pause`);
    const second = await ops.call('post', `/api/tenants/${TENANT}/pause`);
    expect(second.body).toEqual(first.body);
    expect((await ops.call('get', '/api/tenants/globex/status')).body).toMatchObject({
      paused: false,
    });
    expect((await ops.call('post', '/api/tenants/nobody/pause')).status).toBe(404);
  });
});
