import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, tenantFile, TENANT, waitFor } from '../helpers/pipeline-harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
const workers: { child: ChildProcess; exit: Promise<number | null> }[] = [];

function startWorkerProcess(tenantsDir: string) {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['admin/cli.ts', 'worker'], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: p.redis.url,
      DESKPLAN_PREFIX: p.redis.prefix,
      TENANTS_DIR: tenantsDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  workers.push({ child, exit });
  return waitFor('a worker process to start', () => output.includes('worker running'), 30_000);
}

beforeAll(async () => {
  p = await startPipeline({ workers: false });
  p.zendesk.addOrganization({ id: 1001 });
  const dir = mkdtempSync(join(tmpdir(), 'deskplan-tenants-'));
  writeFileSync(
    join(dir, 'acme.json'),
    JSON.stringify(tenantFile('s1-product-plan', p.zendesk.baseUrl)),
  );
  await Promise.all([startWorkerProcess(dir), startWorkerProcess(dir)]);
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await p.close();
});

describe('two worker processes against one Redis', () => {
  it('charge a ticket once however often and however concurrently it is delivered', async () => {
    const ticket = p.zendesk.addTicket({
      id: 500,
      subject: 'Product X crashes',
      organization_id: 1001,
    });
    const body = p.trigger(ticket);
    const same = await Promise.all(
      Array.from({ length: 10 }, () => p.post(body, { invocationId: 'same-delivery' })),
    );
    // Ten other deliveries about the same ticket, each a later update of it (its own body).
    const later = (i: number) =>
      p.trigger({
        ...ticket,
        updated_at: new Date(Date.parse(ticket.updated_at) + (i + 1) * 1000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      });
    const distinct = await Promise.all(Array.from({ length: 10 }, (_, i) => p.post(later(i))));
    expect([...same, ...distinct].every((r) => r.status === 202)).toBe(true);
    expect(new Set(distinct.map((r) => r.deliveryId)).size).toBe(10);
    for (const id of [same[0]!.deliveryId, ...distinct.map((r) => r.deliveryId)]) {
      expect((await p.settled(id)).state).toBe('completed');
    }
    const keys = await p.ledger.counterKeys(TENANT);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect((await p.ledger.usage(TENANT, key)).count).toBe(1);
    expect(ticket.comments.filter((c) => !c.public)).toHaveLength(1); // one plan note, not eleven
    expect(ticket.tags).toEqual(expect.arrayContaining(['deskplan_within_quota']));
  });

  it('shut down cleanly on SIGTERM', async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0]);
  });
});
