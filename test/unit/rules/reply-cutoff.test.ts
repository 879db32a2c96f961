import { describe, expect, it } from 'vitest';
import {
  countRepliesFrom,
  proposedCutoff,
  replyLinesOf,
  resolveTicket,
} from '../../../worker/rules/index.js';
import { compileConfig, org, ticketEvent } from '../../helpers/rules-fixtures.js';

// A plan that counts tickets and agent replies, so the cut-off's reach shows on both.
const tenant = compileConfig({
  id: 'agency-client',
  timeZone: 'UTC',
  slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h', resolution: '1d' } } }],
  plans: [
    {
      id: 'p',
      name: 'Tickets and replies',
      sla: 'std',
      limits: [
        { unit: 'tickets', max: 10, per: 'month' },
        { unit: 'responses', max: 20, per: 'month' },
      ],
    },
  ],
  contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'p', start: '2026-01-01' }],
});

const ticket = { id: '7', subject: 'Help', account: org('1'), createdAt: '2026-11-02T09:00:00Z' };
const replyAt = (
  at: string,
  kind: 'ticket.agent_replied' | 'ticket.updated' = 'ticket.agent_replied',
) =>
  ticketEvent(
    { ...ticket, status: 'open', updatedAt: at },
    {
      kind,
      occurredAt: at,
      reply: kind === 'ticket.agent_replied' ? { id: `c-${at}`, at, public: true } : null,
    },
  );
const members = (event: ReturnType<typeof replyAt>, cutoffMs: number) =>
  countRepliesFrom(resolveTicket(tenant, event), event, () => cutoffMs).counters.map((c) => [
    c.limit.unit,
    c.member,
  ]);

describe("the reply cut-off: replies before it are a backfill's, from it on the webhooks'", () => {
  const cutoff = Date.parse('2026-11-20T12:00:00Z');

  it('counts a reply made at or after the cut-off live', () => {
    expect(members(replyAt('2026-11-20T12:00:00Z'), cutoff)).toEqual([
      ['tickets', 'ticket-7'],
      ['responses', 'reply-c-2026-11-20T12:00:00Z'],
    ]);
  });

  it('only reads the reply counter for a reply made before it, and still counts the ticket', () => {
    expect(members(replyAt('2026-11-20T11:59:59Z'), cutoff)).toEqual([
      ['tickets', 'ticket-7'],
      ['responses', null],
    ]);
  });

  it("keeps each limit's cut-off to itself: a limit whose cut-off is unset counts live", () => {
    const event = replyAt('2026-11-20T11:59:59Z');
    const resolution = resolveTicket(tenant, event);
    const [line] = replyLinesOf(resolution);
    expect(line).toMatch(/^c\//);
    const others = countRepliesFrom(resolution, event, (l) => (l === line ? undefined : cutoff));
    expect(others.counters.find((c) => c.limit.unit === 'responses')?.member).toBe(
      'reply-c-2026-11-20T11:59:59Z',
    );
  });

  it('leaves events without a reply as they are', () => {
    const event = replyAt('2026-11-19T08:00:00Z', 'ticket.updated');
    const resolution = resolveTicket(tenant, event);
    expect(countRepliesFrom(resolution, event, () => cutoff)).toBe(resolution);
  });
});

describe("the cut-off a tenant's first event proposes", () => {
  const now = Date.parse('2026-11-20T12:00:00Z');

  it('is the time of its reply, so that reply counts live', () => {
    expect(proposedCutoff(replyAt('2026-11-20T11:58:00Z'), now)).toBe(
      Date.parse('2026-11-20T11:58:00Z'),
    );
  });

  it('is now for a time in the future, over a day old, or the epoch a body without one gets', () => {
    for (const at of ['2026-11-20T12:05:00Z', '2026-11-18T12:00:00Z', '1970-01-01T00:00:00Z']) {
      expect(proposedCutoff(replyAt(at), now)).toBe(now);
    }
  });
});
