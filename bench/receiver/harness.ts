// What the receiver benchmarks share: a private redis-server, the receiver in a child process
// (serve-web.ts), HTTP to 127.0.0.1 only, and stopping all of it on every way out.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalRedis, type LocalRedis } from '../../worker/redis/start-local-redis.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Receiver {
  child: ChildProcess;
  port: number;
  /** The receiver process's resident set size, in bytes (after a GC). */
  rss(): Promise<number>;
}

const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | null = null;

/** Adds a step to cleanUp() (run newest first). */
export function onCleanUp(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** Stops everything started so far (children, redis-servers, temp dirs), newest first. */
export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  })();
  return cleaning;
}

/** Stops everything, then exits with `code`; the first call wins. */
let exiting = false;
function stopAndExit(code: number): void {
  if (exiting) return;
  exiting = true;
  void cleanUp().finally(() => process.exit(code));
}

// `on`, not `once`: a Ctrl-C under `npm run bench:smoke` arrives twice (from the terminal and
// passed on by bench:smoke), and a second one must not kill us halfway through the clean-up.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.on(signal, () => {
    if (!exiting) console.error(`\n${signal}: stopping the receiver and Redis this run started`);
    stopAndExit(code);
  });
}
// A stray rejection or exception still stops what we started (then fails the run).
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    if (!exiting) console.error(error);
    stopAndExit(1);
  });
}

/** Runs `main`, then stops everything; a run that overstays `limitMs` is stopped too. */
export async function run(main: () => Promise<void>, limitMs: number): Promise<void> {
  const limit = setTimeout(() => {
    console.error(`benchmark took longer than ${limitMs / 1000} s; stopping`);
    stopAndExit(1);
  }, limitMs);
  limit.unref();
  try {
    await main();
  } catch (error) {
    if (!exiting) console.error(error); // else it is only the fallout of stopping
    process.exitCode = 1;
  } finally {
    clearTimeout(limit);
    await cleanUp();
  }
}

/** A redis-server of our own on 127.0.0.1, data in a temp dir (removed at the end). */
export async function privateRedis(options: { appendOnly?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deskplan-bench-redis-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const start = async (port?: number): Promise<LocalRedis> => {
    const server = await startLocalRedis({ dataDir: dir, appendOnly: options.appendOnly, port });
    cleanups.push(() => server.stop());
    return server;
  };
  return { dir, start };
}

/** Forks serve-web.ts against `redisUrl`; its logs go to `logFile`. */
export async function startReceiver(
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<Receiver> {
  const child = fork(join(root, 'bench/receiver/serve-web.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, REDIS_URL: redisUrl, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    // It stops when its IPC channel closes (and closes the receiver and its connections first).
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(kill);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the receiver exited (${code}) before listening`)),
    );
    child.on('message', (m: { port?: number }) => m.port && resolve(m.port));
  });
  const rss = () =>
    new Promise<number>((resolve) => {
      const onMessage = (m: { rss?: number }) => {
        if (m.rss === undefined) return;
        child.off('message', onMessage);
        resolve(m.rss);
      };
      child.on('message', onMessage);
      child.send({ rss: true });
    });
  return { child, port, rss };
}

export const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request to 127.0.0.1:`port`; resolves with the status and the body text. */
export function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
  timeoutMs = 30_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** When and where a run was measured, for its results file (others' work shows in the load). */
export function aboutTheRun(loadAtStart: number) {
  return {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    // 1-minute load average of the machine: on 2 cores, 2.0 means both busy.
    loadAverage: {
      atStart: Math.round(loadAtStart * 100) / 100,
      atEnd: Math.round(loadavg()[0]! * 100) / 100,
    },
  };
}
