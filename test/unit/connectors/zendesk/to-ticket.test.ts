import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ticketSchema } from '../../../../connectors/core/ticket.js';
import { zendeskConnectionSchema } from '../../../../connectors/zendesk/connection-schema.js';
import { toTicket } from '../../../../connectors/zendesk/to-ticket.js';
import { showTicketSchema } from '../../../../connectors/zendesk/vendor-schemas.js';

const connection = zendeskConnectionSchema.parse({
  vendor: 'zendesk',
  subdomain: 'acme',
  auth: { oauthToken: 'o' },
  webhookSecrets: ['s'],
  dueFields: { firstResponse: 9001, resolution: 9002 },
  accountAttributes: ['licenses', 'tier'],
});
const show = () =>
  JSON.parse(
    readFileSync(new URL('../../../fixtures/zendesk/show-ticket.json', import.meta.url), 'utf8'),
  );

describe('Zendesk Show Ticket to the common ticket', () => {
  it('maps the ticket, its organisation and requester, and the due fields', () => {
    const ticket = toTicket(showTicketSchema.parse(show()), connection);
    expect(ticketSchema.parse(ticket)).toEqual(ticket);
    expect(ticket).toEqual({
      id: '35436',
      subject: 'Product X: cannot log in',
      status: { category: 'open', detail: 'open' },
      priority: { category: 'high', detail: 'high' },
      tags: ['vip', 'deskplan_within_quota'],
      requester: { id: '20978392', email: 'pat@Acme.Example', name: null },
      account: {
        id: '1001',
        name: 'Acme',
        emailDomain: 'acme.example',
        attributes: { licenses: 80, tier: null },
      },
      createdAt: '2024-04-17T17:18:10.000Z',
      updatedAt: '2024-04-17T17:20:01.000Z',
      firstAgentReplyAt: null,
      lastAgentReplyAt: null,
      lastCustomerMessageAt: null,
      solvedAt: null,
      firstSolvedAt: null,
      pausedIntervals: [],
      reopens: [],
      formId: '360000456',
      brandId: '360000123',
      channel: { category: 'web', detail: 'web' },
      unknownFields: [],
      customFields: {
        'deskplan.firstResponse': '2024-04-17T18:18:10.000Z',
        'deskplan.resolution': null,
      },
      vendorSpecific: { updatedStamp: '2024-04-17T17:20:01Z' },
    });
  });

  it("falls back to the organisation's first domain, and to no account without one", () => {
    const noUser = show();
    noUser.users = [];
    expect(toTicket(showTicketSchema.parse(noUser), connection).account?.emailDomain).toBe(
      'acme.example',
    );
    const noOrg = show();
    noOrg.ticket.organization_id = null;
    noOrg.organizations = [];
    noOrg.users = [];
    expect(toTicket(showTicketSchema.parse(noOrg), connection).account).toBeNull();
  });

  it('leaves priority null when Zendesk has none, and only reads configured due fields', () => {
    const raw = show();
    raw.ticket.priority = null;
    raw.ticket.status = 'hold';
    const bare = { ...connection, dueFields: {}, accountAttributes: [] };
    const ticket = toTicket(showTicketSchema.parse(raw), bare);
    expect(ticket.priority).toEqual({ category: null, detail: null });
    expect(ticket.status).toEqual({ category: 'hold', detail: 'hold' });
    expect(ticket.customFields).toEqual({});
    expect(ticket.account?.attributes).toEqual({});
  });
});
