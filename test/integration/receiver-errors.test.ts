import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp } from '../../web-hooks/create-web-app.js';
import { startPipeline, TENANT } from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;
let port: number;
beforeAll(async () => {
  p = await startPipeline({ workers: false });
  port = Number(new URL(p.url).port);
});
afterAll(() => p.close());

/** Sends `head` (+ body) as is over a fresh connection; the status, headers and body it got. */
function raw(to: number, head: string, body = '') {
  return new Promise<{ status: number; headers: string; body: string }>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: to });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [headers = '', ...rest] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
      });
    });
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n${body}`);
  });
}

const queued = async () => Object.values(await p.queue.getJobCounts()).reduce((a, b) => a + b, 0);

describe('receiver: every error is a JSON 4xx/5xx without a stack', () => {
  it.each([
    ['the tenant id', `/webhooks/zendesk/%E0%A4%A`],
    ['the vendor', `/webhooks/%E0%A4%A/${TENANT}`],
  ])('answers a malformed percent-escape in %s with a JSON 400', async (_where, path) => {
    const response = await raw(port, `POST ${path} HTTP/1.1\r\nContent-Type: application/json`);
    expect(response.status).toBe(400);
    expect(response.headers).toMatch(/content-type: application\/json/i);
    const body = JSON.parse(response.body) as { error: { status: number; message: string } };
    expect(body.error).toEqual({ status: 400, message: expect.stringMatching(/percent-encoded/) });
    expect(response.body).not.toMatch(/at |\/work|node_modules|<html|<pre/i);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])(
    'answers %s on a webhook path with a JSON 405 and Allow: POST',
    async (method) => {
      const response = await fetch(`${p.url}/webhooks/zendesk/${TENANT}`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toEqual({
        error: { status: 405, message: expect.stringMatching(new RegExp(method)) },
      });
    },
  );

  it('answers OPTIONS on a webhook path with Allow: POST', async () => {
    const response = await fetch(`${p.url}/webhooks/zendesk/${TENANT}`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['no Content-Length nor Transfer-Encoding', ''],
    ['Content-Length: 0', '\r\nContent-Length: 0'],
    ['an empty chunked body', '\r\nTransfer-Encoding: chunked'],
  ])('answers an empty JSON body (%s) with 400 "empty body"', async (_framing, framing) => {
    const response = await raw(
      port,
      `POST /webhooks/zendesk/${TENANT} HTTP/1.1\r\nContent-Type: application/json${framing}`,
      framing.includes('chunked') ? '0\r\n\r\n' : '',
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: { status: 400, message: 'empty body' } });
    expect(await queued()).toBe(0);
  });

  it('still says which content type it got when it is not JSON', async () => {
    const response = await raw(
      port,
      `POST /webhooks/zendesk/${TENANT} HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2`,
      '{}',
    );
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body).error.message).toBe(
      'expected Content-Type application/json, got text/plain',
    );
  });
});

describe('receiver: unknown tenants cost nothing', () => {
  let server: Server;
  let appPort: number;
  const lookups: string[] = [];
  const lines: string[] = [];
  beforeAll(async () => {
    const app = createWebApp({
      tenants: {
        get: async (id) => {
          lookups.push(id);
          return null;
        },
      },
      enqueue: async () => {},
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      readiness: {},
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    appPort = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string) =>
    fetch(`http://127.0.0.1:${appPort}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

  it('refuses an id that cannot be a tenant id with a 404 before any lookup, cut to 64 characters', async () => {
    const id = `x${'y'.repeat(8_000)}`;
    const response = await post(`/webhooks/zendesk/${id}`);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text.length).toBeLessThan(200);
    expect(JSON.parse(text).error.message).toBe(`no zendesk tenant '${id.slice(0, 63)}…'`);
    expect(lookups).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const refusal = logged.find((l) => l.msg === 'webhook refused')!;
    expect(refusal.tenant).toBe(`${id.slice(0, 63)}…`);
    expect(lines.join('').length).toBeLessThan(1_000);
  });

  it.each([
    ['upper-case letters', 'Acme-Desk'],
    ['a character outside the id set', 'acme.desk'],
    ['all digits', '123456'],
  ])('refuses a tenant id with %s with a 404 before any lookup', async (_what, id) => {
    expect((await post(`/webhooks/zendesk/${id}`)).status).toBe(404);
    expect(lookups).toEqual([]);
  });

  it('refuses an unknown vendor with a 404 before any lookup', async () => {
    const response = await post(`/webhooks/${'v'.repeat(500)}/acme-desk`);
    expect(response.status).toBe(404);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toBe(`no ${'v'.repeat(63)}… tenant 'acme-desk'`);
    expect(lookups).toEqual([]);
  });

  it('looks up an id that could be a tenant id', async () => {
    expect((await post(`/webhooks/zendesk/someone-new`)).status).toBe(404);
    expect(lookups).toEqual(['someone-new']);
  });
});

describe('receiver: an unexpected failure', () => {
  it('answers 503 and logs the error with its stack', async () => {
    const lines: string[] = [];
    const app = createWebApp({
      tenants: {
        get: async () => {
          throw new TypeError('lookup exploded');
        },
      },
      enqueue: async () => {},
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      readiness: {},
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port: appPort } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${appPort}/webhooks/zendesk/acme-desk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(503);
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged.find((l) => l.msg === 'webhook failed; answered 503')).toMatchObject({
        source: 'webhook',
        tenant: 'acme-desk',
        err: {
          type: 'TypeError',
          message: 'lookup exploded',
          stack: expect.stringContaining('lookup exploded'),
        },
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
