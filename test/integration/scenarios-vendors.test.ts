// S1–S6 (/work/shared/PRODUCT.md, docs/examples/s*.yaml) end to end on each helpdesk, from one
// table: each row is a scenario's input ticket and its expected outcome in vendor-neutral terms;
// the adapters in test/helpers/vendor-adapters.ts file the ticket in the vendor's fake, post the
// vendor's webhook and read back what deskplan wrote. Where a vendor cannot hold something, the
// row states the documented difference for that vendor, and that is what is checked.
import { afterEach, describe, expect, it } from 'vitest';
import type { Vendor } from '../../connectors/core/ticket.js';
import type { Priority } from '../../connectors/core/ticket.js';
import { TENANT } from '../helpers/pipeline-harness.js';
import { loadExample, readExample } from '../helpers/rules-fixtures.js';
import {
  prefill,
  stampNow,
  startVendor,
  VENDORS,
  type DueMetric,
  type NeutralTicket,
  type VendorRun,
} from '../helpers/vendor-adapters.js';

/** A due as the policy states it: minutes of a calendar's open time after creation. */
interface Due {
  minutes: number;
  calendar?: string;
}
const hours = (h: number, calendar?: string): Due => ({ minutes: h * 60, calendar });

interface Outcome {
  /** deskplan's tags on the ticket (any order). */
  tags: string[];
  /** The priority category written (null: left as it was). */
  priority: Priority | null;
  /** The due instants set, and nothing else. */
  dues: Partial<Record<DueMetric, Due>>;
  /** Fragments of the one internal note. */
  note: string[];
  /** Tickets counted per contract counter (`contract/limit`), after this ticket. */
  charged: Record<string, number>;
  /** The vendor's own due dates stay on the ticket (deskplan could not replace them). */
  vendorDuesKept?: boolean;
  /** The dues that are only in the note, as tenant-zone local times to the minute. */
  duesOnlyInNote?: { zone: string; locale: 'en' | 'ja' };
}

interface Difference {
  /** Short, for the test's name. */
  label: string;
  /** What the vendor's connector README says. */
  documented: string;
  expect: Partial<Outcome>;
  /** The vendor keeps its own due for this metric (deskplan's policy has none for it). */
  keepsVendorDue?: 'firstResponse' | 'resolution';
}

interface Row {
  scenario: string;
  example: string;
  ticket: NeutralTicket;
  /** Tickets this customer already filed this period (counted before this one). */
  alreadyFiled?: number;
  expect: Outcome;
  /** Where a vendor differs, documented (connectors/<vendor>/README.md), and what it does instead. */
  differs?: Partial<Record<Vendor, Difference>>;
}

/** How each vendor holds the neutral outcome (checked by the adapters' read-back). */
const HELD_AS: Record<Vendor, Record<'priority' | 'dues' | 'note' | 'attributes', string>> = {
  zendesk: {
    priority: 'priority field',
    dues: 'date-time custom fields (dueFields)',
    note: 'private comment',
    attributes: 'organization_fields named in accountAttributes',
  },
  freshdesk: {
    priority: 'priority code 1–4',
    dues: 'fr_due_by / due_by, together, Open tickets only, never cleared',
    note: 'private note',
    attributes: 'company custom_fields named in accountAttributes',
  },
  helpscout: {
    priority: 'tag deskplan_priority_<p> (also how a priority arrives)',
    dues: 'date-only fields + instant in note',
    note: 'internal note (HTML)',
    attributes: 'none: organisations carry name and domains only',
  },
};

/**
 * Freshdesk takes fr_due_by and due_by only as a pair, in order. With a policy that sets only one,
 * the other stays Freshdesk's own (the fake sets +24 h and +72 h at creation), moved only as far
 * as the order needs.
 */
