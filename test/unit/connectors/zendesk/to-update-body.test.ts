import { describe, expect, it } from 'vitest';
import type { TicketPatch } from '../../../../connectors/core/ticket-patch.js';
import type { Ticket } from '../../../../connectors/core/ticket.js';
import { zendeskConnectionSchema } from '../../../../connectors/zendesk/connection-schema.js';
import { toUpdateBody } from '../../../../connectors/zendesk/to-update-body.js';

const connection = zendeskConnectionSchema.parse({
  vendor: 'zendesk',
  subdomain: 'acme',
  auth: { oauthToken: 'o' },
  webhookSecrets: ['s'],
  dueFields: { firstResponse: 9001, resolution: 9002 },
});
const ticket = {
  id: '35436',
  vendorSpecific: { updatedStamp: '2024-04-17T17:20:01Z' },
} as unknown as Ticket;
const empty: TicketPatch = { addTags: [], removeTags: [], priority: null, dues: {}, note: null };

describe('Zendesk Update Ticket body', () => {
  it('carries only what the patch changes, with a safe update', () => {
    expect(
      toUpdateBody(ticket, { ...empty, addTags: ['deskplan_over_quota'] }, connection),
    ).toEqual({
      ticket: {
        additional_tags: ['deskplan_over_quota'],
        safe_update: true,
        updated_stamp: '2024-04-17T17:20:01Z',
      },
    });
  });

  it('writes every part, clears a due with null and skips dues without a configured field', () => {
    const patch: TicketPatch = {
      addTags: ['deskplan_plan_premium'],
      removeTags: ['deskplan_plan_basic'],
      priority: 'high',
      dues: {
        firstResponse: null,
        nextResponse: '2026-11-24T02:00:00.000Z',
        resolution: '2026-11-25T01:00:00.000Z',
      },
      note: 'deskplan: Premium plan',
    };
    expect(toUpdateBody(ticket, patch, connection)).toEqual({
      ticket: {
        additional_tags: ['deskplan_plan_premium'],
        remove_tags: ['deskplan_plan_basic'],
        priority: 'high',
        custom_fields: [
          { id: 9001, value: null },
          { id: 9002, value: '2026-11-25T01:00:00.000Z' },
        ],
        comment: { body: 'deskplan: Premium plan', public: false },
        safe_update: true,
        updated_stamp: '2024-04-17T17:20:01Z',
      },
    });
  });

  it('omits the safe update when the ticket was never read from the API', () => {
    const fromWebhook = { ...ticket, vendorSpecific: {} } as Ticket;
    expect(toUpdateBody(fromWebhook, { ...empty, priority: 'urgent' }, connection)).toEqual({
      ticket: { priority: 'urgent' },
    });
  });
});
