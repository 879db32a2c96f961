import { describe, expect, it } from 'vitest';
import { configWarnings } from '../../../worker/rules/config/config-warnings.js';
import { parseTenantRules } from '../../../worker/rules/index.js';
import { readExample } from '../../helpers/rules-fixtures.js';

function rules(policy: Record<string, unknown>) {
  const parsed = parseTenantRules({
    id: 'agency-client',
    timeZone: 'Europe/Berlin',
    calendars: [
      {
        id: 'office',
        hours: { mon: ['09:00-17:00'], tue: ['09:00-17:00'] },
        breaks: ['12:00-13:00'],
      },
    ],
    slaPolicies: [{ id: 'std', calendar: 'office', ...policy }],
    plans: [{ id: 'p', name: 'Plan', sla: 'std' }],
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.rules;
}

describe('config warnings: valid, but probably not what the admin meant', () => {
  it('warns about a target longer than a whole week of opening (days written as d), with its path', () => {
    // Openings are 09:00-12:00 and 13:00-17:00 on two days: 14 h a week. A 1d target is 24 h.
    expect(
      configWarnings(rules({ targets: { all: { firstResponse: '5h', resolution: '1d' } } })),
    ).toEqual([
      "slaPolicies[0].targets.all.resolution: 24h is more than a whole week of 'office' opening (14h, longest opening 4h): a day written as 'd' is 24 business hours; for working days write e.g. '3bd'",
    ]);
  });

  it('warns when a first response is due after the resolution', () => {
    expect(
      configWarnings(rules({ targets: { high: { firstResponse: '3h', resolution: '2h' } } })),
    ).toEqual([
      'slaPolicies[0].targets.high.firstResponse: 3h is longer than the resolution target (2h)',
    ]);
  });

  it('says nothing about targets that fit, business-day targets, or 24x7 policies', () => {
    expect(
      configWarnings(rules({ targets: { all: { firstResponse: '1h', resolution: '3bd' } } })),
    ).toEqual([]);
    const parsed = parseTenantRules(readExample('s5-two-products'));
    expect(parsed.ok && configWarnings(parsed.rules)).toEqual([]);
  });
});

describe('config warnings: renewals whose periods would not line up', () => {
  function withRenewal(renewal: Record<string, unknown>) {
    const parsed = parseTenantRules({
      id: 'agency-client',
      timeZone: 'Asia/Tokyo',
      plans: [{ id: 'p', name: 'Plan' }],
      contracts: [
        {
          id: 'old',
          account: { orgIds: ['1'] },
          plan: 'p',
          start: '2026-01-01',
          end: '2026-12-31',
        },
        { id: 'new', account: { orgIds: ['1'] }, plan: 'p', renews: 'old', ...renewal },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    return configWarnings(parsed.rules);
  }

  it('says nothing about a renewal that starts the day after the end it renews', () => {
    expect(withRenewal({ start: '2027-01-01' })).toEqual([]);
    const parsed = parseTenantRules(readExample('contract-renewal'));
    expect(parsed.ok && configWarnings(parsed.rules)).toEqual([]);
  });

  it('warns about a gap and about an overlap, with the path', () => {
    expect(withRenewal({ start: '2027-01-05' })).toEqual([
      "contracts[1].start: 'new' renews 'old', which ends 2026-12-31, but starts 2027-01-05, not 2027-01-01: 4 days without a contract in between; its periods will not line up with its start (anniversary periods run on from the first start, 'term' runs from its own start)",
    ]);
    expect(withRenewal({ start: '2026-12-31' })).toEqual([
      "contracts[1].start: 'new' renews 'old', which ends 2026-12-31, but starts 2026-12-31, not 2027-01-01: 1 day of overlap (the renewal applies from its start); its periods will not line up with its start (anniversary periods run on from the first start, 'term' runs from its own start)",
    ]);
  });

  it('warns when the renewal shares its quota differently, so usage would not carry over', () => {
    expect(withRenewal({ start: '2027-01-01', quotaPer: 'account' })).toEqual([
      "contracts[1].quotaPer: 'new' shares its quota per account, 'old' per contract: usage does not carry over the renewal",
    ]);
  });
});
