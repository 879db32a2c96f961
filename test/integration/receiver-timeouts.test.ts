import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from '../../web-hooks/start-web.js';
import { createContext, type RuntimeContext } from '../../worker/runtime/create-context.js';
import { TENANT, tenantFile } from '../helpers/pipeline-core.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let ctx: RuntimeContext;
let web: Awaited<ReturnType<typeof startWeb>>;
beforeAll(async () => {
  redis = await useTestRedis();
  ctx = await createContext({
    logger: pino({ level: 'silent' }),
    redisUrl: redis.url,
    prefix: redis.prefix,
  });
  await ctx.tenantStore.save(TENANT, tenantFile('s1-product-plan', 'http://127.0.0.1:9'));
  web = await startWeb(
    ctx,
    0,
    {},
    {
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      keepAliveTimeoutMs: 200,
    },
  );
});
afterAll(async () => {
  await web?.close();
  await ctx?.close();
  await redis?.close();
});

/**
 * Opens a connection, writes `first`, then `drip` every 50 ms until the server closes it; how
 * long that took and what the server said.
 */
function slowClient(first: string, drip = '') {
  return new Promise<{ ms: number; answer: string }>((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port: web.port });
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => {}); // a reset after the 408 is the expected end
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: performance.now() - started, answer });
    });
    socket.on('connect', () => {
      socket.write(first);
      if (drip) timer = setInterval(() => socket.writable && socket.write(drip), 50);
    });
    setTimeout(() => reject(new Error('the server kept the slow client for 5 s')), 5_000).unref();
  });
}

describe('receiver: slow clients are cut off', () => {
  it('cuts off a client that sends its headers too slowly', async () => {
    const { ms, answer } = await slowClient(
      `POST /webhooks/zendesk/${TENANT} HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
      'X-Slow: a\r\n',
    );
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(1_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off a client that never finishes its body', async () => {
    const { ms, answer } = await slowClient(
      [
        `POST /webhooks/zendesk/${TENANT} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'Content-Length: 100',
        '',
        '{"deskplan":',
      ].join('\r\n'),
    );
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(2_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { ms, answer } = await slowClient('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(ms).toBeLessThan(3_000); // Node adds up to 1 s to the keep-alive timeout
  });
});
