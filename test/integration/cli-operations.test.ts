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
    expect(resumed).toMatchObject({
      code: 0,
      out: `tenant '${TENANT}' resumed: 0 kept job(s) queued\n`,
    });
    expect((await ops.call('get', `/api/tenants/${TENANT}/status`)).body).toMatchObject({
      paused: false,
    });

    const none = await runApiCommand('failed', [TENANT], env());
    expect(none).toMatchObject({ code: 0, out: `no failed jobs for '${TENANT}'\n` });

    // A job Zendesk refuses (an update of a closed ticket): listed with its answer, retried.
    ops.zendesk.addOrganization({ id: 1001, name: 'Acme' });
    const ticket = ops.zendesk.addTicket({
      id: 301,
      subject: 'Product X: login fails',
      organization_id: 1001,
    });
    ticket.status = 'closed';
    const posted = await ops.post(ops.trigger(ticket));
    expect((await ops.settled(posted.deliveryId)).state).toBe('failed');
    const failed = await runApiCommand('failed', [TENANT], env());
    expect(failed.code).toBe(0);
    expect(failed.out).toMatch(/^job\s+kind\s+ticket\s+failed at\s+attempts\s+error\n/);
    expect(failed.out).toMatch(
      /\n\S+\s+ticket\.\S+\s+301\s+\S+\s+1\s+zendesk 422: .*Ticket is closed/,
    );
    const again = await runApiCommand('retry', [TENANT], env());
    expect(again).toMatchObject({ code: 0, out: `retried 1 job(s) of '${TENANT}'\n` });
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
