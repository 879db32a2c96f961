import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalRedis } from '../../worker/redis/start-local-redis.js';

const made: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `deskplan-${name}-`));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** True when nothing answers on the port any more. */
async function refused(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return false;
  } catch {
    return true;
  } finally {
    probe.disconnect();
  }
}

describe('a local redis-server (npm start without REDIS_URL)', () => {
  it('starts one with AOF on in its data folder, and stop() ends it', async () => {
    const dir = join(tempDir('aof'), 'nested', 'redis');
    const server = await startLocalRedis({ dataDir: dir });
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      const client = new Redis(server.url);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'dir')).toEqual(['dir', dir]);
      expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
      await client.set('kept', '1');
      await client.quit();
    } finally {
      await server.stop();
    }
    expect(await refused(server.url)).toBe(true);
    await server.stop(); // a second stop is harmless

    // The AOF was flushed: a new server on the same folder still has the key.
    const again = await startLocalRedis({ dataDir: dir });
    try {
      const client = new Redis(again.url);
      expect(await client.get('kept')).toBe('1');
      await client.quit();
    } finally {
      await again.stop();
    }
  });

  it('turns AOF off when asked, and refuses a folder that a running server still uses', async () => {
    const dir = tempDir('no-aof');
    const server = await startLocalRedis({ dataDir: dir, appendOnly: false });
    try {
      const client = new Redis(server.url);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      await client.quit();
      await expect(startLocalRedis({ dataDir: dir })).rejects.toThrow(/still uses/);
    } finally {
      await server.stop();
    }
    expect(existsSync(join(dir, 'redis-server.pid'))).toBe(false);
  });

  it('fails fast with the server output when the port is taken', async () => {
    const first = await startLocalRedis({ dataDir: tempDir('first') });
    try {
      const second = startLocalRedis({ dataDir: tempDir('second'), port: first.port });
      await expect(second).rejects.toThrow(/stopped before it answered[\s\S]*(in use|bind)/i);
    } finally {
      await first.stop();
    }
  });
});
