import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
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

  describe('runs in its own process group, and still ends with the process that started it', () => {
    const module = fileURLToPath(
      new URL('../../worker/redis/start-local-redis.ts', import.meta.url),
    );
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };

    const started: number[] = [];
    afterEach(() => {
      // Nothing outlives a failed test: the starter's group, then its redis-server.
      for (const pid of started.splice(0)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    });

    /** A node process that does `before`, starts a redis-server, prints its pid, does `then`. */
    async function starter(then: string, before = '') {
      const dataDir = tempDir('owner');
      const code = `import { startLocalRedis } from ${JSON.stringify(module)};
${before}
const server = await startLocalRedis({ dataDir: ${JSON.stringify(dataDir)} });
console.log('redis ' + server.pid);
${then}`;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', code],
        { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      const exit = new Promise<{ code: number | null; signal: string | null }>((done) =>
        child.once('exit', (code, signal) => done({ code, signal })),
      );
      const pid = await new Promise<number>((done, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const found = /redis (\d+)/.exec(out);
          if (found) done(Number(found[1]));
        });
        void exit.then(() => fail(new Error(`the starter exited early: ${out}`)));
      });
      started.push(-child.pid!, pid);
      return { child, exit, pid };
    }
    async function gone(pid: number) {
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      return !alive(pid);
    }

    it('a Ctrl-C to the terminal group does not reach it, yet it stops with its owner', async () => {
      const { child, exit, pid } = await starter('setInterval(() => {}, 1000);');
      const group = (p: number) => execFileSync('ps', ['-o', 'pgid=', '-p', String(p)]).toString();
      expect(Number(group(pid))).toBe(pid); // a group of its own
      process.kill(-child.pid!, 'SIGINT'); // the whole group of the owner, as a terminal does
      expect((await exit).signal).toBe('SIGINT'); // the owner still dies of it, as by default
      expect(await gone(pid)).toBe(true);
      started.length = 0; // both gone: nothing to clean up
    });

    it("leaves a signal to the owner's own handler when it has one, even a once handler", async () => {
      // Registered before the server starts, as a program sets up its shutdown first.
      const { child, exit, pid } = await starter(
        'setInterval(() => {}, 1000);',
        `process.once('SIGINT', () => void server.stop().then(() => process.exit(7)));`,
      );
      process.kill(-child.pid!, 'SIGINT');
      expect(await exit).toEqual({ code: 7, signal: null }); // the owner's shutdown ran
      expect(await gone(pid)).toBe(true);
      started.length = 0;
    });

    it('stops when its owner crashes', async () => {
      const { exit, pid } = await starter(`setTimeout(() => { throw new Error('crash'); }, 50);`);
      expect((await exit).code).toBe(1);
      expect(await gone(pid)).toBe(true);
      started.length = 0;
    });
  });
});
