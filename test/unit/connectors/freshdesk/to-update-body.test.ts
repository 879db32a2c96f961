import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TicketPatch } from '../../../../connectors/core/ticket-patch.js';
import { freshdeskConnectionSchema } from '../../../../connectors/freshdesk/connection-schema.js';
import {
  holdsPatch,
  mergeTags,
  toNoteHtml,
  toUpdateBody,
} from '../../../../connectors/freshdesk/to-update-body.js';
import { viewTicketSchema } from '../../../../connectors/freshdesk/vendor-schemas.js';

const view = viewTicketSchema.parse(
  JSON.parse(
    readFileSync(new URL('../../../fixtures/freshdesk/view-ticket.json', import.meta.url), 'utf8'),
  ),
);
const connection = freshdeskConnectionSchema.parse({
  vendor: 'freshdesk',
  domain: 'acme',
  apiKey: 'key',
  webhookSecrets: ['current-secret-0123456789'],
});
const patch = (p: Partial<TicketPatch>): TicketPatch => ({
  addTags: [],
  removeTags: [],
  priority: null,
  dues: {},
  note: null,
  ...p,
});

describe('Freshdesk tag merge', () => {
  it("keeps everyone else's tags, adds and removes only deskplan's", () => {
    expect(
      mergeTags(['vip', 'billing issue', 'deskplan_within_quota'], {
        addTags: ['deskplan_over_quota'],
        removeTags: ['deskplan_within_quota', 'vip'],
      }),
    ).toEqual(['vip', 'billing issue', 'deskplan_over_quota']);
  });

  it('tells whether tags still hold the patch', () => {
    const p = { addTags: ['deskplan_a'], removeTags: ['deskplan_b'] };
    expect(holdsPatch(['x', 'deskplan_a'], p)).toBe(true);
    expect(holdsPatch(['x'], p)).toBe(false);
    expect(holdsPatch(['deskplan_a', 'deskplan_b'], p)).toBe(false);
  });
});

describe('Freshdesk update body', () => {
  it('sends the merged tag list, priority as 1–4 and both due dates', () => {
    const { body, skipped } = toUpdateBody(
      view,
      patch({
        addTags: ['deskplan_plan_gold'],
        removeTags: ['deskplan_within_quota'],
        priority: 'urgent',
        dues: { resolution: '2026-11-26T01:00:00.000Z' },
      }),
      connection,
    );
    expect(body).toEqual({
      tags: ['vip', 'billing issue', 'deskplan_plan_gold'],
      priority: 4,
      fr_due_by: '2026-11-25T01:00:00.000Z', // unchanged, sent with its pair
      due_by: '2026-11-26T01:00:00.000Z',
    });
    expect(skipped).toEqual([]);
  });

  it('sends nothing when the ticket already matches', () => {
    const { body } = toUpdateBody(
      view,
      patch({
        addTags: ['vip'],
        priority: 'normal',
        dues: { firstResponse: '2026-11-25T01:00:00Z' },
      }),
      connection,
    );
    expect(body).toEqual({});
  });

  it.each([
    [
      'on a Resolved ticket',
      { status: 4 },
      { resolution: '2026-11-26T01:00:00Z' },
      'dues: ticket not Open',
    ],
    [
      'on a Pending ticket',
      { status: 3 },
      { resolution: '2026-11-26T01:00:00Z' },
      'dues: ticket not Open',
    ],
    ['to clear one', {}, { resolution: null }, 'dues: cannot clear'],
    ['before created_at', {}, { firstResponse: '2026-11-23T01:00:00Z' }, 'dues: before created_at'],
    [
      'fr_due_by after due_by',
      {},
      { firstResponse: '2026-11-28T01:00:00Z' },
      'dues: fr_due_by after due_by',
    ],
  ] as const)('sends no due dates %s', (_, change, dues, why) => {
    const { body, skipped } = toUpdateBody({ ...view, ...change }, patch({ dues }), connection);
    expect(body).toEqual({});
    expect(skipped).toEqual([why]);
  });

  it.each([
    [
      'a resolution-only plan brings a later first-response due forward to it',
      { firstResponse: null, resolution: '2026-11-24T20:00:00Z' },
      { fr_due_by: '2026-11-24T20:00:00Z', due_by: '2026-11-24T20:00:00Z' },
    ],
    [
      "a resolution-only plan keeps Freshdesk's earlier first-response due",
      { firstResponse: null, resolution: '2026-11-26T20:00:00Z' },
      { fr_due_by: '2026-11-25T01:00:00.000Z', due_by: '2026-11-26T20:00:00Z' },
    ],
    [
      "a first-response-only plan keeps Freshdesk's later resolution due",
      { firstResponse: '2026-11-24T20:00:00Z', resolution: null },
      { fr_due_by: '2026-11-24T20:00:00Z', due_by: '2026-11-27T01:00:00.000Z' },
    ],
    [
      'a first-response-only plan moves an earlier resolution due back to it',
      { firstResponse: '2026-11-28T01:00:00Z', resolution: null },
      { fr_due_by: '2026-11-28T01:00:00Z', due_by: '2026-11-28T01:00:00Z' },
    ],
  ] as const)('%s', (_, dues, written) => {
    const { body, skipped } = toUpdateBody(view, patch({ dues }), connection);
    expect(body).toMatchObject(written);
    expect(skipped).toEqual([]);
  });

  it('writes no dues the tenant left to Freshdesk', () => {
    const c = freshdeskConnectionSchema.parse({ ...connection, writeDues: [] });
    expect(
      toUpdateBody(view, patch({ dues: { resolution: '2026-11-26T01:00:00Z' } }), c).body,
    ).toEqual({});
  });

  it('turns a note into escaped HTML with line breaks', () => {
    expect(toNoteHtml('a < b & "c"\nnext')).toBe('a &lt; b &amp; &quot;c&quot;<br>next');
  });
});
