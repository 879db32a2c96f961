import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../connectors/core/ticket.js';
import { ZENDESK_TRIGGER_BODY } from '../../connectors/zendesk/index.js';
import { evaluateTicket } from '../../worker/processors/evaluate-ticket.js';
import { localDateOf } from '../../worker/rules/calendar/local-date.js';
import { quotaRetentionMs } from '../../worker/stores/quota-ledger.js';
import { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';
import { renderTrigger } from '../fakes/render-trigger.js';
import { ticketEvent } from '../helpers/rules-fixtures.js';
import {
  startPipeline,
  TENANT,
  tenantFile,
  zendeskConnection,
} from '../helpers/pipeline-harness.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline;

/**
 * S1's tenant with a connection that has no due fields and no account attributes: its trigger
 * bodies are complete, so deskplan never reads the ticket for them. A body's own tags are then
 * all it would know — which is why what was done must come from deskplan's state.
 */
async function useBodyOnlyTenant(plans?: unknown[], more: Record<string, unknown> = {}) {
  await p.tenants.save(
    TENANT,
    tenantFile('s1-product-plan', p.zendesk.baseUrl, {
      ...(plans ? { plans } : {}),
      ...more,
      connection: zendeskConnection(p.zendesk.baseUrl),
    }),
  );
}

beforeEach(async () => {
  p = await startPipeline({ http: { timeoutMs: 400 } });
  p.zendesk.addOrganization({ id: 1001 });
  await useBodyOnlyTenant();
});
afterEach(() => p.close());

const newTicket = (id: number) =>
  p.zendesk.addTicket({ id, subject: 'Product X will not start', organization_id: 1001 });

async function deliver(body: string) {
  const response = await p.post(body);
  expect(response.status).toBe(202);
  return p.settled(response.deliveryId);
}

describe('a note is written once per reason', () => {
  it('does not repeat the plan note when Zendesk delivers a body rendered before our write', async () => {
    const ticket = newTicket(301);
    const before = p.trigger(ticket);
    await deliver(before);
    expect(p.zendesk.notes(301)).toHaveLength(1);
    expect(ticket.tags).toContain('deskplan_within_quota');

    // Another trigger's body for the same version of the ticket (no deskplan tags in it yet),
    // arriving after our write: it must not read as a first application.
    const stale = renderTrigger(
      ZENDESK_TRIGGER_BODY,
      { ...ticket, tags: [] },
      {
        currentUserRole: 'agent',
      },
    ).replace(/"updated_at": "[^"]*"/, `"updated_at": "${JSON.parse(before).ticket.updated_at}"`);
    expect(stale).not.toBe(before);
    expect((await deliver(stale)).state).toBe('completed');
    expect(p.zendesk.notes(301)).toHaveLength(1);
    expect(ticket.tags).toContain('deskplan_within_quota');
  });

  it('does not repeat it when Zendesk applied the write but answered 500, and the job retried', async () => {
    const ticket = newTicket(302);
    p.zendesk.failAfterApplying(500);
    const { state } = await deliver(p.trigger(ticket));
    expect(state).toBe('completed');
    expect(p.zendesk.writes.map((w) => w.status)).toEqual([500]);
    expect(p.zendesk.notes(302)).toHaveLength(1);
    expect(p.zendesk.notes(302)[0]).toMatch(/\(deskplan ref [0-9a-f]{12}\)$/);
  });

  it('does not repeat it when the write landed but the answer never came (a timeout)', async () => {
    const ticket = newTicket(303);
    p.zendesk.failAfterApplying(500, 1, { hang: true });
    const { state } = await deliver(p.trigger(ticket));
    expect(state).toBe('completed');
    expect(p.zendesk.notes(303)).toHaveLength(1);
    expect(ticket.tags).toContain('deskplan_within_quota');
  });

  it('still writes the note when the failed write did not land', async () => {
    const ticket = newTicket(304);
    p.zendesk.failNext(500, 1, undefined, 'PUT');
    expect((await deliver(p.trigger(ticket))).state).toBe('completed');
    expect(p.zendesk.notes(304)).toHaveLength(1);
  });
});

describe('an alert fires once per counter and threshold', () => {
  it('is not raised again when the same event is evaluated again', async () => {
    await useBodyOnlyTenant([
      {
        id: 'product-x-standard',
        name: 'Product X Standard',
        limits: [{ unit: 'tickets', max: 5, per: 'month' }],
        sla: 'product-x',
        alerts: [80, 100],
      },
    ]);
    const tenant = (await new TenantCatalog(p.tenants, 0).get(TENANT))!;
    const deps = {
      ledger: p.ledger,
      ticketStates: new TicketStateStore(p.redis.client, p.redis.prefix),
      client: tenant.connector.createClient(tenant.connection),
      now: Date.now,
    };
    const eventFor = (id: number): TicketEvent => {
      const t = newTicket(id);
      return ticketEvent(
        {
          id: String(id),
          subject: t.subject,
          account: { id: '1001', name: null, emailDomain: null, attributes: {} },
          createdAt: t.created_at,
          updatedAt: t.updated_at,
        },
        { tenantId: TENANT, eventId: `created-${id}` },
      );
    };
    for (const id of [401, 402, 403]) {
      await evaluateTicket(tenant, { event: eventFor(id), incomplete: false }, deps);
    }
    const fourth = eventFor(404);
    const first = await evaluateTicket(tenant, { event: fourth, incomplete: false }, deps);
    expect(first.decision.alerts.map((a) => a.threshold)).toEqual([80]);
    expect(p.zendesk.notes(404)[0]).toContain('80%');

    // The job runs again (the worker died before BullMQ marked it complete): no second alert.
    const again = await evaluateTicket(tenant, { event: fourth, incomplete: false }, deps);
    expect(again.decision.alerts).toEqual([]);
    expect(again.written).toBe(false);
    expect(p.zendesk.notes(404)).toHaveLength(1);
  });

  it('raises a contract expiry alert once for the tenant, its claim kept until the contract ends', async () => {
    const day = 86_400_000;
    await useBodyOnlyTenant(undefined, {
      contracts: [
        {
          id: 'acme-x',
          name: 'Acme X',
          account: { orgIds: ['1001'] },
          product: 'product-x',
          plan: 'product-x-standard',
          start: localDateOf(Date.now() - 30 * day, 'Asia/Tokyo'),
          end: localDateOf(Date.now() + 10 * day, 'Asia/Tokyo'),
        },
      ],
    });
    const tenant = (await new TenantCatalog(p.tenants, 0).get(TENANT))!;
    const deps = {
      ledger: p.ledger,
      ticketStates: new TicketStateStore(p.redis.client, p.redis.prefix),
      client: tenant.connector.createClient(tenant.connection),
      now: Date.now,
    };
    const evaluate = (id: number) => {
      const t = newTicket(id);
      const event = ticketEvent(
        {
          id: String(id),
          subject: t.subject,
          account: { id: '1001', name: null, emailDomain: null, attributes: {} },
          createdAt: t.created_at,
          updatedAt: t.updated_at,
        },
        { tenantId: TENANT, eventId: `created-${id}` },
      );
      return evaluateTicket(tenant, { event, incomplete: false }, deps);
    };

    const first = await evaluate(501);
    const [alert] = first.decision.alerts;
    expect(alert).toMatchObject({ kind: 'expiring', threshold: 30 });
    expect(p.zendesk.notes(501)[0]).toContain('Expiry alert: contract Acme X ends on');
    const key = `${p.redis.prefix}:{${TENANT}}:quota:acme-x/contract-acme-x:alerts`;
    const expiresAt = Date.now() + (await p.redis.client.pttl(key));
    const endsAt = alert!.kind === 'expiring' ? Date.parse(alert!.endsAt) : NaN;
    expect(Math.abs(expiresAt - (endsAt + quotaRetentionMs()))).toBeLessThan(60_000);

    // Another ticket the same day: the tenant has been told.
    const second = await evaluate(502);
    expect(second.decision.alerts).toEqual([]);
    expect(p.zendesk.notes(502)[0]).not.toContain('Expiry alert');
  });
});
