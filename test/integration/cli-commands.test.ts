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

describe('deskplan CLI against the admin API', () => {
  const demo = new URL('../../docs/examples/tenants/demo.yaml', import.meta.url).pathname;

  it('applies a tenant file, says when nothing changed, and prints it back without secrets', async () => {
    const first = await runApiCommand('apply', ['-f', demo], env());
    expect(first).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^tenant 'demo': version 1 created/),
    });
    const again = await runApiCommand('apply', ['-f', demo], env());
    expect(again.out).toMatch(/^tenant 'demo': version 1 unchanged/);
    const got = await runApiCommand('get', ['tenant', 'demo'], env());
    expect(got.code).toBe(0);
    expect(got.out).toMatch(/^tenantId: demo\nversion: 1\n/);
    expect(got.out).not.toContain('demo-token');
    const unknown = await runApiCommand('get', ['tenant', 'nobody'], env());
    expect(unknown).toMatchObject({
      code: 1,
      err: expect.stringMatching(/not found \(HTTP 404\)/),
    });
    const bad = file(
      'bad-plan.yaml',
      (await import('node:fs'))
        .readFileSync(demo, 'utf8')
        .replace('max: 2, per: week', 'max: -2, per: week'),
    );
    const refused = await runApiCommand('apply', ['-f', bad], env());
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/- body\.plans\[\d+\]\.limits\[0\]\.max: /);
  });

  it('prints usage as a table or CSV, and a billing report', async () => {
    await runApiCommand('apply', ['-f', demo], env());
    const { resolveTicket } = await import('../../worker/rules/index.js');
    const { org, ticketEvent } = await import('../helpers/rules-fixtures.js');
    const tenant = (await api.deps.catalog.get('demo'))!;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const id of ['1', '2', '3']) {
      const event = ticketEvent({ id, subject: 'Help', account: org('4001'), createdAt: now });
      const r = resolveTicket(tenant.compiled, event);
      await api.deps.ledger.charge(
        'demo',
        r.counters.map((c) => ({ key: c.key, member: c.member })),
        event.eventId,
        Date.now(),
      );
    }
    const usage = await runApiCommand('usage', ['demo', '--contract', 'globex-standard'], env());
    expect(usage.code).toBe(0);
    expect(usage.out).toMatch(
      /^contract\s+account\s+limit\s+period\s+used\s+allowance\s+remaining\s+overage\n/,
    );
    expect(usage.out).toMatch(
      /\nglobex-standard\s+—\s+tickets-month\s+\S+ – \S+\s+3\s+3\s+0\s+0\n/,
    );
    const csv = await runApiCommand('usage', ['demo', '--csv'], env());
    expect(csv.out.split('\n').filter((l) => l.startsWith('demo,globex-standard'))).toHaveLength(3);
    const month = now.slice(0, 7);
    const report = await runApiCommand('report', ['--month', month], env());
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/\ndemo\s+globex-standard\s+tickets-month/);
    const noRange = await runApiCommand('report', [], env());
    expect(noRange.code).toBe(2);
  });
});

describe('deskplan share', () => {
  it('prints a customer link once, lists it without the token, and revokes it', async () => {
    const demo = new URL('../../docs/examples/tenants/demo.yaml', import.meta.url).pathname;
    await runApiCommand('apply', ['-f', demo], env());
    const shared = await runApiCommand('share', ['demo', 'globex-standard'], env());
    expect(shared.code).toBe(0);
    const [url, info] = shared.out.split('\n');
    expect(url).toMatch(new RegExp(`^${api.url}/share/dps_`));
    const id = /link (\S+);/.exec(info!)![1]!;
    const listed = await runApiCommand('share', ['demo', '--list'], env());
    expect(listed.out).toContain(id);
    expect(listed.out).not.toContain(url!.split('/share/')[1]!);
    const revoked = await runApiCommand('share', ['demo', '--revoke', id], env());
    expect(revoked).toMatchObject({ code: 0, out: expect.stringContaining('revoked') });
    expect((await runApiCommand('share', ['demo', '--revoke', id], env())).code).toBe(1);
    expect((await runApiCommand('share', ['demo'], env())).code).toBe(2);
  });
});
