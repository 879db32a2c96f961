import { describe, expect, it } from 'vitest';
import { compileConfig, handle, MemoryLedger, ticketEvent } from '../../helpers/rules-fixtures.js';

const plans = ['gold', 'silver', 'bronze', 'basic'].map((id) => ({ id, name: id }));

function tenantWith(contracts: Record<string, unknown>[], locale: 'en' | 'ja' = 'en') {
  return compileConfig({
    id: 'agency-client',
    timeZone: 'Asia/Tokyo',
    locale,
    products: [{ id: 'x', name: 'Product X' }],
    routing: { rules: [{ product: 'x', keywords: ['product x'] }] },
    plans,
    contracts: contracts.map((c) => ({ start: '2026-01-01', ...c })),
  });
}

/** The plan a ticket from this account gets, with this subject. */
function planFor(
  tenant: ReturnType<typeof tenantWith>,
  account: { id: string | null; emailDomain: string | null },
  subject = 'Help please',
) {
  const d = handle(
    tenant,
    new MemoryLedger(),
    ticketEvent({
      id: '1',
      subject,
      createdAt: '2026-11-24T10:00:00+09:00',
      account: { ...account, name: null, attributes: { seats: 80 } },
    }),
  );
  return d.plan?.id ?? d.outcome;
}

const acme = { id: '42', emailDomain: 'support.acme.example' };

describe('which contract applies when several cover one ticket', () => {
  it('prefers the most specific account selector, whatever the order in the file', () => {
    const contracts = [
      { id: 'by-seats', account: { attribute: { name: 'seats', min: 50 } }, plan: 'bronze' },
      { id: 'by-domain', account: { emailDomains: ['acme.example'] }, plan: 'silver' },
      { id: 'by-subdomain', account: { emailDomains: ['support.acme.example'] }, plan: 'basic' },
      { id: 'by-org', account: { orgIds: ['42'] }, plan: 'gold' },
    ];
    expect(planFor(tenantWith(contracts), acme)).toBe('gold');
    expect(planFor(tenantWith(contracts.slice(0, 3)), acme)).toBe('basic'); // deeper domain
    expect(planFor(tenantWith(contracts.slice(0, 2)), acme)).toBe('silver');
    expect(planFor(tenantWith([...contracts].reverse()), acme)).toBe('gold');
  });

  it('prefers a contract for the routed product over a more specific one for any product', () => {
    const tenant = tenantWith([
      { id: 'any', account: { orgIds: ['42'] }, plan: 'gold' },
      { id: 'x-only', account: { emailDomains: ['acme.example'] }, product: 'x', plan: 'silver' },
    ]);
    expect(planFor(tenant, acme, 'Product X crashes')).toBe('silver');
    expect(planFor(tenant, acme, 'Invoice question')).toBe('gold');
  });

  it('lets an explicit precedence override product and selector', () => {
    const tenant = tenantWith([
      { id: 'x-only', account: { orgIds: ['42'] }, product: 'x', plan: 'gold' },
      {
        id: 'umbrella',
        account: { emailDomains: ['acme.example'] },
        plan: 'basic',
        precedence: 10,
      },
    ]);
    expect(planFor(tenant, acme, 'Product X crashes')).toBe('basic');
  });

  it('keeps the first in the file among equals', () => {
    const tenant = tenantWith([
      { id: 'first', account: { orgIds: ['42'] }, plan: 'silver' },
      { id: 'second', account: { orgIds: ['42', '43'] }, plan: 'gold' },
    ]);
    expect(planFor(tenant, acme)).toBe('silver');
  });
});

describe('a ticket after its contract ended', () => {
  const contracts = [
    {
      id: 'acme-2025',
      name: 'Acme 2025',
      account: { orgIds: ['42'] },
      plan: 'gold',
      start: '2025-01-01',
      end: '2025-12-31',
    },
    {
      id: 'acme-h1',
      name: 'Acme H1',
      account: { orgIds: ['42'] },
      plan: 'gold',
      end: '2026-06-30',
    },
  ];
  const event = ticketEvent({
    id: '9',
    subject: 'Help please',
    createdAt: '2026-11-24T10:00:00+09:00',
    account: { id: '42', name: null, emailDomain: null, attributes: {} },
  });

  it('gets the no-contract outcome, with the contract that ended last named in the note', () => {
    const d = handle(tenantWith(contracts), new MemoryLedger(), event);
    expect(d.outcome).toBe('no-contract');
    expect(d.tags).toEqual(['deskplan_no_contract']);
    expect(d.note).toBe(
      'deskplan: No support contract covers this account: no plan or SLA applied. Contract Acme H1 ended on 2026-06-30.',
    );
  });

  it('says so in Japanese for a Japanese tenant', () => {
    const d = handle(tenantWith(contracts, 'ja'), new MemoryLedger(), event);
    expect(d.note).toContain('契約「Acme H1」は 2026-06-30 に終了しました。');
  });

  it('names no contract when none ever covered the account', () => {
    const d = handle(tenantWith(contracts), new MemoryLedger(), {
      ...event,
      ticket: {
        ...event.ticket,
        account: { id: '7', name: null, emailDomain: null, attributes: {} },
      },
    });
    expect(d.note).toBe(
      'deskplan: No support contract covers this account: no plan or SLA applied.',
    );
  });
});