const FRESHDESK_OWN_MS = { firstResponse: 24 * 3600_000, resolution: 72 * 3600_000 } as const;
const freshdeskOneDue = (kept: 'firstResponse' | 'resolution'): Difference => ({
  label: `Freshdesk: one due only → its own ${kept === 'firstResponse' ? 'fr_due_by' : 'due_by'} kept, moved only to keep the order`,
  documented:
    "Freshdesk: fr_due_by and due_by are sent together, fr_due_by ≤ due_by; with a policy that sets only one of them, Freshdesk's own date is kept for the other, moved only as far as that order needs",
  expect: {},
  keepsVendorDue: kept,
});
const FRESHDESK_NO_SLA = {
  label: "Freshdesk: dues cannot be cleared → Freshdesk's own kept",
  documented: "Freshdesk: a due date cannot be cleared: Freshdesk's own SLA dates stay",
  expect: { vendorDuesKept: true },
};
const HELPSCOUT_NO_ATTRIBUTES = {
  label: 'Help Scout: no organisation attributes → no contract',
  documented: `Help Scout: ${HELD_AS.helpscout.attributes}; a contract chosen by an attribute matches nothing: no contract, nothing counted`,
  expect: {
    tags: ['deskplan_no_contract'],
    dues: {},
    note: ['No support contract covers this account: no plan or SLA applied.'],
    charged: {},
  },
};

