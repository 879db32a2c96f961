import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { NO_REDIS_MESSAGE, startLocalRedis } from '../../worker/redis/start-local-redis.js';

describe('a local redis-server for npm start', () => {
  it('starts one with AOF on in its data folder, and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskplan-aof-'));
    const server = await startLocalRedis({ dataDir: dir });
    const client = new Redis(server.url);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'dir')).toEqual(['dir', dir]);
    client.disconnect();
    await server.stop();
    const after = new Redis(server.url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    after.on('error', () => {});
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
  });

  it('says how to get Redis when there is no redis-server', async () => {
    const saved = process.env.REDIS_SERVER_BIN;
    process.env.REDIS_SERVER_BIN = '/nonexistent/redis-server';
    try {
      await expect(startLocalRedis({ dataDir: tmpdir() })).rejects.toThrow(NO_REDIS_MESSAGE);
      expect(NO_REDIS_MESSAGE).toContain('apt-get install redis-server');
    } finally {
      if (saved === undefined) delete process.env.REDIS_SERVER_BIN;
      else process.env.REDIS_SERVER_BIN = saved;
    }
  });
});
