// The service as a user runs it: `deskplan start` (and `npm start`, `npm run demo`) as real
// processes, stopped with real signals.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { signZendeskWebhook, ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { freePort } from '../../worker/redis/start-local-redis.js';
import { FakeZendesk } from '../fakes/fake-zendesk.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import { duplicateKeys } from '../helpers/log-lines.js';
import { useTestRedis } from '../helpers/redis.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(root, 'node_modules/tsx/dist/loader.mjs');
const CLI = join(root, 'admin/cli.ts');
const DEMO = join(root, 'admin/demo/run-demo.ts');

const made: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `deskplan-${name}-`));
  made.push(dir);
  return dir;
};
const running: Running[] = [];
afterEach(() => {
  // A test that failed half-way leaves nothing behind (each runs in a process group of its own).
  for (const r of running.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) killGroup(r.child, 'SIGKILL');
    for (const pid of r.redisPids()) if (isRedisServer(pid)) killQuietly(pid);
  }
});
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL') {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
/** Still a redis-server (not a pid reused since): only those are ours to kill. */
function isRedisServer(pid: number) {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)])
      .toString()
      .includes('redis');
  } catch {
    return false;
  }
}
const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => killQuietly(-child.pid!, signal);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Running {
  child: ChildProcess;
  output(): string;
  /** The JSON log lines printed so far. */
  lines(): string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  redisPids(): number[];
}

/** Starts `command args` in a process group of its own, with a clean deskplan environment. */
function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd = root,
): Running {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(REDIS_URL|DESKPLAN_|PORT$|TENANTS_DIR$|LOG_|DEMO_)/.test(k),
    ),
  );
  const child = spawn(command, args, {
    cwd,
    env: { ...clean, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const lines = () => output.split('\n').filter((l) => l.startsWith('{"level"'));
  const started: Running = {
    child,
    output: () => output,
    lines,
    exit,
    redisPids: () =>
      lines()
        .map((l) => JSON.parse(l) as { msg: string; redisPid?: number })
        .filter((l) => l.msg === 'started a local redis-server')
        .map((l) => l.redisPid!),
  };
  running.push(started);
  return started;
}

const deskplan = (command: string, env: Record<string, string | undefined>, cwd?: string) =>
  run(process.execPath, ['--import', TSX, CLI, command], env, cwd);
const listening = (r: Running) =>
  waitFor('the service to start', () => r.output().includes('"msg":"worker running"'));
const within = <T>(ms: number, promise: Promise<T>, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms),
    ),
  ]);
const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => true,
    () => false,
  );

async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, r));
  return { port: (server.address() as { port: number }).port, server };
}

