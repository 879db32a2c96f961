// `zcli apps:server` (Zendesk's CLI) serving manifests/zendesk locally: no Zendesk account is
// needed for this. zcli is not a dependency of deskplan, so this runs only when ZCLI_BIN names a
// zcli binary (npm install @zendesk/zcli somewhere, then ZCLI_BIN=…/node_modules/.bin/zcli).
// `zcli apps:validate` and `apps:package` POST the app to a Zendesk account, so they are not
// tested here.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ZCLI = process.env.ZCLI_BIN;
const APP = new URL('../../manifests/zendesk/', import.meta.url).pathname;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!ZCLI)('zcli apps:server serves the Zendesk app (ZCLI_BIN)', () => {
  let dir: string;
  let server: ChildProcess;
  let base: string;
  beforeAll(async () => {
    // A copy: zcli reads settings from zcli.apps.config.json beside the manifest.
    dir = mkdtempSync(join(tmpdir(), 'deskplan-zcli-'));
    cpSync(APP, join(dir, 'app'), { recursive: true });
    writeFileSync(
      join(dir, 'app', 'zcli.apps.config.json'),
      JSON.stringify({
        parameters: { deskplan_url: 'http://127.0.0.1:1', tenant_id: 'acme', api_token: 'x' },
      }),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      ZCLI!,
      ['apps:server', join(dir, 'app'), '--port', String(port), '--bind', '127.0.0.1'],
      {
        env: { ...process.env, HOME: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${base}/app.json`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('zcli apps:server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);
  afterAll(() => {
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the app from its manifest, with the ticket sidebar location', async () => {
    const body = (await (await fetch(`${base}/app.json`)).json()) as {
      apps: { name: string; framework_version: string; locations: unknown }[];
    };
    expect(body.apps[0]).toMatchObject({
      name: 'deskplan',
      framework_version: '2.0',
      locations: { support: { ticket_sidebar: { url: 'assets/iframe.html' } } },
    });
  });

  it('serves the assets', async () => {
    for (const asset of ['iframe.html', 'main.js', 'main.css', 'logo.png', 'logo-small.png']) {
      const res = await fetch(`${base}/0/assets/${asset}`);
      expect(res.status, asset).toBe(200);
    }
    expect(await (await fetch(`${base}/0/assets/iframe.html`)).text()).toContain('main.js');
  });
});
