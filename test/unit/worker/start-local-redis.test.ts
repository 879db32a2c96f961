import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  findRedisServer,
  RedisServerNotFoundError,
  startLocalRedis,
} from '../../../worker/redis/start-local-redis.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('startLocalRedis without a redis-server binary', () => {
  it('says how to get one when REDIS_SERVER_BIN points nowhere', async () => {
    vi.stubEnv('REDIS_SERVER_BIN', '/nonexistent/redis-server');
    const dataDir = join(tmpdir(), 'deskplan-never-created');
    const error = await startLocalRedis({ dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisServerNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('REDIS_SERVER_BIN=/nonexistent/redis-server');
    expect(message).toContain('apt-get install redis-server');
    expect(message).toContain('brew install redis');
    expect(message).toContain('REDIS_URL=');
    expect(existsSync(dataDir)).toBe(false); // it gave up before touching anything
  });

  it('looks on PATH when REDIS_SERVER_BIN is not set', () => {
    const empty = mkdtempSync(join(tmpdir(), 'deskplan-empty-path-'));
    try {
      expect(() => findRedisServer({ PATH: empty })).toThrow(/no redis-server was found on PATH/);
      expect(() => findRedisServer({ PATH: empty })).toThrow(/apt-get install redis-server/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
