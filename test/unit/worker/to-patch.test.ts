import { describe, expect, it } from 'vitest';
import { isEmptyPatch } from '../../../connectors/core/ticket-patch.js';
import { toPatch } from '../../../worker/write-back/to-patch.js';
import {
  handle,
  loadExample,
  MemoryLedger,
  org,
  ticketEvent,
} from '../../helpers/rules-fixtures.js';

const tenant = loadExample('s1-product-plan');
const created = ticketEvent({
  id: '1',
  subject: 'Product X: login fails',
  priority: 'high',
  tags: ['vip', 'deskplan_over_quota'],
  account: org('1001'),
  createdAt: '2026-11-24T10:15:00+09:00',
});

describe('the write-back patch', () => {
  it('adds and removes only deskplan tags, writes the dues it can hold, and a note', () => {
    const decision = handle(tenant, new MemoryLedger(), created);
    const patch = toPatch(decision, created.ticket, ['firstResponse', 'resolution']);
    expect(patch).toEqual({
      addTags: [
        'deskplan_plan_product_x_standard',
        'deskplan_product_product_x',
        'deskplan_within_quota',
      ],
      removeTags: ['deskplan_over_quota'],
      priority: null,
      dues: { firstResponse: '2026-11-24T02:15:00.000Z', resolution: '2026-11-24T07:15:00.000Z' },
      note: decision.note,
    });
  });

  it('is empty when the ticket already holds the desired state (our own update echoing back)', () => {
    const ledger = new MemoryLedger();
    const first = handle(tenant, ledger, created);
    const echoed = ticketEvent(
      {
        ...created.ticket,
        status: 'open',
        priority: 'high',
        tags: ['vip', ...first.tags!],
        customFields: {
          'deskplan.firstResponse': '2026-11-24T11:15:00+09:00', // the same instant, other offset
          'deskplan.resolution': '2026-11-24T07:15:00Z',
        },
      },
      { kind: 'ticket.updated' },
    );
    const decision = handle(tenant, ledger, echoed);
    expect(isEmptyPatch(toPatch(decision, echoed.ticket, ['firstResponse', 'resolution']))).toBe(
      true,
    );
  });

  it('clears a due field when the SLA no longer applies', () => {
    const ledger = new MemoryLedger();
    const first = handle(tenant, ledger, created);
    const noPlan = ticketEvent(
      {
        ...created.ticket,
        status: 'open',
        priority: 'high',
        account: org('42'),
        tags: first.tags!,
        customFields: { 'deskplan.resolution': '2026-11-24T07:15:00Z' },
      },
      { kind: 'ticket.updated' },
    );
    const patch = toPatch(handle(tenant, ledger, noPlan), noPlan.ticket, ['resolution']);
    expect(patch.dues).toEqual({ resolution: null });
    expect(patch.addTags).toEqual(['deskplan_no_contract']);
  });
});
