// What the receiver benchmarks share: the receiver in a child process (serve-web.ts) and HTTP to
// 127.0.0.1 only. The private redis-server and stopping all of it on every way out: ../lifecycle.ts.
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from '../lifecycle.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Receiver {
  child: ChildProcess;
  port: number;
  /** The receiver process's resident set size, in bytes (after a GC). */
  rss(): Promise<number>;
}

/**
 * Forks serve-web.ts against `redisUrl`, with `env` added to its environment (its logs go to
 * BENCH_LOG_FILE, else nowhere); it is stopped at clean-up.
 */
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
  // It stops when its IPC channel closes (and closes the receiver and its connections first).
  track(child, { disconnect: true });
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

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

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
