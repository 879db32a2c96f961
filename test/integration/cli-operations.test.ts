import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApiCommand } from '../../admin/cli/api-commands.js';
import { OPS_AGENCY_TOKEN, startOperations } from '../helpers/operations-harness.js';
import { TENANT } from '../helpers/pipeline-harness.js';

let ops: Awaited<ReturnType<typeof startOperations>>;
beforeAll(async () => {
  ops = await startOperations();
});
afterAll(() => ops.close());

const env = () => ({ DESKPLAN_URL: ops.url, DESKPLAN_TOKEN: OPS_AGENCY_TOKEN });

describe('deskplan failed, retry, pause and resume', () => {
  it('pauses and resumes a tenant and reports its failed jobs, with exit codes a script can use', async () => {
    const paused = await runApiCommand('pause', [TENANT], env());
    expect(paused).toMatchObject({
      code: 0,
      out: expect.stringContaining(`tenant '${TENANT}' paused`),
    });
    const status = await ops.call('get', `/api/tenants/${TENANT}/status`);
    expect(status.body).toMatchObject({ paused: true });
    const resumed = await runApiCommand('resume', [TENANT], env());
    expect(resumed).toMatchObject({ code: 0, out: expect.stringContaining('resumed') });
    expect((await ops.call('get', `/api/tenants/${TENANT}/status`)).body).toMatchObject({
      paused: false,
    });

    const failed = await runApiCommand('failed', [TENANT], env());
    expect(failed).toMatchObject({ code: 0, out: `no failed jobs for '${TENANT}'\n` });
    const retried = await runApiCommand('retry', [TENANT], env());
    expect(retried).toMatchObject({ code: 0, out: `retried 0 job(s) of '${TENANT}'\n` });
    const missing = await runApiCommand('retry', [TENANT, 'no-such-job'], env());
    expect(missing.code).toBe(1);
    const tenantToken = (await ops.tokens.issue('acme', TENANT)).token;
    const notAgency = await runApiCommand('pause', [TENANT], {
      ...env(),
      DESKPLAN_TOKEN: tenantToken,
    });
    expect(notAgency.code).toBe(5);
  });
});
