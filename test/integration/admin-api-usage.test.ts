import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTicket } from '../../worker/rules/index.js';
import { startAdminApi, type AdminApiHarness } from '../helpers/admin-api-harness.js';
import { org, ticketEvent } from '../helpers/rules-fixtures.js';

let api: AdminApiHarness;
const connection = {
  vendor: 'zendesk',
  subdomain: 'client',
  auth: { email: 'agent@client.example', apiToken: 'token-123' },
  webhookSecrets: ['whsec-1'],
};
const tenantConfig = (id: string) => ({
  id,
  timeZone: 'Asia/Tokyo',
  plans: [{ id: 'prepaid', name: 'Prepaid', limits: [{ max: 2, per: 'month' }] }],
  contracts: [
    {
      id: 'acme',
      name: 'Acme 2026',
      account: { orgIds: ['1'] },
      plan: 'prepaid',
      start: '2026-10-01',
    },
  ],
  connection,
});

beforeEach(async () => {
  api = await startAdminApi();
  for (const id of ['client', 'globex']) await api.deps.tenantStore.save(id, tenantConfig(id));
});
afterEach(() => api.close());

/** Counts a ticket as the worker does: resolve, then one ledger call with the config version. */
async function count(tenantId: string, id: string, at: string) {
  const loaded = (await api.deps.catalog.get(tenantId))!;
  const event = ticketEvent(
    { id, subject: 'Help', account: org('1'), createdAt: at, updatedAt: at },
    { eventId: `evt-${id}` },
  );
  const resolution = resolveTicket(loaded.compiled, event);
  await api.deps.ledger.charge(
    tenantId,
    resolution.counters.map((c) => ({
      key: c.key,
      member: c.member,
      weight: c.weighing.weight,
      meta: { configVersion: loaded.version },
    })),
    event.eventId,
    Date.parse(at),
    { id, waived: false, asOfMs: Date.parse(at), by: null },
  );
}

async function seed() {
  for (const id of ['1', '2', '3']) await count('client', id, `2026-10-0${id}T10:00:00+09:00`);
  await count('client', '4', '2026-11-02T10:00:00+09:00');
  await count('globex', '50', '2026-10-20T10:00:00+09:00');
}

