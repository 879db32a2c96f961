import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { Logger } from 'pino';

export interface LocalRedis {
  url: string;
  port: number;
  pid: number;
  /** Shuts the server down (SIGTERM: Redis flushes its AOF and exits) and waits for the exit. */
  stop(): Promise<void>;
}

export interface LocalRedisOptions {
  dataDir: string;
  /** A fixed port; by default a free one is picked. */
  port?: number;
  appendOnly?: boolean;
  logger?: Logger;
  /** Let this process exit while the server runs (for harnesses that stop it on exit). */
  unref?: boolean;
  /** How long to wait for it to answer; time spent loading a large AOF does not count. */
  startTimeoutMs?: number;
}

/** No redis-server to start: the message says how to get one. */
export class RedisServerNotFoundError extends Error {
  constructor(looked: string) {
    super(
      [
        `deskplan needs Redis, and ${looked}.`,
        'Get one:',
        '  Debian/Ubuntu:  apt-get install redis-server',
        '  macOS:          brew install redis',
        'or use an existing Redis:  REDIS_URL=redis://127.0.0.1:6379 npm start',
        '(REDIS_SERVER_BIN=/path/to/redis-server names a binary that is not on PATH.)',
      ].join('\n'),
    );
    this.name = 'RedisServerNotFoundError';
  }
}

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** REDIS_SERVER_BIN when set, else the first redis-server on PATH; throws when there is none. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.REDIS_SERVER_BIN;
  if (named) {
    if (isExecutable(named)) return named;
    throw new RedisServerNotFoundError(`REDIS_SERVER_BIN=${named} is not an executable file`);
  }
  const name = process.platform === 'win32' ? 'redis-server.exe' : 'redis-server';
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (isExecutable(join(dir, name))) return join(dir, name);
  }
  throw new RedisServerNotFoundError('no redis-server was found on PATH');
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

/**
 * Asks the server on `port` for its process id (INFO server): a number, '-LOADING …' while it
 * loads its AOF, or null when nobody answers. The pid tells our child from another server that
 * already holds the port.
 */
function serverPid(port: number): Promise<number | string | null> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (result: number | string | null) => {
      socket.destroy();
      done(result);
    };
    socket.setTimeout(1_000, () => finish(null));
    socket.once('error', () => finish(null));
    socket.once('close', () => finish(null));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.startsWith('-') && reply.includes('\r\n')) finish(reply.split('\r\n')[0]!);
      const pid = /process_id:(\d+)\r\n/.exec(reply);
      if (pid) finish(Number(pid[1]));
    });
  });
}

/** Refuses a data folder that a still-running redis-server (an orphan of a killed run) uses. */
function checkNotInUse(dir: string, pidFile: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return; // a stale pid file
  }
  throw new Error(
    `another redis-server (pid ${pid}) still uses ${dir}; is deskplan already running with ` +
      `this data folder? Stop it first, or give this one its own DESKPLAN_DATA_DIR or REDIS_URL ` +
      `(or delete ${pidFile} if that pid is not a redis-server)`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The redis-servers this process started and has not stopped. They run in their own process
 * group, so a Ctrl-C in the terminal (SIGINT to the whole foreground group) reaches only us and
 * we stop them after our own shutdown; in exchange we must stop them whenever we exit:
 * - on 'exit' (a normal exit, process.exit, an uncaught exception);
 * - on SIGINT/SIGTERM/SIGHUP when nothing else in this process handles that signal (then the
 *   signal's default is to die without 'exit'): stop them, then die of the signal as before.
 * A SIGKILL leaves one behind; the next start on its data folder names it (checkNotInUse).
 */
const running = new Set<ChildProcess>();
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function stopAllNow() {
  for (const child of running) {
    try {
      child.kill('SIGTERM'); // redis-server flushes its AOF and exits
    } catch {
      // already gone
    }
  }
  running.clear();
}

function onUnhandledSignal(signal: NodeJS.Signals) {
  if (process.listenerCount(signal) > 1) return; // the program handles it (and stops us)
  stopAllNow();
  for (const s of EXIT_SIGNALS) process.off(s, onUnhandledSignal);
  process.kill(process.pid, signal);
}

function track(child: ChildProcess) {
  if (running.size === 0) {
    process.on('exit', stopAllNow);
    // First in line, so the program's own listeners (even `once` ones) are still counted.
    for (const s of EXIT_SIGNALS) process.prependListener(s, onUnhandledSignal);
  }
  running.add(child);
  const forget = () => {
    if (!running.delete(child) || running.size > 0) return;
    process.off('exit', stopAllNow);
    for (const s of EXIT_SIGNALS) process.off(s, onUnhandledSignal);
  };
  child.once('exit', forget);
  child.once('error', forget);
}

async function startOnce(bin: string, dir: string, port: number, options: LocalRedisOptions) {
  const pidFile = join(dir, 'redis-server.pid');
  checkNotInUse(dir, pidFile);
  // Loopback only, no RDB snapshots, AOF per the caller, never evict (BullMQ needs every key).
  const args = [
    ...['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--pidfile', pidFile],
    ...['--appendonly', options.appendOnly === false ? 'no' : 'yes', '--save', ''],
    ...['--daemonize', 'no', '--maxmemory-policy', 'noeviction'],
  ];
  // Its own process group (detached): a Ctrl-C meant for deskplan must not stop Redis under it.
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    windowsHide: true,
  });
  track(child);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const ended: { how: string | null } = { how: null };
  const exited = new Promise<void>((done) => {
    child.once('error', (error) => ((ended.how = error.message), done()));
    child.once('exit', (code, signal) => ((ended.how = `exit ${signal ?? code}`), done()));
  });

  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ended.how !== null) return { ok: false as const, output, exit: ended.how };
    const reply = await serverPid(port);
    if (reply === child.pid) break;
    if (typeof reply === 'string' && reply.startsWith('-LOADING')) {
      deadline = Date.now() + timeoutMs; // still loading a big AOF: alive, keep waiting
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(
        `redis-server on port ${port} did not answer within ${timeoutMs} ms; its output:\n` +
          output.slice(-2_000),
      );
    }
    await sleep(50);
  }
  return { ok: true as const, child, exited, output: () => output };
}

/** Starts a redis-server child on 127.0.0.1 with its data in `dataDir`; stop() shuts it down. */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const bin = findRedisServer();
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const { logger } = options;

  // A port found free can be taken before redis-server binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const started = await startOnce(bin, dir, port, options);
    if (!started.ok) {
      const busy = /address already in use/i.test(started.output);
      if (busy && options.port === undefined && attempt < 3) continue;
      throw new Error(
        `redis-server (${bin}) stopped before it answered (${started.exit}); its output:\n` +
          started.output.slice(-2_000),
      );
    }
    const { child, exited } = started;
    let stopping: Promise<void> | null = null;
    child.once('exit', (code, signal) => {
      if (stopping) return;
      logger?.error(
        { code, signal, port, output: started.output().slice(-2_000) },
        'redis-server exited unexpectedly',
      );
    });
    if (options.unref) {
      child.unref();
      (child.stdout as unknown as Socket).unref();
      (child.stderr as unknown as Socket).unref();
    }
    logger?.info({ port, redisPid: child.pid, dataDir: dir }, 'started a local redis-server');
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid: child.pid!,
      stop() {
        stopping ??= (async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM'); // handled like SHUTDOWN: the AOF is flushed, then it exits
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
          logger?.info({ port }, 'stopped the local redis-server');
        })();
        return stopping;
      },
    };
  }
}
