import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tenantRulesJsonSchema } from '../../../worker/rules/config/json-schema.js';
import { parseTenantRules } from '../../../worker/rules/index.js';
import { readExample } from '../../helpers/rules-fixtures.js';

const examples = readdirSync(new URL('../../../docs/examples/', import.meta.url))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

const minimal = () => ({
  id: 'acme',
  timeZone: 'Asia/Tokyo',
  plans: [{ id: 'basic', name: 'Basic', limits: [{ max: 5, per: 'month' }] }],
});

describe('tenant config', () => {
  it.each(examples)('accepts the documented example %s', (name) => {
    const parsed = parseTenantRules(readExample(name));
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it.each(examples)('shows the example %s verbatim in docs/config.md', (name) => {
    const doc = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');
    const file = readFileSync(
      new URL(`../../../docs/examples/${name}.yaml`, import.meta.url),
      'utf8',
    );
    expect(doc).toContain(file);
  });

  it('fills in defaults a user may leave out', () => {
    const parsed = parseTenantRules(minimal());
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(parsed.rules.locale).toBe('en');
    expect(parsed.rules.weekStartsOn).toBe('mon');
    expect(parsed.rules.plans[0]).toMatchObject({
      reset: 'calendar',
      sla: null,
      alerts: [80, 100],
      expiryAlerts: [30, 7],
      overage: { action: 'bill', upsell: true },
      limits: [{ id: 'tickets-month', unit: 'tickets', max: 5, per: 'month' }],
    });
  });

  it('reads durations written as text', () => {
    const config = {
      ...minimal(),
      slaPolicies: [
        {
          id: 'p',
          targets: { high: { firstResponse: '1h30m', resolution: '2d' }, low: { resolution: 45 } },
        },
      ],
    };
    const parsed = parseTenantRules(config);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(parsed.rules.slaPolicies[0]!.targets.high).toEqual({
      firstResponse: 90,
      resolution: 2880,
    });
    expect(parsed.rules.slaPolicies[0]!.targets.low).toEqual({ resolution: 45 });
  });

  it('lists every problem with its path instead of applying part of the config', () => {
    const config = {
      id: 'Acme Corp',
      timeZone: 'Asia/Tokio',
      calendars: [
        {
          id: 'office',
          hours: { mon: ['09:00-18:00', '17:00-19:00'], tue: ['18:00-09:00'] },
          holidays: ['2026-02-30'],
        },
      ],
      slaPolicies: [{ id: 'p', calendar: 'office', targets: { high: { resolution: 'soon' } } }],
      plans: [
        { id: 'a', name: 'A', limits: [{ max: 5, per: 'month' }] },
        { id: 'b', name: 'B', limits: [{ max: 5, per: 'week' }] },
        {
          id: 'c',
          name: 'C',
          limits: [{ max: 5, per: 'fortnight' }],
          overage: { action: 'refund' },
        },
      ],
      contracts: [
        {
          id: 'k',
          account: { orgIds: ['1'], emailDomains: ['x.com'] },
          plan: 'a',
          start: '2026-01-01',
        },
      ],
      colour: 'blue',
    };
    const parsed = parseTenantRules(config);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      'id: expected an id of lower-case letters, digits, - and _ (at most 63, starting with a letter or digit)',
      'timeZone: expected an IANA time zone such as Asia/Tokyo, got "Asia/Tokio"',
      'calendars[0].hours.mon: opening hours on one day must not overlap',
      `calendars[0].hours.tue[0]: expected opening hours as 'HH:MM-HH:MM' with start before end (end at most 24:00), got "18:00-09:00"`,
      'calendars[0].holidays[0]: expected a date as YYYY-MM-DD',
      `slaPolicies[0].targets.high.resolution: expected a duration such as 90, '45m', '1h30m', '12h' or '7d', or business days such as '3bd', got "soon"`,
      'plans[2].limits[0].per: expected one of week, month, quarter, year, term',
      'plans[2].overage.action: expected one of bill, deprioritize, self-help, hold',
      'contracts[0].account: an account selector needs exactly one of orgIds, emailDomains or attribute',
      "(top level): unknown key 'colour'",
    ]);
  });

  it('reports references to things that do not exist, and duplicate ids', () => {
    const config = {
      ...minimal(),
      plans: [
        { id: 'basic', name: 'Basic', sla: 'gold' },
        { id: 'basic', name: 'Basic again' },
      ],
      slaPolicies: [{ id: 'p', calendar: 'office', targets: {} }],
      products: [{ id: 'x', name: 'X' }],
      contracts: [
        {
          id: 'k',
          account: { orgIds: ['1'] },
          plan: 'premium',
          product: 'y',
          start: '2026-02-01',
          end: '2026-01-01',
        },
      ],
      routing: { rules: [{ product: 'z', keywords: ['zed'] }], default: 'w' },
    };
    const parsed = parseTenantRules(config);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'contracts[0].end: end must not be before start',
      "plans[1].id: duplicate id 'basic'",
      "slaPolicies[0].calendar: unknown calendar 'office' (known: none defined)",
      "plans[0].sla: unknown SLA policy 'gold' (known: 'p')",
      "contracts[0].plan: unknown plan 'premium' (known: 'basic')",
      "contracts[0].product: unknown product 'y' (known: 'x')",
      "routing.rules[0].product: unknown product 'z' (known: 'x')",
      "routing.default: unknown product 'w' (known: 'x')",
    ]);
  });

  it('reports renewals that cannot be, with their paths', () => {
    const contract = (id: string, more: Record<string, unknown>) => ({
      id,
      account: { orgIds: ['1'] },
      plan: 'basic',
      start: '2026-01-01',
      end: '2026-12-31',
      ...more,
    });
    const parsed = parseTenantRules({
      ...minimal(),
      contracts: [
        contract('a', {}),
        contract('a-2027', { renews: 'a', start: '2027-01-01', end: '2027-12-31' }),
        contract('a-again', { renews: 'a', start: '2027-01-01', end: '2027-12-31' }),
        contract('orphan', { renews: 'nope', start: '2027-01-01', end: undefined }),
        contract('open', { end: undefined }),
        contract('open-2027', { renews: 'open', start: '2027-01-01', end: undefined }),
        contract('g', { renews: 'h' }),
        contract('h', { renews: 'g' }),
        contract('self', { renews: 'self' }),
        contract('early', { renews: 'a', start: '2025-06-01', end: '2025-12-31' }),
        contract('h1', { start: '2026-07-01' }),
        contract('h1-renewal', { renews: 'h1', start: '2026-06-01' }),
      ],
    });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      "contracts[2].renews: 'a' is already renewed by 'a-2027' (contracts[1]): a contract is renewed at most once",
      "contracts[3].renews: unknown contract 'nope' (known: 'a', 'a-2027', 'a-again', 'orphan', 'open', 'open-2027', 'g', 'h', 'self', 'early', 'h1', 'h1-renewal')",
      "contracts[5].renews: 'open' has no end: only a contract with an end date can be renewed",
      'contracts[6].renews: renewals form a cycle: g → h → g',
      'contracts[8].renews: renewals form a cycle: self → self',
      "contracts[9].renews: 'a' is already renewed by 'a-2027' (contracts[1]): a contract is renewed at most once",
      "contracts[11].start: a renewal must start after the contract it renews: 'h1' starts 2026-07-01",
    ]);
  });

  it('rejects an empty keyword and a limit of zero', () => {
    const parsed = parseTenantRules({
      ...minimal(),
      plans: [{ id: 'basic', name: 'Basic', limits: [{ max: 0, per: 'month' }] }],
      products: [{ id: 'x', name: 'X' }],
      routing: { rules: [{ product: 'x', keywords: ['  '] }] },
    });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'plans[0].limits[0].max: Too small: expected number to be >0',
      'routing.rules[0].keywords[0]: a keyword must not be empty',
    ]);
  });

  it('rejects a calendar that is never open, instead of leaving its SLAs paused for ever', () => {
    const never =
      "the calendar is never open: give at least one opening, such as mon: ['09:00-18:00']";
    const parsed = parseTenantRules({
      ...minimal(),
      calendars: [
        { id: 'office', hours: { mon: ['09:00-18:00'] } },
        { id: 'no-days', hours: {} },
        { id: 'empty-days', hours: { mon: [], tue: [], sat: [] } },
        { id: 'zero-length', hours: { mon: ['09:00-09:00'], tue: ['24:00-24:00'] } },
        { id: 'holidays-no-hours', hours: { sun: [] }, holidays: ['2026-11-03'] },
      ],
      slaPolicies: [{ id: 'p', calendar: 'no-days', targets: { all: { resolution: '1h' } } }],
    });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      `calendars[1].hours: ${never}`,
      `calendars[2].hours: ${never}`,
      `calendars[3].hours.mon[0]: expected opening hours as 'HH:MM-HH:MM' with start before end (end at most 24:00), got "09:00-09:00"`,
      `calendars[3].hours.tue[0]: expected opening hours as 'HH:MM-HH:MM' with start before end (end at most 24:00), got "24:00-24:00"`,
      `calendars[4].hours: ${never}`,
    ]);
    // The published JSON Schema says the same, for editors.
    type Schema = { properties: { calendars: { items: { properties: { hours: object } } } } };
    const { hours } = (tenantRulesJsonSchema() as Schema).properties.calendars.items.properties;
    expect(hours).toMatchObject({
      anyOf: expect.arrayContaining([{ required: ['sun'], properties: { sun: { minItems: 1 } } }]),
    });
  });

  it('publishes a JSON Schema that matches the one in docs/', () => {
    const onDisk = JSON.parse(
      readFileSync(new URL('../../../docs/config.schema.json', import.meta.url), 'utf8'),
    );
    expect(onDisk).toEqual(tenantRulesJsonSchema());
    expect(onDisk.required).toEqual(['id', 'timeZone', 'plans']);
  });
});
