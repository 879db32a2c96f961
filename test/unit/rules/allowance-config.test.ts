import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseTenantRules, topUpsForLimit } from '../../../worker/rules/index.js';

const tenant = (rest: Record<string, unknown>): unknown => ({
  id: 'acme',
  timeZone: 'Asia/Tokyo',
  plans: [{ id: 'prepaid', name: 'Prepaid', limits: [{ max: 10, per: 'month' }] }],
  ...rest,
});
const plan = (...limits: unknown[]) => ({ plans: [{ id: 'prepaid', name: 'Prepaid', limits }] });
const contract = (extra: Record<string, unknown>) => ({
  id: 'k',
  account: { orgIds: ['1'] },
  plan: 'prepaid',
  start: '2026-01-01',
  ...extra,
});
const problems = (config: unknown) => {
  const parsed = parseTenantRules(config);
  return parsed.ok ? [] : parsed.problems;
};

describe('rollover config', () => {
  it('reads a cap in units or as a percentage of max, expiring after 1 period by default', () => {
    const parsed = parseTenantRules(
      tenant(
        plan(
          { id: 'units', max: 10, per: 'month', rollover: { cap: 2.5 } },
          { id: 'half', max: 10, per: 'month', rollover: { cap: '50%', expiresAfter: 3 } },
          { id: 'third', max: 10, per: 'week', rollover: { cap: '33.3%' } },
          { id: 'none', max: 10, per: 'year' },
        ),
      ),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(parsed.rules.plans[0]!.limits.map((l) => l.rollover)).toEqual([
      { cap: 2.5, expiresAfter: 1 },
      { cap: 5, expiresAfter: 3 },
      { cap: 3.33, expiresAfter: 1 },
      undefined,
    ]);
  });

  it('rejects a bad cap, and rollover on an unlimited or a term limit', () => {
    const cap =
      "expected a cap as a positive number of units or a percentage of the limit's max such as '50%'";
    expect(
      problems(
        tenant(
          plan(
            { id: 'a', max: 10, per: 'month', rollover: { cap: 'half' } },
            { id: 'b', max: 10, per: 'month', rollover: { cap: '0%' } },
            { id: 'c', max: 10, per: 'month', rollover: { cap: 0 } },
            { id: 'd', max: 10, per: 'month', rollover: { cap: 1.0001 } },
            { id: 'e', max: 10, per: 'month', rollover: { cap: 5, expiresAfter: 0 } },
            { id: 'f', max: 'unlimited', per: 'month', rollover: { cap: 5 } },
            { id: 'g', max: 10, per: 'term', rollover: { cap: 5 } },
            { id: 'h', max: 10, per: 'month', rollover: { cap: 5, after: 2 } },
            { id: 'i', max: 10, per: 'month', rollover: { cap: '0.001%' } },
          ),
        ),
      ),
    ).toEqual([
      `plans[0].limits[0].rollover.cap: ${cap}`,
      `plans[0].limits[1].rollover.cap: ${cap}`,
      'plans[0].limits[2].rollover.cap: Too small: expected number to be >0',
      'plans[0].limits[3].rollover.cap: expected units with at most 3 decimals',
      'plans[0].limits[4].rollover.expiresAfter: Too small: expected number to be >=1',
      'plans[0].limits[5].rollover: rollover needs a limit with a max: an unlimited limit has nothing left to carry over',
      'plans[0].limits[6].rollover: rollover needs a limit that renews: a term limit has a single period',
      "plans[0].limits[7].rollover: unknown key 'after'",
      'plans[0].limits[8].rollover: a cap of 0.001% of 10 is less than 0.001 units',
    ]);
  });
});

describe('top-ups config', () => {
  it('keeps the blocks and finds the limit each one tops up', () => {
    const limits = [
      { id: 'tickets-month', max: 10, per: 'month' },
      { id: 'tickets-term', max: null, per: 'term' },
    ];
    const parsed = parseTenantRules(
      tenant({
        ...plan(...limits),
        contracts: [
          contract({
            topUps: [
              { id: 'pack-1', units: 20, purchased: '2026-03-12', expires: '2026-12-31' },
              { id: 'pack-2', units: 1.5, purchased: '2026-04-01', limit: 'tickets-month' },
            ],
          }),
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const [k] = parsed.rules.contracts;
    expect(topUpsForLimit(k!.topUps, parsed.rules.plans[0]!.limits, 'tickets-month')).toEqual([
      { id: 'pack-1', units: 20, purchased: '2026-03-12', expires: '2026-12-31' },
      { id: 'pack-2', units: 1.5, purchased: '2026-04-01', expires: null },
    ]);
    expect(topUpsForLimit(k!.topUps, parsed.rules.plans[0]!.limits, 'tickets-term')).toEqual([]);
    expect(topUpsForLimit(undefined, parsed.rules.plans[0]!.limits, 'tickets-month')).toEqual([]);
  });

  it('rejects duplicate ids, expiry before purchase, unknown or unlimited limits', () => {
    const config = tenant({
      ...plan(
        { id: 'monthly', max: 10, per: 'month' },
        { id: 'weekly', max: 5, per: 'week' },
        { id: 'all', max: null, per: 'term' },
      ),
      contracts: [
        contract({
          topUps: [
            { id: 'p', units: 5, purchased: '2026-03-01', limit: 'monthly' },
            { id: 'p', units: 5, purchased: '2026-03-01', limit: 'monthly' },
            { id: 'q', units: 5, purchased: '2026-03-01', expires: '2026-02-28', limit: 'weekly' },
            { id: 'r', units: 5.0005, purchased: '2026-03-01', limit: 'monthly' },
            { id: 's', units: 5, purchased: '2026-03-01' },
          ],
        }),
        contract({
          id: 'k2',
          topUps: [
            { id: 't', units: 5, purchased: '2026-03-01', limit: 'daily' },
            { id: 'u', units: 5, purchased: '2026-03-01', limit: 'all' },
          ],
        }),
      ],
    });
    expect(problems(config)).toEqual([
      'contracts[0].topUps[2].expires: expires must not be before purchased',
      'contracts[0].topUps[3].units: expected units with at most 3 decimals',
      "contracts[0].topUps[1].id: duplicate top-up id 'p'",
      "contracts[0].topUps[4].limit: required: plan 'prepaid' has several limits with a max ('monthly', 'weekly'); say which one this block tops up",
      "contracts[1].topUps[0].limit: unknown limit 'daily' in plan 'prepaid' (limits with a max: 'monthly', 'weekly')",
      "contracts[1].topUps[1].limit: limit 'all' of plan 'prepaid' is unlimited: a top-up needs a limit with a max",
    ]);
  });

  it('refuses top-ups on a per-account quota: a block is bought for the whole contract', () => {
    const blocks = [{ id: 'p', units: 5, purchased: '2026-03-01' }];
    const config = tenant({
      contracts: [
        contract({ quotaPer: 'account', topUps: blocks }),
        contract({ id: 'tier', account: { attribute: { name: 'seats', min: 5 } }, topUps: blocks }),
        contract({
          id: 'tier-shared',
          account: { attribute: { name: 'seats', min: 5 } },
          quotaPer: 'contract',
          topUps: blocks,
        }),
        contract({ id: 'empty', quotaPer: 'account', topUps: [] }),
      ],
    });
    const then = ': a block is bought for the whole contract; set quotaPer: contract';
    expect(problems(config)).toEqual([
      `contracts[0].topUps: top-ups need one quota for the whole contract, but each account has its own here (quotaPer is account)${then}`,
      `contracts[1].topUps: top-ups need one quota for the whole contract, but each account has its own here (quotaPer defaults to account for an attribute selector)${then}`,
    ]);
  });

  it('refuses a block on a plan with no limit that has a max', () => {
    const config = tenant({
      ...plan({ max: 'unlimited', per: 'term' }),
      contracts: [contract({ topUps: [{ id: 'p', units: 5, purchased: '2026-03-01' }] })],
    });
    expect(problems(config)).toEqual([
      "contracts[0].topUps[0]: plan 'prepaid' has no limit with a max: nothing to top up",
    ]);
  });
});

describe('docs/config.md', () => {
  const doc = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');
  const yamlAfter = (heading: string) => {
    const from = doc.indexOf(`\n${heading}\n`);
    expect(from).toBeGreaterThan(0);
    return parse(/```yaml\n([\s\S]*?)```/.exec(doc.slice(from))![1]!) as Record<string, unknown>;
  };

  it('shows Rollover and Top-ups examples that are valid together', () => {
    const config = { ...yamlAfter('### Rollover'), ...yamlAfter('### Top-ups') };
    const parsed = parseTenantRules({ id: 'acme', timeZone: 'Asia/Tokyo', ...config });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(parsed.rules.plans[0]!.limits[0]!.rollover).toEqual({ cap: 5, expiresAfter: 2 });
    expect(parsed.rules.contracts[0]!.topUps).toHaveLength(2);
  });
});
