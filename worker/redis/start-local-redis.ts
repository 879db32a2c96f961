import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

export const NO_REDIS_MESSAGE = `deskplan needs Redis, and no redis-server was found on PATH.
  Install one:  apt-get install redis-server   (Debian/Ubuntu)
                brew install redis             (macOS)
  or point deskplan at an existing Redis:  REDIS_URL=redis://host:6379 npm start`;

export interface LocalRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function redisBinary(): string | null {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const probe = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  return probe.error || probe.status !== 0 ? null : bin;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {}); // refused until the server is up
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) {
      throw new Error(
        `redis-server did not answer within ${timeoutMs} ms:\n${output().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a redis-server child on loopback with its data in `dataDir`; stop() shuts it down. */
export async function startLocalRedis(options: {
  dataDir: string;
  port?: number;
  appendOnly?: boolean;
}): Promise<LocalRedis> {
  const bin = redisBinary();
  if (!bin) throw new Error(NO_REDIS_MESSAGE);
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child = spawn(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      options.appendOnly === false ? 'no' : 'yes',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(url, 10_000, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // redis-server saves the AOF and exits on SIGTERM
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