describe('deskplan start as a process', () => {
  it('a second start on a busy port exits 1 and says to set PORT', async () => {
    const redis = await useTestRedis();
    const { port, server } = await holdPort();
    try {
      const second = deskplan('start', {
        REDIS_URL: redis.url,
        DESKPLAN_PREFIX: redis.prefix,
        DESKPLAN_DATA_DIR: tempDir('busy'),
        PORT: String(port),
      });
      const { code } = await within(20_000, second.exit, 'the exit');
      expect(code).toBe(1);
      expect(second.output()).toContain(`port ${port} is in use`);
      expect(second.output()).toContain('set PORT to a free port');
      expect(second.output()).not.toContain('webhook receiver listening');
    } finally {
      server.close();
      await redis.close();
    }
  });

  it('PORT is checked only by the commands that listen', async () => {
    const redis = await useTestRedis();
    try {
      const load = deskplan('load-tenants', {
        REDIS_URL: redis.url,
        DESKPLAN_PREFIX: redis.prefix,
        DESKPLAN_DATA_DIR: tempDir('port-load'),
        PORT: 'abc',
      });
      expect((await within(20_000, load.exit, 'load-tenants exiting')).code).toBe(0);
      expect(load.output()).not.toContain('PORT must be a port number');
      const web = deskplan('web', { DESKPLAN_DATA_DIR: tempDir('port-web'), PORT: 'abc' });
      expect((await within(20_000, web.exit, 'web exiting')).code).toBe(1);
      expect(web.output()).toContain(`PORT must be a port number, not 'abc'`);
    } finally {
      await redis.close();
    }
  });

  it('a start on a busy port also stops the redis-server it started', async () => {
    const { port, server } = await holdPort();
    try {
      const dataDir = tempDir('busy-local');
      const second = deskplan('start', { DESKPLAN_DATA_DIR: dataDir, PORT: String(port) });
      const { code } = await within(20_000, second.exit, 'the exit');
      expect(code).toBe(1);
      expect(second.output()).toContain(`port ${port} is in use`);
      const [redisPid] = second.redisPids();
      expect(redisPid).toBeGreaterThan(0);
      await waitFor('its redis-server to stop', () => !alive(redisPid!), 5_000);
      expect(existsSync(join(dataDir, 'redis', 'redis-server.pid'))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('without a redis-server, says how to get one in plain text lines', async () => {
    const start = deskplan('start', {
      DESKPLAN_DATA_DIR: tempDir('no-redis'),
      REDIS_SERVER_BIN: '/nonexistent/redis-server',
    });
    const { code } = await within(20_000, start.exit, 'the exit');
    expect(code).toBe(1);
    const text = start.output().split('\n');
    expect(text).toContain('  Debian/Ubuntu:  apt-get install redis-server');
    expect(text).toContain('  macOS:          brew install redis');
  });

  it('Ctrl-C finishes the active job, stops its redis-server and exits 0', async () => {
    const zendesk = new FakeZendesk();
    const url = await zendesk.listen();
    try {
      zendesk.latencyMs = 1_500; // every Zendesk call of the job is slow
      zendesk.addOrganization({ id: 1001 });
      zendesk.users.set(100, { id: 100, email: 'pat@acme.example', name: 'Pat' });
      const ticket = zendesk.addTicket({
        id: 42,
        subject: 'Product X: login fails',
        organization_id: 1001,
        requester_id: 100,
      });
      const port = await freePort();
      const service = deskplan('start', {
        DESKPLAN_DATA_DIR: tempDir('sigint'),
        PORT: String(port),
        DEMO_ZENDESK_URL: url,
      });
      await listening(service);
      const [redisPid] = service.redisPids();

      const body = renderTrigger(ZENDESK_TRIGGER_BODY, ticket, {
        requesterEmail: 'pat@acme.example',
      });
      const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/zendesk/demo`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-zendesk-webhook-invocation-id': 'ctrl-c-1',
          'x-zendesk-webhook-signature-timestamp': timestamp,
          'x-zendesk-webhook-signature': signZendeskWebhook(body, 'demo-webhook-secret', timestamp),
        },
        body,
      });
      expect(response.status).toBe(202);
      await new Promise((r) => setTimeout(r, 500)); // the job is now waiting on Zendesk

      killGroup(service.child, 'SIGINT'); // what the terminal does on Ctrl-C
      const { code } = await within(15_000, service.exit, 'the exit after Ctrl-C');
      expect(code).toBe(0);
      expect(zendesk.writes).toHaveLength(1); // the job finished: the ticket was updated
      expect(service.output()).toContain('"msg":"stopped"');
      await waitFor('its redis-server to stop', () => !alive(redisPid!), 5_000);
      for (const line of service.lines()) expect(duplicateKeys(line)).toEqual([]);
    } finally {
      await zendesk.close();
    }
  });

  it('SIGTERM to npm start stops the service and its redis-server', async () => {
    const port = await freePort();
    const npm = run('npm', ['start', '--silent'], {
      DESKPLAN_DATA_DIR: tempDir('npm'),
      PORT: String(port),
    });
    await listening(npm);
    const [redisPid] = npm.redisPids();
    expect(await answers(port)).toBe(true);

    killQuietly(npm.child.pid!, 'SIGTERM'); // npm only, as a process manager would
    await within(15_000, npm.exit, 'npm exiting');
    await waitFor('the service to stop answering', async () => !(await answers(port)), 10_000);
    await waitFor('its redis-server to stop', () => !alive(redisPid!), 10_000);
    expect(npm.output()).toContain('"msg":"stopped"');
  });
});

describe('npm run demo', () => {
  it('runs beside a running service in the same folder', async () => {
    const cwd = tempDir('beside'); // both use ./data here, as npm start and npm run demo do
    const port = await freePort();
    const service = deskplan('start', { PORT: String(port) }, cwd);
    await listening(service);

    const demo = run(process.execPath, ['--import', TSX, DEMO], {}, cwd);
    const { code } = await within(60_000, demo.exit, 'the demo');
    expect(demo.output()).not.toMatch(/^\s+at /m); // no stack trace
    expect(code).toBe(0);
    expect(demo.output()).toContain('What happened to each ticket');
    expect(demo.output()).toContain('Usage per contract and period');
    // A tenant on each helpdesk, each told in its own fields.
    expect(demo.output()).toContain('Freshdesk tenant demo-freshdesk');
    expect(demo.output()).toMatch(/fr_due_by: \d{4}-\d{2}-\d{2}T/);
    expect(demo.output()).toContain('Help Scout tenant demo-helpscout');
    expect(demo.output()).toContain('deskplan_priority_low');
    expect(demo.output()).not.toMatch(/failed|refused/);

    // The service kept running, undisturbed.
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    killGroup(service.child, 'SIGTERM');
    expect((await within(15_000, service.exit, 'the service exiting')).code).toBe(0);
  });
});