describe('admin API: usage (real Redis)', () => {
  it('explains a past period: allowance, used, overage and each counted ticket with its event and config version', async () => {
    await seed();
    const res = await api.call('get', '/tenants/client/usage?period=2026-10');
    expect(res.status).toBe(200);
    expect(res.body.counters).toHaveLength(1);
    const [october] = res.body.counters;
    expect(october).toMatchObject({
      counterKey: 'acme/tickets-month/month-2026-10-01',
      contract: { id: 'acme', name: 'Acme 2026' },
      account: null,
      limit: { id: 'tickets-month', unit: 'tickets', per: 'month' },
      period: { firstDay: '2026-10-01', lastDay: '2026-10-31' },
      included: 2,
      rollover: 0,
      topUps: 0,
      allowance: 2,
      used: 3,
      remaining: 0,
      overage: 1,
    });
    expect(october.items).toEqual([
      expect.objectContaining({ kind: 'ticket', id: '1', eventId: 'evt-1', weight: 1, overage: 0 }),
      expect.objectContaining({ kind: 'ticket', id: '2', eventId: 'evt-2', overage: 0 }),
      expect.objectContaining({
        kind: 'ticket',
        id: '3',
        eventId: 'evt-3',
        countedAt: '2026-10-03T01:00:00.000Z',
        overage: 1,
        configVersion: 1,
      }),
    ]);

    const byKey = await api.call('get', '/tenants/client/usage?period=month-2026-11-01');
    expect(byKey.body.counters.map((c: { used: number }) => c.used)).toEqual([1]);
    const byDay = await api.call('get', '/tenants/client/usage?period=2026-11-30');
    expect(byDay.body.counters[0].items.map((i: { id: string }) => i.id)).toEqual(['4']);
  });

  it('defaults to the current period and filters by contract, limit and account', async () => {
    await seed();
    await count('client', '9', new Date().toISOString());
    const current = await api.call('get', '/tenants/client/usage');
    expect(current.body.period).toBe('current');
    expect(current.body.counters).toHaveLength(1);
    expect(current.body.counters[0].items.map((i: { id: string }) => i.id)).toContain('9');
    const month = '/tenants/client/usage?period=2026-10';
    expect((await api.call('get', `${month}&contract=acme`)).body.counters).toHaveLength(1);
    expect((await api.call('get', `${month}&contract=other`)).body.counters).toEqual([]);
    expect((await api.call('get', `${month}&limit=tickets-month`)).body.counters).toHaveLength(1);
    expect((await api.call('get', `${month}&limit=replies`)).body.counters).toEqual([]);
    expect((await api.call('get', `${month}&account=org-1`)).body.counters).toEqual([]);
    const bad = await api.call('get', '/tenants/client/usage?period=last-year&format=xml');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([
      expect.stringMatching(/^query\.period: /),
      expect.stringMatching(/^query\.format: /),
    ]);
  });

  it('exports the counted items as CSV, one row per ticket', async () => {
    await seed();
    const res = await api.call('get', '/tenants/client/usage?period=2026-10&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('client-usage-2026-10.csv');
    expect(res.text.split('\r\n')).toEqual([
      'tenant,contract,account,limit,period_first_day,period_last_day,kind,id,event_id,counted_at,weight,overage_units,config_version',
      'client,acme,,tickets-month,2026-10-01,2026-10-31,ticket,1,evt-1,2026-10-01T01:00:00.000Z,1,0,1',
      'client,acme,,tickets-month,2026-10-01,2026-10-31,ticket,2,evt-2,2026-10-02T01:00:00.000Z,1,0,1',
      'client,acme,,tickets-month,2026-10-01,2026-10-31,ticket,3,evt-3,2026-10-03T01:00:00.000Z,1,1,1',
      '',
    ]);
  });

  it('shows a tenant token its own tenant only', async () => {
    await seed();
    const issued = await api.call('post', '/tokens', { body: { name: 'c', tenantId: 'client' } });
    const token = issued.body.token as string;
    expect((await api.call('get', '/tenants/client/usage?period=2026-10', { token })).status).toBe(
      200,
    );
    const other = await api.call('get', '/tenants/globex/usage?period=2026-10', { token });
    expect(other.status).toBe(403);
    expect(other.text).not.toContain('evt-50');
    expect((await api.call('get', '/reports/billing?month=2026-10', { token })).status).toBe(403);
    expect((await api.call('get', '/tenants/nobody/usage')).status).toBe(404);
  });
});

describe('admin API: billing report (real Redis)', () => {
  it('bills each tenant’s periods in the month they end, with the tickets behind the overage', async () => {
    await seed();
    const res = await api.call('get', '/reports/billing?month=2026-10');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-10-01', to: '2026-10-31', skipped: [] });
    expect(res.body.rows).toEqual([
      expect.objectContaining({
        tenantId: 'client',
        contract: { id: 'acme', name: 'Acme 2026' },
        period: expect.objectContaining({ firstDay: '2026-10-01', lastDay: '2026-10-31' }),
        final: true,
        included: 2,
        used: 3,
        overage: 1,
        overageItems: [expect.objectContaining({ kind: 'ticket', id: '3', overage: 1 })],
      }),
      expect.objectContaining({ tenantId: 'globex', used: 1, overage: 0, overageItems: [] }),
    ]);

    // A range that ends mid-November: November is listed to date, not final.
    const range = await api.call('get', '/reports/billing?from=2026-10-01&to=2026-11-15');
    expect(
      range.body.rows.map((r: { tenantId: string; period: { key: string }; final: boolean }) => [
        r.tenantId,
        r.period.key,
        r.final,
      ]),
    ).toEqual([
      ['client', 'month-2026-10-01', true],
      ['client', 'month-2026-11-01', false],
      ['globex', 'month-2026-10-01', true],
      // Nothing counted for globex in November yet: still listed, with its included units.
      ['globex', 'month-2026-11-01', false],
    ]);
    expect(range.body.rows.at(-1)).toMatchObject({ included: 2, used: 0, overage: 0 });

    const csv = await api.call('get', '/reports/billing?month=2026-10&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n').slice(0, 3)).toEqual([
      'tenant,contract,contract_name,account,plan,limit,unit,period_first_day,period_last_day,final,included,rollover,top_ups,allowance,used,overage,overage_items',
      'client,acme,Acme 2026,,prepaid,tickets-month,tickets,2026-10-01,2026-10-31,true,2,0,0,2,3,1,ticket 3 (1)',
      'globex,acme,Acme 2026,,prepaid,tickets-month,tickets,2026-10-01,2026-10-31,true,2,0,0,2,1,0,',
    ]);
  });

  it('asks for a month or a range', async () => {
    for (const query of [
      '',
      '?month=2026-13',
      '?from=2026-11-02&to=2026-11-01',
      '?month=2026-11&from=2026-11-01',
    ]) {
      const res = await api.call('get', `/reports/billing${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.error.details.length, query).toBeGreaterThan(0);
    }
  });
});
