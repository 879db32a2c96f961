import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoRuntime } from '../../../admin/demo/demo-runtime.js';
import { parseSecretKey } from '../../../worker/tenants/seal-secrets.js';

describe('where the demo keeps its data', () => {
  it('shares no folder, key prefix or secret key with the service or another demo', () => {
    const [a, b] = [demoRuntime({}), demoRuntime({})];
    try {
      for (const r of [a, b]) {
        expect(r.prefix).toMatch(/^deskplan-demo-[0-9a-f]{8}$/);
        expect(r.dataDir).not.toBe(resolve('data'));
        expect(statSync(join(r.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
        expect(r.describe).toContain('its own redis-server');
      }
      expect(a.prefix).not.toBe(b.prefix);
      expect(a.dataDir).not.toBe(b.dataDir);
      const key = (dir: string) =>
        parseSecretKey(readFileSync(join(dir, 'secret.key'), 'utf8'), dir);
      expect(key(a.dataDir).id).not.toBe(key(b.dataDir).id);
    } finally {
      a.cleanup();
      b.cleanup();
    }
    expect(existsSync(a.dataDir)).toBe(false);
  });

  it('uses REDIS_URL when set, under its own prefix', () => {
    const r = demoRuntime({ REDIS_URL: 'redis://127.0.0.1:6379' });
    r.cleanup();
    expect(r.describe).toContain(`the Redis at REDIS_URL, keys under ${r.prefix}:`);
  });
});