const TABLE: Row[] = [
  {
    scenario: 'S1 product plan: a Product X subject (full-width) gets its plan, in office hours',
    example: 's1-product-plan',
    ticket: { id: 11, subject: '製品Ｘの設定', priority: 'high', account: { id: 1001 } },
    expect: {
      tags: [
        'deskplan_plan_product_x_standard',
        'deskplan_product_product_x',
        'deskplan_within_quota',
      ],
      priority: null,
      dues: { firstResponse: hours(1, 'tokyo-office'), resolution: hours(6, 'tokyo-office') },
      note: [
        'Product X Standard plan (Product X): 1 of 25 tickets used this week, 24 left; 1 of 50 tickets used this month, 49 left',
      ],
      charged: { 'acme-product-x/tickets-week': 1, 'acme-product-x/tickets-month': 1 },
    },
  },
  {
    scenario: 'S2 license tiers: 80 licenses get the Team tier (3 h / 1 day, 5 a month)',
    example: 's2-license-tiers',
    ticket: {
      id: 21,
      subject: 'Sync stopped',
      account: { id: 7001, attributes: { licenses: 80 } },
    },
    expect: {
      tags: ['deskplan_plan_licenses_50_100', 'deskplan_within_quota'],
      priority: null,
      dues: { firstResponse: hours(3), resolution: hours(24) },
      note: ['Team plan: 1 of 5 tickets used this month, 4 left'],
      charged: { 'tier-50-100~org-7001/tickets-month': 1 },
    },
    differs: { helpscout: HELPSCOUT_NO_ATTRIBUTES },
  },
  {
    scenario: 'S2 license tiers: 600 licenses get the Enterprise tier (50 a month)',
    example: 's2-license-tiers',
    ticket: {
      id: 22,
      subject: 'Sync stopped',
      account: { id: 7002, attributes: { licenses: 600 } },
    },
    expect: {
      tags: ['deskplan_plan_licenses_500_plus', 'deskplan_within_quota'],
      priority: null,
      dues: { firstResponse: hours(1), resolution: hours(8) },
      note: ['Enterprise plan: 1 of 50 tickets used this month, 49 left'],
      charged: { 'tier-500-plus~org-7002/tickets-month': 1 },
    },
    differs: { helpscout: HELPSCOUT_NO_ATTRIBUTES },
  },
  {
    scenario: 'S3 importance: a Premium customer is resolved within 3 h (Japanese note)',
    example: 's3-importance',
    ticket: { id: 31, subject: '請求書が届かない', account: { id: 2001 } },
    expect: {
      tags: ['deskplan_plan_premium', 'deskplan_within_quota'],
      priority: null,
      dues: { resolution: hours(3) },
      note: ['プレミアムプラン: 今月のチケット 1/20 件使用、残り 19 件', '解決期限'],
      charged: { 'kaisha-premium/tickets-month': 1 },
    },
    differs: {
      freshdesk: freshdeskOneDue('firstResponse'),
    },
  },
  {
    scenario:
      'S3 importance: a Basic customer (by email domain) gets a first reply within a business day, no resolution due',
    example: 's3-importance',
    ticket: { id: 32, subject: '請求書が届かない', requesterEmail: 'ken@shoten.example.jp' },
    expect: {
      tags: ['deskplan_plan_basic', 'deskplan_within_quota'],
      priority: null,
      dues: { firstResponse: hours(9, 'weekdays') },
      note: ['ベーシックプラン: 今月のチケット 1/5 件使用、残り 4 件', '初回応答期限'],
      charged: { 'shoten-basic/tickets-month': 1 },
    },
    differs: {
      freshdesk: freshdeskOneDue('resolution'),
    },
  },
  {
    scenario:
      'S4 exhausted quota: the 51st ticket is served past quota, pointed to self-help, flagged for upsell, no SLA',
    example: 's4-exhausted-quota',
    ticket: { id: 41, subject: 'One more question', account: { id: 4001 } },
    alreadyFiled: 50,
    expect: {
      tags: [
        'deskplan_plan_standard_50',
        'deskplan_over_quota',
        'deskplan_self_help',
        'deskplan_upsell',
        'deskplan_no_sla',
      ],
      priority: null,
      dues: {},
      note: [
        'Standard plan: 51 of 50 tickets used this month, 0 left',
        'Help centre https://help.example.com/, Video tutorials https://help.example.com/videos',
        'Account flagged for an upgrade offer.',
        'Quota exceeded: 51 of 50 tickets this month.',
      ],
      charged: { 'globex-standard/tickets-month': 51 },
    },
    differs: { freshdesk: FRESHDESK_NO_SLA },
  },
  {
    scenario:
      'S5 two products: a security question counts against the security contract only, 12 h for high',
    example: 's5-two-products',
    ticket: { id: 51, subject: 'セキュリティ警告が出る', priority: 'high', account: { id: 5001 } },
    expect: {
      tags: ['deskplan_plan_security_12', 'deskplan_product_security', 'deskplan_within_quota'],
      priority: null,
      dues: { resolution: hours(12) },
      note: ['Security Careプラン（セキュリティ）', 'チケット 1/12 件使用、残り 11 件', '解決期限'],
      charged: { 'tanaka-security/tickets-year': 1 },
    },
    differs: {
      freshdesk: freshdeskOneDue('firstResponse'),
    },
  },
  {
    scenario:
      'S5 two products: a backup question counts against the unlimited backup contract, 7 days',
    example: 's5-two-products',
    ticket: { id: 52, subject: 'バックアップが失敗する', account: { id: 5001 } },
    expect: {
      tags: ['deskplan_plan_backup_unlimited', 'deskplan_product_backup', 'deskplan_within_quota'],
      priority: null,
      dues: { resolution: hours(7 * 24) },
      note: [
        'Backup Careプラン（バックアップ）: 契約期間中のチケット 1 件使用（無制限）',
        '解決期限',
      ],
      charged: { 'tanaka-backup/tickets-term': 1 },
    },
    differs: {
      freshdesk: freshdeskOneDue('firstResponse'),
    },
  },
  {
    scenario:
      'S6 quota within SLA: the first ticket of the week gets the SLA, usage says what is left',
    example: 's6-quota-within-sla',
    ticket: { id: 61, subject: 'Printer', requesterEmail: 'pat@initech.example' },
    expect: {
      tags: ['deskplan_plan_weekly_100', 'deskplan_within_quota'],
      priority: null,
      dues: { firstResponse: hours(2, 'berlin-office'), resolution: hours(48, 'berlin-office') },
      note: ['Weekly 100 plan: 1 of 100 tickets used this week, 99 left'],
      charged: { 'initech-weekly/tickets-week': 1 },
    },
  },
  {
    scenario:
      'S6 quota within SLA: the 101st ticket of the week is served without SLA at low priority',
    example: 's6-quota-within-sla',
    ticket: { id: 62, subject: 'Printer', requesterEmail: 'pat@initech.example' },
    alreadyFiled: 100,
    expect: {
      tags: [
        'deskplan_plan_weekly_100',
        'deskplan_over_quota',
        'deskplan_deprioritized',
        'deskplan_upsell',
        'deskplan_no_sla',
      ],
      priority: 'low',
      dues: {},
      note: [
        'Weekly 100 plan: 101 of 100 tickets used this week, 0 left',
        'Past quota: served without SLA at low priority.',
        'Quota exceeded: 101 of 100 tickets this week.',
      ],
      charged: { 'initech-weekly/tickets-week': 101 },
    },
    differs: { freshdesk: FRESHDESK_NO_SLA },
  },
];

