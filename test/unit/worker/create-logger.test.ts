import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormat } from '../../../worker/runtime/create-logger.js';
import { loadTenantsDir } from '../../../worker/tenants/load-tenants-dir.js';
import { duplicateKeys, topLevelKeys } from '../../helpers/log-lines.js';

function capture(format: 'pretty' | 'json') {
  const lines: string[] = [];
  const logger = createLogger('info', {
    format,
    destination: { write: (chunk: string) => void lines.push(chunk) },
  });
  return { logger, lines };
}

describe('log output', () => {
  it('is pretty on a terminal and JSON when piped, unless LOG_FORMAT says otherwise', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('writes one readable line per event when pretty', () => {
    const { logger, lines } = capture('pretty');
    logger.info({ tenant: 'acme', version: 2 }, 'tenant saved');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: tenant saved /);
    expect(lines[0]).toContain('"tenant":"acme"');
    expect(lines[0]!.trimEnd()).not.toContain('\n');
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });

  it('writes JSON lines when not on a terminal', () => {
    const { logger, lines } = capture('json');
    logger.info({ tenant: 'acme' }, 'tenant saved');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, tenant: 'acme', msg: 'tenant saved' });
  });

  it('never writes a key twice in a line', () => {
    const { logger, lines } = capture('json');
    logger.info({ pid: 4242, time: 'later', msg: 'shadow' }, 'started a local redis-server');
    logger.child({ tenant: 'acme' }).warn({ tenant: 'beta' }, 'webhook refused');
    for (const line of lines) expect(duplicateKeys(line)).toEqual([]);
    expect(topLevelKeys(lines[0]!)).toContain('_pid');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      _pid: 4242,
      msg: 'started a local redis-server',
    });
  });

  it('reports an invalid tenant file on one line, each problem once, with no duplicate key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskplan-log-tenants-'));
    writeFileSync(join(dir, 'acme.yaml'), 'id: acme\ntimeZone: Nowhere/Else\n');
    const { logger, lines } = capture('json');
    const saved = {
      saveFromFile: async () => ({ status: 'saved' as const, version: 1, overrode: null }),
    };
    const [outcome] = await loadTenantsDir(dir, saved, logger, {});
    expect(outcome!.status).toBe('invalid');
    expect(lines).toHaveLength(1);
    expect(duplicateKeys(lines[0]!)).toEqual([]);
    const { msg } = JSON.parse(lines[0]!) as { msg: string };
    expect(msg).toMatch(
      /^tenant file acme.yaml is invalid; the tenant keeps its last good version: /,
    );
    expect(msg).not.toContain('\n');
    const problems = outcome!.status === 'invalid' ? outcome!.problems : [];
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(msg.split(problem).length - 1).toBe(1);
  });
});
