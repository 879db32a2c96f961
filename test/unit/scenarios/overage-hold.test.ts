import { describe, expect, it } from 'vitest';
import { tagChanges } from '../../../worker/rules/index.js';
import {
  compileConfig,
  handle,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = compileConfig({
  id: 'agency-client',
  timeZone: 'Asia/Tokyo',
  slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h', resolution: '1d' } } }],
  plans: [
    {
      id: 'prepaid',
      name: 'Prepaid',
      limits: [{ max: 1, per: 'month' }],
      sla: 'std',
      overage: { action: 'hold', upsell: false },
    },
  ],
  contracts: [{ id: 'c', account: { orgIds: ['1'] }, plan: 'prepaid', start: '2026-01-01' }],
});

const ticket = (id: string, tags: string[] = []) =>
  ticketEvent(
    { id, subject: 'Help', account: org('1'), createdAt: '2026-11-24T10:00:00+09:00', tags },
    { kind: tags.length ? 'ticket.updated' : 'ticket.created' },
  );

describe('overage action hold: served, then billed only once an agent approves', () => {
  it('holds the ticket past quota until the approval tag, then bills it, noting each once', () => {
    const ledger = new MemoryLedger();
    expect(handle(tenant, ledger, ticket('1')).quota).toBe('within');

    const held = handle(tenant, ledger, ticket('2'));
    expect(held.quota).toBe('over');
    expect(held.tags).toEqual([
      'deskplan_plan_prepaid',
      'deskplan_over_quota',
      'deskplan_awaiting_approval',
      'deskplan_no_sla',
    ]);
    expect(held.note).toContain('awaiting approval before it is billed');

    // An agent adds deskplan_approved: billable, said once, and the agent's tag stays.
    const withApproval = [...held.tags!, 'deskplan_approved'];
    const approved = handle(tenant, ledger, ticket('2', withApproval));
    expect(approved.tags).toEqual(
      expect.arrayContaining(['deskplan_billable', 'deskplan_approved']),
    );
    expect(approved.tags).not.toContain('deskplan_awaiting_approval');
    expect(approved.note).toBe('deskplan: Past quota: overage approved by an agent; billable.');
    expect(tagChanges(withApproval, approved.tags)).toEqual({
      add: ['deskplan_billable'],
      remove: ['deskplan_awaiting_approval'],
    });
    expect(handle(tenant, ledger, ticket('2', approved.tags!)).note).toBeNull();

    // A body rendered before the approval does not take it back.
    const stale = handle(tenant, ledger, ticket('2', held.tags!));
    expect(stale.tags).toContain('deskplan_billable');
    expect(stale.note).toBeNull();
  });
});
