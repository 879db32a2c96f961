// Redis for integration tests: REDIS_URL when set, else one redis-server per test file on a free
// port (temp dir, no AOF), stopped after the file's tests. Each useTestRedis() call gets its own
// key prefix and deletes its keys in close(), so tests can share one server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startLocalRedis, type LocalRedis } from '../../worker/redis/start-local-redis.js';
import { connectPrefixedRedis, type TestRedis } from './prefixed-redis.js';

export type { TestRedis };

let local: { dir: string; server: Promise<LocalRedis>; onExit: () => void } | undefined;

function processRedis(): Promise<LocalRedis> {
  if (!local) {
    const dir = mkdtempSync(join(tmpdir(), 'deskplan-test-redis-'));
    const server = startLocalRedis({ dataDir: dir, appendOnly: false, unref: true });
    let pid: number | undefined;
    server.then((s) => (pid = s.pid)).catch(() => {});
    // Fallback for a process that exits before afterAll ('exit' handlers must be synchronous).
    const onExit = () => {
      if (pid) process.kill(pid, 'SIGTERM');
    };
    process.once('exit', onExit);
    local = { dir, server, onExit };
  }
  return local.server;
}

// Vitest ends its worker processes with SIGTERM, which skips 'exit' handlers: so the server is
// stopped after the importing test file's tests (each file has its own module graph).
afterAll(async () => {
  const started = local;
  local = undefined;
  if (!started) return;
  process.off('exit', started.onExit);
  await (await started.server.catch(() => null))?.stop();
  rmSync(started.dir, { recursive: true, force: true });
});

export async function useTestRedis(): Promise<TestRedis> {
  return connectPrefixedRedis(process.env.REDIS_URL || (await processRedis()).url);
}
