// What a benchmark that starts processes shares: a list of clean-up steps, run newest first on
// every way out (the end, an error, a time limit, Ctrl-C, SIGTERM), child processes stopped
// SIGTERM (or a disconnect) → SIGKILL, and a private redis-server. Exit codes: 130 after SIGINT,
// 143 after SIGTERM, 129 after SIGHUP, 1 on a failure.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRedis, type LocalRedis } from '../worker/redis/start-local-redis.js';

const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | null = null;
/** Children still running, for the last-resort 'exit' handler. */
const liveChildren = new Set<ChildProcess>();

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
    if (!exiting) console.error(`\n${signal}: stopping what this run started`);
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
// Last resort when the process ends some other way ('exit' handlers must be synchronous); the
// redis-servers are seen to by startLocalRedis, and children with an IPC channel to this process
// also exit by themselves when it closes.
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/**
 * Runs `main`, then stops everything (a failure sets exit code 1); a run that overstays
 * `limitMs` is stopped too.
 */
export async function run(main: () => Promise<void>, limitMs?: number): Promise<void> {
  const limit =
    limitMs === undefined
      ? undefined
      : setTimeout(() => {
          console.error(`benchmark took longer than ${limitMs / 1000} s; stopping`);
          stopAndExit(1);
        }, limitMs);
  limit?.unref();
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

/**
 * Stops `child` and waits for its exit: SIGTERM (or, with `disconnect`, closing its IPC channel
 * when it has one), then SIGKILL after 5 s.
 */
export function stopChild(child: ChildProcess, options: { disconnect?: boolean } = {}) {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => (clearTimeout(kill), done()));
    if (options.disconnect && child.connected) child.disconnect();
    else child.kill('SIGTERM');
  });
}

/** Stops `child` at clean-up (see stopChild), and kills it if the process ends some other way. */
export function track(child: ChildProcess, options: { disconnect?: boolean } = {}): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  onCleanUp(() => stopChild(child, options));
}

/** A redis-server of our own on 127.0.0.1, data in a temp dir (removed at the end). */
export async function privateRedis(options: { appendOnly?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deskplan-bench-redis-'));
  onCleanUp(() => rmSync(dir, { recursive: true, force: true }));
  const start = async (port?: number): Promise<LocalRedis> => {
    const server = await startLocalRedis({ dataDir: dir, appendOnly: options.appendOnly, port });
    onCleanUp(() => server.stop());
    return server;
  };
  return { dir, start };
}
