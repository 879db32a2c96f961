import { describe, expect, it } from 'vitest';
import { helpscoutConnectionSchema } from '../../../../connectors/helpscout/connection-schema.js';
import { localDate } from '../../../../connectors/helpscout/map-fields.js';
import {
  lostChanges,
  noteHtml,
  planWrite,
} from '../../../../connectors/helpscout/to-write-plan.js';
import { conversationSchema } from '../../../../connectors/helpscout/vendor-schemas.js';
import type { TicketPatch } from '../../../../connectors/core/ticket-patch.js';

const connection = helpscoutConnectionSchema.parse({
  vendor: 'helpscout',
  auth: { appId: 'a', appSecret: 'b' },
  webhookSecrets: ['s'],
  dueFields: { firstResponse: 103, resolution: 104 },
  timeZone: 'Asia/Tokyo',
});
const conversation = (tags: string[], fields: { id: number; value: string }[] = []) =>
  conversationSchema.parse({
    id: 23,
    createdAt: '2026-11-24T00:00:00Z',
    tags: tags.map((tag) => ({ tag })),
    customFields: fields,
  });
const patch = (p: Partial<TicketPatch>): TicketPatch => ({
  addTags: [],
  removeTags: [],
  priority: null,
  dues: {},
  note: null,
  ...p,
});

describe('Help Scout write plan (replace-all tags and fields, merged)', () => {
  it("keeps everyone else's tags, adds ours, removes only what the patch removes", () => {
    const plan = planWrite(
      conversation(['vip', 'billing', 'deskplan_within_quota', 'deskplan_priority_normal']),
      patch({
        addTags: ['deskplan_over_quota'],
        removeTags: ['deskplan_within_quota'],
        priority: 'low',
      }),
      connection,
    );
    expect(plan.tags).toEqual(['vip', 'billing', 'deskplan_over_quota', 'deskplan_priority_low']);
    expect(plan.expect.absent).toEqual(['deskplan_within_quota', 'deskplan_priority_normal']);
  });

  it('writes nothing when the tags already match', () => {
    const plan = planWrite(conversation(['vip', 'x']), patch({ addTags: ['x'] }), connection);
    expect(plan.tags).toBeNull();
    expect(plan.fields).toBeNull();
  });

  it("writes the local date of a due, keeps others' field values, clears by omission", () => {
    const plan = planWrite(
      conversation(
        ['vip'],
        [
          { id: 8, value: '6' },
          { id: 103, value: '2026-11-20' },
        ],
      ),
      patch({ dues: { resolution: '2026-11-24T16:30:00.000Z', firstResponse: null } }),
      connection,
    );
    // 16:30 UTC is 01:30 the next day in Tokyo.
    expect(plan.fields).toEqual([
      { id: 8, value: '6' },
      { id: 104, value: '2026-11-25' },
    ]);
    expect(plan.duesWritten).toEqual({
      resolution: '2026-11-24T16:30:00.000Z',
      firstResponse: null,
    });
  });

  it('does not rewrite a date field that holds the date already', () => {
    const plan = planWrite(
      conversation([], [{ id: 104, value: '2026-11-25' }]),
      patch({ dues: { resolution: '2026-11-25T03:00:00.000Z' } }),
      connection,
    );
    expect(plan.fields).toBeNull();
    expect(plan.duesWritten).toEqual({});
  });

  it('finds what a concurrent replace-all lost', () => {
    const plan = planWrite(
      conversation(['vip']),
      patch({ addTags: ['deskplan_within_quota'], dues: { resolution: '2026-11-24T01:00:00Z' } }),
      connection,
    );
    expect(lostChanges(conversation(['vip', 'deskplan_within_quota'], plan.fields!), plan)).toEqual(
      [],
    );
    expect(lostChanges(conversation(['vip', 'billing']), plan)).toEqual([
      'tag deskplan_within_quota missing',
      'field 104 is empty, not 2026-11-24',
    ]);
  });

  it('puts the exact instants in the note, escaped, line breaks kept', () => {
    expect(
      noteHtml('Plan <Gold>\n(deskplan ref abc)', { resolution: '2026-11-24T04:00:00.000Z' }),
    ).toBe(
      'deskplan due instants (the date fields hold their date):<br>\n' +
        'Resolution due: 2026-11-24T04:00:00.000Z<br>\n' +
        'Plan &lt;Gold&gt;<br>\n(deskplan ref abc)',
    );
    expect(noteHtml(null, {})).toBeNull();
    expect(localDate('2026-11-24T15:00:00Z', 'UTC')).toBe('2026-11-24');
  });
});
