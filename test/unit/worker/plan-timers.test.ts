import { describe, expect, it } from 'vitest';
import { planTimers } from '../../../worker/timers/plan-timers.js';
import {
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s1-product-plan');
const event = ticketEvent({
  id: '7',
  subject: 'Product X',
  priority: 'high',
  account: org('1001'),
  createdAt: '2026-11-24T10:15:00+09:00',
});

describe('SLA timers', () => {
  it('plans one timer just after each open due, and a warning before it', () => {
    const decision = handle(tenant, new MemoryLedger(), event);
    const timers = planTimers(decision, 15, Date.parse(event.occurredAt));
    expect(timers.map((t) => [t.data.metric, t.data.kind, new Date(t.at).toISOString()])).toEqual([
      ['firstResponse', 'due', '2026-11-24T02:15:01.000Z'],
      ['firstResponse', 'warn', '2026-11-24T02:00:00.000Z'],
      ['resolution', 'due', '2026-11-24T07:15:01.000Z'],
      ['resolution', 'warn', '2026-11-24T07:00:00.000Z'],
    ]);
    expect(new Set(timers.map((t) => t.jobId)).size).toBe(4);
    expect(timers.every((t) => !t.jobId.includes(':'))).toBe(true);
  });

  it('plans nothing for a first response already given, and new ids when a due moves', () => {
    const replied = ticketEvent({
      ...event.ticket,
      status: 'open',
      priority: 'high',
      firstAgentReplyAt: '2026-11-24T01:30:00Z',
    });
    const after = planTimers(
      handle(tenant, new MemoryLedger(), replied),
      0,
      Date.parse(event.occurredAt),
    );
    expect(after.map((t) => t.data.metric)).toEqual(['resolution']);

    const lowered = ticketEvent({ ...event.ticket, status: 'open', priority: 'normal' });
    const moved = planTimers(
      handle(tenant, new MemoryLedger(), lowered),
      0,
      Date.parse(event.occurredAt),
    );
    const before = planTimers(
      handle(tenant, new MemoryLedger(), event),
      0,
      Date.parse(event.occurredAt),
    );
    expect(moved.find((t) => t.data.metric === 'resolution')!.jobId).not.toBe(
      before.find((t) => t.data.metric === 'resolution')!.jobId,
    );
  });
});