/** A due instant as the tenant's note shows it: local date and time to the minute. */
function localDueText(instant: string, zone: string, locale: 'en' | 'ja') {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      day: 'numeric',
      month: locale === 'ja' ? 'numeric' : 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const time = `${parts.hour}:${parts.minute}`;
  return locale === 'ja'
    ? `${Number(parts.month)}月${Number(parts.day)}日 ${time}`
    : `${Number(parts.day)} ${parts.month}, ${time}`;
}

/** Counter keys without their period: `contract/limit` → tickets counted. */
async function charged(run: VendorRun) {
  const out: Record<string, number> = {};
  for (const key of await run.p.ledger.counterKeys(TENANT)) {
    const name = key.split('/').slice(0, 2).join('/');
    out[name] = (out[name] ?? 0) + (await run.p.ledger.usage(TENANT, key)).count;
  }
  return out;
}

let run: VendorRun | null = null;
afterEach(async () => {
  await run?.close();
  run = null;
});

describe.each(VENDORS)(
  'S1–S6 on a %s tenant: webhook in, write-back read from the fake',
  (vendor) => {
    const cases = TABLE.map((row) => ({
      ...row,
      title: row.differs?.[vendor]
        ? `${row.scenario} [${row.differs[vendor].label}]`
        : row.scenario,
    }));
    it.each(cases)('$title', async (row) => {
      const difference = row.differs?.[vendor];
      const expected: Outcome = { ...row.expect, ...difference?.expect };
      const compiled = loadExample(row.example);
      const createdAt = stampNow();
      const ticket = { ...row.ticket, createdAt };

      run = await startVendor(vendor, { example: row.example });
      if (row.alreadyFiled) await prefill(run, readExample(row.example), ticket, row.alreadyFiled);
      expect((await run.file(ticket)).state).toBe('completed');
      const written = run.readBack(ticket.id);

      const dueAt = (due: Due) =>
        new Date(
          compiled.calendars
            .get(due.calendar ?? '24x7')!
            .addMinutes(Date.parse(createdAt), due.minutes),
        ).toISOString();
      const expectedDues: Record<string, string> = Object.fromEntries(
        Object.entries(expected.dues).map(([metric, due]) => [metric, dueAt(due)]),
      );
      let vendorDuesKept = expected.vendorDuesKept ?? false;
      const kept = difference?.keepsVendorDue;
      if (kept) {
        // Freshdesk's own due for `kept` stays, unless deskplan's other due breaks the order.
        const ours = kept === 'firstResponse' ? 'resolution' : 'firstResponse';
        const own = Date.parse(createdAt) + FRESHDESK_OWN_MS[kept];
        const mine = Date.parse(expectedDues[ours]!);
        const broken = kept === 'firstResponse' ? own > mine : own < mine;
        if (broken) expectedDues[kept] = expectedDues[ours]!;
        vendorDuesKept = !broken;
      }
      if (vendor === 'freshdesk') {
        // A due landing exactly on Freshdesk's own (9 business hours from inside office hours is
        // +24 h) leaves that field as it was: the read-back sees it kept, not written.
        for (const metric of ['firstResponse', 'resolution'] as const) {
          const due = expectedDues[metric];
          if (due && Date.parse(due) === Date.parse(createdAt) + FRESHDESK_OWN_MS[metric]) {
            delete expectedDues[metric];
            vendorDuesKept = true;
          }
        }
      }
      expect(written.tags).toEqual([...expected.tags].sort());
      expect(written.priority).toBe(expected.priority);
      expect(written.dues).toEqual(expectedDues);
      expect(written.vendorDuesKept).toBe(vendorDuesKept);
      expect(written.notes).toHaveLength(1);
      for (const fragment of expected.note) expect(written.notes[0]).toContain(fragment);
      if (expected.duesOnlyInNote) {
        const { zone, locale } = expected.duesOnlyInNote;
        for (const due of Object.values(row.expect.dues)) {
          expect(written.notes[0]).toContain(localDueText(dueAt(due), zone, locale));
        }
      }
      expect(await charged(run)).toEqual(expected.charged);
    });
  },
);
