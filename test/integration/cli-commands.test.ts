import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApiCommand } from '../../admin/cli/api-commands.js';
import { AGENCY_TOKEN, startAdminApi, type AdminApiHarness } from '../helpers/admin-api-harness.js';

let api: AdminApiHarness;
const dir = mkdtempSync(join(tmpdir(), 'deskplan-cli-'));
beforeAll(async () => {
  api = await startAdminApi();
});
afterAll(() => api.close());

const env = () => ({ DESKPLAN_URL: api.url, DESKPLAN_TOKEN: AGENCY_TOKEN, DESKPLAN_DATA_DIR: dir });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const example = new URL('../../docs/examples/tenants/demo.yaml', import.meta.url).pathname;

describe('deskplan CLI: help, exit codes, offline validation', () => {
  it('has --help for each command and a usage error (2) for a wrong call', async () => {
    const help = await runApiCommand('usage', ['--help'], env());
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: deskplan usage TENANT [--contract ID] [--period P]');
    const wrong = await runApiCommand('usage', ['--bogus'], env());
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/Unknown option '--bogus'/);
    const missing = await runApiCommand('pause', [], env());
    expect(missing).toMatchObject({ code: 2, out: '' });
  });

  it('validates a tenant file offline: 0 when valid, 4 with every problem by path', async () => {
    const ok = await runApiCommand('validate', ['-f', example], {});
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/tenant '.+' is valid/);
    const bad = file(
      'bad.yaml',
      'id: Bad Id\ntimeZone: Mars/Olympus\nplans:\n  - id: p\n    limits: [{ max: -1, per: fortnight }]\n',
    );
    const res = await runApiCommand('validate', ['-f', bad], {});
    expect(res.code).toBe(4);
    expect(res.err).toContain('is not a valid tenant config');
    expect(res.err).toMatch(/- id: /);
    expect(res.err).toMatch(/- plans\[0\]\.limits\[0\]\.max: /);
    const notYaml = await runApiCommand('validate', ['-f', file('x.yaml', 'a: [')], {});
    expect(notYaml.code).toBe(4);
    const absent = await runApiCommand('validate', ['-f', join(dir, 'none.yaml')], {});
    expect(absent).toMatchObject({ code: 2, err: expect.stringContaining('ENOENT') });
  });

  it('says when the service cannot be reached (3) or the token is wrong (5)', async () => {
    const down = await runApiCommand('tenants', [], {
      DESKPLAN_URL: 'http://127.0.0.1:9',
      DESKPLAN_TOKEN: 'x',
      DESKPLAN_DATA_DIR: dir,
    });
    expect(down.code).toBe(3);
    expect(down.err).toContain('cannot reach deskplan at http://127.0.0.1:9');
    const denied = await runApiCommand('tenants', [], { ...env(), DESKPLAN_TOKEN: 'wrong' });
    expect(denied.code).toBe(5);
    expect(denied.err).toMatch(/token/);
    await api.deps.tenantStore.save('acme', { id: 'acme', timeZone: 'UTC', plans: [] });
    const listed = await runApiCommand('tenants', [], env());
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^tenant\s+version\s+saved at\n─+/);
    expect(listed.out).toMatch(/\nacme\s+1\s+20\d\d-/);
  });

  it('runs as the package bin (npx deskplan)', async () => {
    const bin = new URL('../../bin/deskplan.mjs', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '--help'], {
      timeout: 30_000,
    });
    expect(stdout).toContain('exit status: 0 ok');
    const failed = await promisify(execFile)(process.execPath, [bin, 'validate', '-f', example], {
      timeout: 30_000,
    });
    expect(failed.stdout).toMatch(/is valid/);
  });
});
