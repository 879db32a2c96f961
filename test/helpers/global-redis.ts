// Vitest globalSetup for the integration suite: REDIS_URL when set, else one redis-server on a
// free port for the whole run, stopped when the run ends (a worker's exit hooks do not run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRedis } from '../../worker/redis/start-local-redis.js';

export default async function setup() {
  if (process.env.REDIS_URL) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'deskplan-test-redis-'));
  const server = await startLocalRedis({ dataDir: dir, appendOnly: false });
  process.env.REDIS_URL = server.url;
  return async () => {
    await server.stop();
    delete process.env.REDIS_URL;
    rmSync(dir, { recursive: true, force: true });
  };
}
