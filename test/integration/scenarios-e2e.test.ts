import { afterEach, describe, expect, it } from 'vitest';
import { DUE_FIELDS, startPipeline, TENANT } from '../helpers/pipeline-harness.js';
import { readExample } from '../helpers/rules-fixtures.js';
import { prefill } from '../helpers/vendor-adapters.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
let p: Pipeline | null = null;
afterEach(async () => {
  await p?.close();
  p = null;
});

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const plusHours = (iso: string, h: number) =>
  new Date(Date.parse(iso) + h * 3_600_000).toISOString();
type Put = {
  ticket: {
    additional_tags?: string[];
    remove_tags?: string[];
    priority?: string;
    custom_fields?: { id: number; value: string | null }[];
    comment?: { body: string; public: boolean };
  };
};

/** Runs one ticket through the whole pipeline and returns the body of the write-back. */
async function writeBack(
  example: string,
  ticket: {
    id: number;
    subject: string;
    priority?: 'low' | 'normal' | 'high' | 'urgent';
    org: { id: number; fields?: Record<string, number> };
    email?: string;
  },
  alreadyFiled = 0,
) {
  p = await startPipeline({ example });
  p.zendesk.addOrganization({ id: ticket.org.id, organization_fields: ticket.org.fields ?? {} });
  const email = ticket.email ?? 'someone@acme.example';
  p.zendesk.users.set(77, { id: 77, email, name: 'Requester' });
  const created = now();
  if (alreadyFiled > 0) {
    const filed = { account: { id: ticket.org.id }, requesterEmail: email, createdAt: created };
    await prefill({ vendor: 'zendesk', p }, readExample(example), filed, alreadyFiled);
  }
  const t = p.zendesk.addTicket({
    id: ticket.id,
    subject: ticket.subject,
    priority: ticket.priority ?? 'normal',
    organization_id: ticket.org.id,
    requester_id: 77,
    created_at: created,
    updated_at: created,
  });
  const response = await p.post(p.trigger(t));
  expect(response.status).toBe(202);
  expect((await p.settled(response.deliveryId)).state).toBe('completed');
  expect(p.zendesk.writes).toHaveLength(1);
  return { put: p.zendesk.writes[0]!.body as Put, created, ticket: t };
}

const field = (put: Put, id: number) => put.ticket.custom_fields?.find((f) => f.id === id)?.value;

describe('scenarios end to end: signed webhook in, write-back body out', () => {
  it('S1: a Product X subject gets the product plan, tags and both dues', async () => {
    const { put } = await writeBack('s1-product-plan', {
      id: 11,
      subject: '製品Ｘの設定',
      priority: 'high',
      org: { id: 1001 },
    });
    expect(put.ticket.additional_tags).toEqual([
      'deskplan_plan_product_x_standard',
      'deskplan_product_product_x',
      'deskplan_within_quota',
    ]);
    expect(Date.parse(field(put, DUE_FIELDS.resolution)!)).toBeGreaterThan(
      Date.parse(field(put, DUE_FIELDS.firstResponse)!),
    );
  });

  it('S2: 80 licenses get the Team tier: reply in 3 h, resolve in 1 day', async () => {
    const { put, created } = await writeBack('s2-license-tiers', {
      id: 21,
      subject: 'Sync stopped',
      org: { id: 7001, fields: { licenses: 80 } },
    });
    expect(put.ticket.additional_tags).toContain('deskplan_plan_licenses_50_100');
    expect(field(put, DUE_FIELDS.firstResponse)).toBe(plusHours(created, 3));
    expect(field(put, DUE_FIELDS.resolution)).toBe(plusHours(created, 24));
  });

  it('S3: a Premium customer is resolved within 3 h, with a Japanese note', async () => {
    const { put, created } = await writeBack('s3-importance', {
      id: 31,
      subject: '請求書が届かない',
      org: { id: 2001 },
    });
    expect(put.ticket.additional_tags).toContain('deskplan_plan_premium');
    expect(field(put, DUE_FIELDS.resolution)).toBe(plusHours(created, 3));
    expect(put.ticket.comment?.body).toContain(
      'プレミアムプラン: 今月のチケット 1/20 件使用、残り 19 件',
    );
  });

  it('S4: the 51st ticket of the month is served past quota, pointed to self-help, flagged for upsell', async () => {
    const { put } = await writeBack(
      's4-exhausted-quota',
      { id: 41, subject: 'One more question', org: { id: 4001 } },
      50,
    );
    expect(put.ticket.additional_tags).toEqual([
      'deskplan_plan_standard_50',
      'deskplan_over_quota',
      'deskplan_self_help',
      'deskplan_upsell',
      'deskplan_no_sla',
    ]);
    expect(put.ticket.custom_fields).toBeUndefined(); // no SLA, nothing to write
    expect(put.ticket.comment?.body).toContain('Help centre https://help.example.com/');
    expect(put.ticket.comment?.body).toContain('Quota exceeded: 51 of 50 tickets this month.');
  });

  it('S5: a security question counts against the security contract with its 12 h SLA', async () => {
    const { put, created } = await writeBack('s5-two-products', {
      id: 51,
      subject: 'セキュリティ警告が出る',
      priority: 'high',
      org: { id: 5001 },
    });
    expect(put.ticket.additional_tags).toEqual([
      'deskplan_plan_security_12',
      'deskplan_product_security',
      'deskplan_within_quota',
    ]);
    expect(field(put, DUE_FIELDS.resolution)).toBe(plusHours(created, 12));
    const keys = await p!.ledger.counterKeys(TENANT);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^tanaka-security\//);
  });

  it('S6: the 101st ticket of the week is served without SLA at low priority', async () => {
    const { put } = await writeBack(
      's6-quota-within-sla',
      { id: 61, subject: 'Printer', org: { id: 6001 }, email: 'pat@initech.example' },
      100,
    );
    expect(put.ticket.priority).toBe('low');
    expect(put.ticket.additional_tags).toEqual([
      'deskplan_plan_weekly_100',
      'deskplan_over_quota',
      'deskplan_deprioritized',
      'deskplan_upsell',
      'deskplan_no_sla',
    ]);
    expect(put.ticket.comment?.body).toContain('101 of 100 tickets used this week, 0 left');
  });
});
