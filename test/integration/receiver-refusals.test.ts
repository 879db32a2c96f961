import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OLD_SECRET, startPipeline } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let body: string;
beforeAll(async () => {
  p = await startPipeline({ workers: false });
  body = p.trigger(p.zendesk.addTicket({ id: 1, subject: 'Product X', organization_id: 1001 }));
});
afterAll(() => p.close());

const queued = async () => Object.values(await p.queue.getJobCounts()).reduce((a, b) => a + b, 0);

describe('receiver: bad input gets a clear 4xx and enqueues nothing', () => {
  it.each([
    ['a wrong signature', { secret: 'not-the-secret' }, 401, /signature/i],
    ['a missing signature', { headers: { 'x-zendesk-webhook-signature': '' } }, 401, /signature/i],
    [
      'a stale timestamp',
      { timestamp: new Date(Date.now() - 6 * 60_000).toISOString() },
      401,
      /timestamp/i,
    ],
    ['an unknown tenant', { tenant: 'nobody' }, 404, /nobody/],
    ['the wrong content type', { contentType: 'text/plain' }, 415, /application\/json/],
  ])('refuses %s', async (_what, init, status, message) => {
    const response = await p.post(body, init);
    expect(response.status).toBe(status);
    expect(String((response.body?.error as { message?: string })?.message)).toMatch(message);
    expect(await queued()).toBe(0);
  });

  it('refuses malformed JSON and a body of the wrong shape, saying what was wrong', async () => {
    const broken = await p.post('{"deskplan": "1", ');
    expect(broken.status).toBe(400);
    const shape = await p.post(JSON.stringify({ hello: 'world' }));
    expect(shape.status).toBe(400);
    expect(JSON.stringify(shape.body)).toMatch(/trigger|event/i);
    expect(await queued()).toBe(0);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const huge = JSON.stringify({ deskplan: '1', padding: 'x'.repeat(1_100_000) });
    expect((await p.post(huge)).status).toBe(413);
    expect(await queued()).toBe(0);
  });

  it('accepts the previous secret during a rotation', async () => {
    expect((await p.post(body, { secret: OLD_SECRET })).status).toBe(202);
    expect(await queued()).toBe(1);
  });
});
