// Where the demo keeps its data, so that it runs beside a running service (npm start) and beside
// another demo: nothing it uses is shared with them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DemoRuntime {
  /** Its own key prefix: on a shared REDIS_URL its keys never meet the service's. */
  prefix: string;
  /**
   * Its own throwaway data folder (for DESKPLAN_DATA_DIR): its redis-server's data (when there
   * is no REDIS_URL) in redis/, and a fresh secret.key for the demo tenant's secrets.
   */
  dataDir: string;
  /** What it uses, in one line, for the demo's output. */
  describe: string;
  /** Deletes the folder. */
  cleanup(): void;
}

/**
 * The demo's Redis, prefix and key: REDIS_URL when set (with a prefix of its own), else a
 * redis-server of its own on a free port in a temporary folder. Its webhook receiver and fake
 * Zendesk listen on free ports (port 0), so no port is shared either.
 */
export function demoRuntime(env: NodeJS.ProcessEnv = process.env): DemoRuntime {
  const id = randomBytes(4).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'deskplan-demo-'));
  writeFileSync(join(dataDir, 'secret.key'), `${randomBytes(32).toString('base64')}\n`, {
    mode: 0o600,
  });
  return {
    prefix: `deskplan-demo-${id}`,
    dataDir,
    describe: env.REDIS_URL
      ? `the Redis at REDIS_URL, keys under deskplan-demo-${id}: (deleted at the end)`
      : `its own redis-server, data in ${dataDir} (deleted at the end)`,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
