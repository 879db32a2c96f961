import { describe, expect, it } from 'vitest';
import { computeSla } from '../../../worker/rules/decision/sla-deadlines.js';
import { compileConfig, ticketEvent } from '../../helpers/rules-fixtures.js';

// docs/config.md: "A ticket that arrives while closed starts its clock at the next opening."
// That holds for a 0-minute target too: it is due at the next opening, not at once.
const tenant = compileConfig({
  id: 'tokyo-desk',
  timeZone: 'Asia/Tokyo',
  calendars: [
    {
      id: 'office',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-18:00']]),
      ),
    },
  ],
  slaPolicies: [
    { id: 'instant', calendar: 'office', targets: { all: { firstResponse: 0, resolution: '9h' } } },
  ],
  plans: [{ id: 'p', name: 'P', sla: 'instant' }],
});
const policy = tenant.policies.get('instant')!;
const office = tenant.calendars.get('office')!;

const sla = (createdAt: string, now: string, firstAgentReplyAt: string | null = null) =>
  computeSla(
    policy,
    office,
    ticketEvent({ id: '1', subject: 'Help', createdAt, firstAgentReplyAt }).ticket,
    Date.parse(now),
  ).firstResponse!;

describe('a 0-minute first-response target', () => {
  it('on a ticket created on Saturday is due at Monday 09:00, not breached at once', () => {
    const saturday = '2026-11-21T12:00:00+09:00';
    expect(sla(saturday, '2026-11-21T12:00:01+09:00')).toMatchObject({
      due: '2026-11-23T00:00:00.000Z',
      breached: false,
      paused: false,
    });
    // A weekend reply meets it; no reply by Monday 09:00 misses it.
    expect(sla(saturday, '2026-11-23T10:00:00+09:00', '2026-11-22T10:00:00+09:00').breached).toBe(
      false,
    );
    expect(sla(saturday, '2026-11-23T09:00:01+09:00').breached).toBe(true);
  });

  it('on a ticket created during open hours is due at once', () => {
    const tuesday = '2026-11-24T10:00:00+09:00';
    expect(sla(tuesday, '2026-11-24T10:00:01+09:00')).toMatchObject({
      due: '2026-11-24T01:00:00.000Z',
      breached: true,
    });
  });
});
