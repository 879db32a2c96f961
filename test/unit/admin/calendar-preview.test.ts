import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCalendarPreview } from '../../../admin/calendar-preview.js';

const dir = mkdtempSync(join(tmpdir(), 'deskplan-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'acme.yaml'),
  `id: acme
timeZone: America/New_York
calendars:
  - id: ny
    hours: { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'], sun: ['00:00-24:00'] }
    breaks: ['12:00-13:00']
    holidays: { country: US, state: NY, dates: ['2026-12-31'], open: ['2026-11-11'] }
    specialHours: { '2026-12-24': ['09:00-12:00'], '2026-12-26': ['10:00-14:00'] }
  - id: tokyo
    timeZone: Asia/Tokyo
    hours: { mon: ['09:00-18:00'] }
plans: [{ id: a, name: A, limits: [{ max: 5, per: month }] }]
connection: { vendor: zendesk, subdomain: acme, email: a@b.c, apiToken: '\${NOT_SET}' }
`,
);
const preview = (...argv: string[]) =>
  runCalendarPreview(argv, { tenantsDir: dir, nowMs: Date.parse('2026-11-01T12:00:00Z') });

describe('deskplan calendar', () => {
  it("prints each day's open spans in the zone, with special days and holidays named", async () => {
    const result = await preview('acme', 'ny', '--from', '2026-12-23', '--days', '5');
    expect(result).toEqual({
      code: 0,
      err: '',
      out: [
        'tenant acme, calendar ny, times in America/New_York',
        'Wed 2026-12-23  09:00-12:00, 13:00-18:00',
        'Thu 2026-12-24  09:00-12:00  (special hours)',
        'Fri 2026-12-25  closed  (public holiday)',
        'Sat 2026-12-26  10:00-14:00  (special hours)',
        'Sun 2026-12-27  00:00-12:00, 13:00-24:00',
        '',
      ].join('\n'),
    });
  });

  it('shows the fall-back Sunday as it is, a worked holiday, and defaults to today for 14 days', async () => {
    const result = await preview('acme', 'ny');
    const lines = result.out.split('\n');
    expect(lines[1]).toBe('Sun 2026-11-01  00:00-12:00, 13:00-24:00');
    expect(lines).toContain(
      'Wed 2026-11-11  09:00-12:00, 13:00-18:00  (public holiday, open anyway)',
    );
    expect(lines).toContain('Tue 2026-11-03  closed  (public holiday)'); // Election Day in NY
    expect(lines.filter((l) => /^\w{3} \d{4}/.test(l))).toHaveLength(14);
    const tokyo = await preview('acme', 'tokyo', '--from', '2026-11-01', '--days', '2');
    expect(tokyo.out).toContain(
      'times in Asia/Tokyo\nSun 2026-11-01  closed\nMon 2026-11-02  09:00-18:00',
    );
  });

  it('exits 1 for an unknown tenant or calendar, 2 for a usage error, 0 for --help', async () => {
    expect((await preview('nobody', 'ny')).code).toBe(1);
    const unknown = await preview('acme', 'berlin');
    expect(unknown).toMatchObject({
      code: 1,
      err: expect.stringContaining("(known: 'ny', 'tokyo')"),
    });
    expect((await preview('acme')).code).toBe(2);
    expect((await preview('acme', 'ny', '--days', '0')).code).toBe(2);
    expect((await preview('acme', 'ny', '--from', '2026-02-30')).code).toBe(2);
    expect((await preview('acme', 'ny', '--nope')).code).toBe(2);
    expect(await preview('--help')).toMatchObject({
      code: 0,
      out: expect.stringContaining('usage'),
    });
  });

  it('runs through the CLI', () => {
    const cli = fileURLToPath(new URL('../../../admin/cli.ts', import.meta.url));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', cli, 'calendar', 'acme', 'ny', '--from', '2026-12-24', '--days', '1'],
      { env: { ...process.env, TENANTS_DIR: dir }, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Thu 2026-12-24  09:00-12:00  (special hours)');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', cli, 'calendar', 'acme'], {
      env: { ...process.env, TENANTS_DIR: dir },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
  }, 20_000);
});
