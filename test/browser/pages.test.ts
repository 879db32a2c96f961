// The pages as a person sees them: headless Chromium (Debian's) against the web app on a real
// Redis, with tenants in the tenant store and usage charged through the ledger. Screenshots go to
// test-output/screenshots/; any console error fails the test.
import {
  compileTenant,
  decide,
  parseTenantRules,
  resolveTicket,
} from '../../worker/rules/index.js';
import { org, ticketEvent } from '../helpers/rules-fixtures.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCY_TOKEN, startPages, ZENDESK, type PagesHarness } from '../helpers/pages-harness.js';
import { launchChromium, SHOTS } from '../helpers/chromium.js';

const NOW = Date.parse('2026-11-24T15:00:00Z');

const XSS_NAME = 'Umbrella <img src=x onerror=alert(1)>';

const acme = {
  id: 'acme-support',
  name: 'Acme Support Co.',
  timeZone: 'America/New_York',
  locale: 'en',
  plans: [
    { id: 'standard', name: 'Standard', limits: [{ max: 50, per: 'month' }], alerts: [80, 100] },
    { id: 'basic', name: 'Basic', limits: [{ max: 10, per: 'month' }], alerts: [75, 100] },
  ],
  contracts: [
    {
      id: 'globex',
      name: 'Globex Corp',
      account: { orgIds: ['100'] },
      plan: 'standard',
      start: '2026-06-01',
    },
    {
      id: 'initech',
      name: 'Initech',
      account: { orgIds: ['200'] },
      plan: 'basic',
      start: '2026-01-01',
    },
    {
      id: 'umbrella',
      name: XSS_NAME,
      account: { orgIds: ['300'] },
      plan: 'standard',
      start: '2026-01-01',
      end: '2026-12-10',
    },
  ],
  connection: ZENDESK,
};

const nihon = {
  id: 'nihon-support',
  name: 'にほんサポート',
  timeZone: 'Asia/Tokyo',
  locale: 'ja',
  plans: [
    {
      id: 'standard',
      name: 'スタンダード',
      limits: [{ max: 20, per: 'month', weights: { priority: { urgent: 2 } } }],
    },
  ],
  contracts: [
    {
      id: 'sakura',
      name: '桜商事 保守契約',
      account: { orgIds: ['900'] },
      plan: 'standard',
      start: '2026-04-01',
    },
  ],
  connection: ZENDESK,
};

let service: PagesHarness;
let browser: Browser;
const consoleErrors: string[] = [];
/** Navigations expected to answer 4xx: Chromium reports those as console errors. */
let expectedStatus: number[] = [];

async function seed() {
  await service.deps.tenantStore.save(acme.id, acme);
  await service.deps.tenantStore.save(nihon.id, nihon);
  let n = 1000;
  const many = async (tenantId: string, orgId: string, month: string, count: number, from = 1) => {
    for (let i = 0; i < count; i++) {
      const day = String(from + (i % 14)).padStart(2, '0');
      const hour = String(9 + (i % 8)).padStart(2, '0');
      await service.charge(tenantId, {
        id: String(++n),
        orgId,
        at: `${month}-${day}T${hour}:00:00-05:00`,
      });
    }
  };
  // Globex: a history, and 40 of 50 this month (80 %: the first alert threshold, amber).
  await many(acme.id, '100', '2026-07', 30);
  await many(acme.id, '100', '2026-08', 45);
  await many(acme.id, '100', '2026-09', 55);
  await many(acme.id, '100', '2026-10', 48);
  await many(acme.id, '100', '2026-11', 40);
  // Initech: 12 of 10 by the 12th: over quota, used up before the last week (upsell).
  await many(acme.id, '200', '2026-11', 12, 2);
  // Umbrella: 5 of 50 (green), the contract ends in 16 days.
  await many(acme.id, '300', '2026-11', 5, 3);
  // Open tickets with SLA dues, as the worker indexes them: one past due, two due within the hour.
  const sla = compileTenant(
    (() => {
      const parsed = parseTenantRules({
        id: acme.id,
        timeZone: 'UTC',
        slaPolicies: [{ id: 'std', targets: { all: { firstResponse: '2h' } } }],
        plans: [{ id: 'p', name: 'P', sla: 'std' }],
        contracts: [{ id: 'c', account: { orgIds: ['100'] }, plan: 'p', start: '2026-01-01' }],
      });
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return parsed.rules;
    })(),
  );
  for (const [id, minutesAgo] of [
    ['9001', 150],
    ['9002', 90],
    ['9003', 100],
  ] as const) {
    const at = new Date(NOW - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const event = ticketEvent({
      id,
      subject: 'Waiting',
      account: org('100'),
      createdAt: at,
      status: 'open',
    });
    const resolution = resolveTicket(sla, event);
    const decision = decide(sla, event, resolution, {}, NOW);
    await service.deps.slaIndex.record(acme.id, decision, event.ticket);
  }
  // Sakura (Tokyo): 6 tickets, one urgent (2 units): 7 of 20.
  for (let i = 0; i < 6; i++) {
    await service.charge(nihon.id, {
      id: String(500 + i),
      orgId: '900',
      at: `2026-11-${String(5 + i).padStart(2, '0')}T10:0${i}:00+09:00`,
      urgent: i === 2,
    });
  }
}

beforeAll(async () => {
  service = await startPages(NOW);
  await seed();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

async function newPage(context?: BrowserContext): Promise<Page> {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  const page = await ctx.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(msg.text());
    if (status && expectedStatus.includes(Number(status[1]))) return;
    consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

async function login(page: Page, token: string) {
  await page.goto(`${service.url}/login`);
  await page.fill('#token', token);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('button[type=submit]'),
  ]);
}

/** A usage bar's fill as drawn: its width as a share of the track, and its colour. */
async function barOf(page: Page, rowSelector: string) {
  return page.$eval(`${rowSelector} svg.bar`, (svg) => {
    const track = svg.querySelector('.bar-track')!.getBoundingClientRect();
    const fill = svg.querySelector('.bar-fill');
    return {
      share: fill ? fill.getBoundingClientRect().width / track.width : 0,
      colour: fill ? svg.ownerDocument.defaultView!.getComputedStyle(fill).fill : null,
    };
  });
}

const AMBER = 'rgb(245, 158, 11)';
const RED = 'rgb(220, 38, 38)';
const GREEN = 'rgb(34, 163, 90)';

describe('pages in a browser (real Redis, headless Chromium)', () => {
  it('asks for a login everywhere but the customer page, and refuses a wrong token', async () => {
    const page = await newPage();
    for (const path of ['/', '/tenants/acme-support']) {
      await page.goto(`${service.url}${path}`);
      expect(new URL(page.url()).pathname).toBe('/login');
    }
    await page.screenshot({ path: `${SHOTS}/login.png`, fullPage: true });
    expectedStatus = [401];
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await expect(page.textContent('[role=alert]')).resolves.toContain('not valid');
    expectedStatus = [];
    const res = await fetch(`${service.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    await page.context().close();
  });

  it('shows the agency every tenant and contract: bars by the alert thresholds, overage, expiry, upsell', async () => {
    const page = await newPage();
    await login(page, AGENCY_TOKEN);
    expect(new URL(page.url()).pathname).toBe('/');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'deskplan_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session.value).not.toContain(AGENCY_TOKEN);

    await expect(page.textContent('h1')).resolves.toBe('Usage overview');
    const globex = 'tr[data-contract=globex]';
    await expect(page.textContent(globex)).resolves.toContain('40 of 50 tickets');
    const g = await barOf(page, globex);
    expect(g.share).toBeCloseTo(0.8, 2);
    expect(g.colour).toBe(AMBER);

    const initech = 'tr[data-contract=initech]';
    const i = await barOf(page, initech);
    expect(i.share).toBeCloseTo(1, 2);
    expect(i.colour).toBe(RED);
    const initechText = await page.textContent(initech);
    expect(initechText).toContain('12 of 10 tickets');
    expect(initechText).toContain('2 tickets'); // overage
    expect(initechText).toContain('Upsell');

    const umbrella = 'tr[data-contract=umbrella]';
    const u = await barOf(page, umbrella);
    expect(u.share).toBeCloseTo(0.1, 2);
    expect(u.colour).toBe(GREEN);
    const umbrellaText = await page.textContent(umbrella);
    expect(umbrellaText).toContain(XSS_NAME); // shown as text, never as markup
    expect(umbrellaText).toContain('Ends in 16 days');
    expect(await page.$$('img')).toHaveLength(0);

    await expect(page.textContent('[data-stat=over] .stat-value')).resolves.toBe('1');
    await expect(page.textContent('[data-stat=expiring] .stat-value')).resolves.toBe('1');
    await expect(page.textContent('[data-stat=upsell] .stat-value')).resolves.toBe('1');
    // 9001 is past its first-response due; 9002 and 9003 are due within the hour.
    await expect(page.textContent('[data-stat=sla] .stat-value')).resolves.toBe('2 / 1');
    await expect(page.textContent('tr[data-contract=sakura]')).resolves.toContain('7 of 20');
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });

    // Sort by usage, then filter to one tenant.
    await page.selectOption('select[name=sort]', 'usage');
    await Promise.all([page.waitForURL(/sort=usage/), page.click('.toolbar button')]);
    const order = await page.$$eval('tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-contract')),
    );
    expect(order).toEqual(['initech', 'globex', 'sakura', 'umbrella']);
    await page.selectOption('select[name=tenant]', 'nihon-support');
    await Promise.all([page.waitForURL(/tenant=nihon-support/), page.click('.toolbar button')]);
    expect(
      await page.$$eval('tbody tr', (rows) => rows.map((r) => r.getAttribute('data-tenant'))),
    ).toEqual(['nihon-support']);

    // The language switch.
    await page.goto(`${service.url}/?lang=ja`);
    await expect(page.textContent('h1')).resolves.toBe('利用状況の概要');
    await expect(page.textContent('tr[data-contract=globex]')).resolves.toContain(
      'チケット 40/50 件',
    );
    await page.screenshot({ path: `${SHOTS}/overview-ja.png`, fullPage: true });
    await page.goto(`${service.url}/?lang=en`);

    const res = await page.goto(`${service.url}/`);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.context().close();
  });

  it("shows a tenant's contracts, the usage chart, the counted tickets and the config version", async () => {
    const page = await newPage();
    await login(page, AGENCY_TOKEN);
    await page.goto(`${service.url}/tenants/acme-support`);
    await expect(page.textContent('h1')).resolves.toBe('Acme Support Co.');
    await expect(page.textContent('[data-config-version]')).resolves.toContain('Config version 1');
    const periods = await page.$$eval('[data-contract=globex] .chart-period', (gs) =>
      gs.map((g) => [
        g.getAttribute('data-period'),
        g.getAttribute('data-used'),
        g.getAttribute('data-included'),
      ]),
    );
    expect(periods).toEqual([
      ['month-2026-06-01', '0', '50'],
      ['month-2026-07-01', '30', '50'],
      ['month-2026-08-01', '45', '50'],
      ['month-2026-09-01', '55', '50'],
      ['month-2026-10-01', '48', '50'],
      ['month-2026-11-01', '40', '50'],
    ]);
    // September's 5 over the allowance drawn as overage.
    expect(
      await page.$$('[data-contract=globex] [data-period=month-2026-09-01] .chart-over'),
    ).toHaveLength(1);
    expect(await page.$$('[data-contract=globex] [data-table=counted] tbody tr')).toHaveLength(40);
    // 40 rows start folded; a click opens them.
    expect(await page.isVisible('[data-contract=globex] [data-table=counted]')).toBe(false);
    await page.click('[data-contract=globex] details.counted summary');
    expect(await page.isVisible('[data-contract=globex] [data-table=counted]')).toBe(true);
    const initechRows = await page.$$eval(
      '[data-contract=initech] [data-table=counted] tbody tr',
      (rows) => rows.map((r) => r.textContent!.replace(/\s+/g, ' ').trim()),
    );
    expect(initechRows).toHaveLength(12);
    expect(initechRows[0]).toMatch(/^#\d+ 2 Nov 2026, 09:00 1 —$/); // New York time
    expect(initechRows[11]).toMatch(/ 1 1$/); // the 12th is beyond the allowance
    await page.screenshot({ path: `${SHOTS}/tenant.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/tenant-top.png` });
    await page.context().close();
  });

  it('shows a Japanese tenant in Japanese, in its own time zone', async () => {
    const page = await newPage();
    await login(page, AGENCY_TOKEN);
    await page.goto(`${service.url}/tenants/nihon-support`);
    await expect(page.getAttribute('html', 'lang')).resolves.toBe('ja');
    await expect(page.textContent('main')).resolves.toContain('直近の期間の利用推移');
    await expect(page.textContent('main')).resolves.toContain('設定バージョン 1');
    const rows = await page.$$eval('[data-table=counted] tbody tr', (rs) =>
      rs.map((r) => r.textContent!.replace(/\s+/g, ' ').trim()),
    );
    expect(rows[0]).toBe('#500 2026年11月5日 10:00 1 —');
    expect(rows[2]).toBe('#502 2026年11月7日 10:02 2 —');
    await page.screenshot({ path: `${SHOTS}/tenant-ja.png`, fullPage: true });
    await page.context().close();
  });

  it('shares a contract with a customer through a link, without login, until it is revoked', async () => {
    const page = await newPage();
    await login(page, AGENCY_TOKEN);
    await page.goto(`${service.url}/tenants/nihon-support`);
    await page.click('[data-share=sakura] button:has-text("リンクを作成")');
    const link = await page.inputValue('[data-created-link]');
    expect(link).toMatch(/\/share\/dps_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: `${SHOTS}/share-created.png`, fullPage: true });

    const customer = await newPage(
      await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'ja-JP' }),
    );
    const res = await customer.goto(link);
    expect(res!.status()).toBe(200);
    const text = (await customer.textContent('main'))!;
    expect(text).toContain('桜商事 保守契約');
    expect(text).toContain('スタンダード');
    expect(text).toContain('チケット 7/20 件');
    expect((await customer.textContent('.figure-remaining'))!.trim()).toBe('13 件');
    expect(await customer.$$('[data-table=counted] tbody tr')).toHaveLength(6);
    const markup = await customer.content();
    for (const secret of [
      AGENCY_TOKEN,
      'dp_',
      'evt-',
      'page-test-',
      'sakura/',
      'rollover',
      'Sign out',
      'ログアウト',
    ]) {
      expect(markup).not.toContain(secret);
    }
    await customer.screenshot({ path: `${SHOTS}/customer.png`, fullPage: true });

    await page.goto(`${service.url}/tenants/nihon-support`);
    await page.click('[data-share=sakura] [data-link] button');
    await page.waitForURL(/\/tenants\/nihon-support$/);
    await expect(page.textContent('[data-share=sakura]')).resolves.toContain(
      '有効なリンクはありません',
    );
    expectedStatus = [404];
    const gone = await customer.goto(link);
    expect(gone!.status()).toBe(404);
    await expect(customer.textContent('main')).resolves.toContain('無効化されています');
    await customer.screenshot({ path: `${SHOTS}/customer-revoked.png`, fullPage: true });
    expectedStatus = [];
    await customer.context().close();
    await page.context().close();
  });

  it("keeps a tenant token's session to its own tenant", async () => {
    const issued = await service.deps.tokens.issue('acme staff', 'acme-support');
    const page = await newPage();
    await login(page, issued.token);
    expect(new URL(page.url()).pathname).toBe('/tenants/acme-support');
    await page.goto(`${service.url}/`);
    const tenants = await page.$$eval('tbody tr', (rows) => [
      ...new Set(rows.map((r) => r.getAttribute('data-tenant'))),
    ]);
    expect(tenants).toEqual(['acme-support']);
    expectedStatus = [404];
    const other = await page.goto(`${service.url}/tenants/nihon-support`);
    expect(other!.status()).toBe(404);
    expectedStatus = [];
    // A revoked token ends its sessions; logging out ends this one.
    await service.deps.tokens.revoke(issued.id);
    await page.goto(`${service.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });

  // Last: the backfill counts tickets into Acme's usage, which the tests above read.
  it('shows a backfill on the tenant page: it starts, moves on its own until done (EN), and a failed one (JA)', async () => {
    const ticket = (id: string, orgId: string, createdAt: string) =>
      ticketEvent({ id, subject: 'Old', account: org(orgId), createdAt }).ticket;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    service.helpdesk.listTickets = async ({ cursor }) => {
      if (cursor === null) {
        return {
          tickets: [
            ticket('7001', '100', '2026-11-02T15:00:00Z'),
            ticket('7002', '555', '2026-11-03T15:00:00Z'),
          ],
          nextCursor: 'next',
        };
      }
      await gate;
      return { tickets: [ticket('7003', '200', '2026-11-04T15:00:00Z')], nextCursor: null };
    };
    const page = await newPage();
    await login(page, AGENCY_TOKEN);
    await page.goto(`${service.url}/tenants/acme-support`);
    await expect(page.textContent('[data-backfill]')).resolves.toContain(
      'No backfill has run for this helpdesk yet.',
    );
    await Promise.all([
      page.waitForURL(/\/tenants\/acme-support$/),
      page.click('[data-start-backfill]'),
    ]);
    await page.waitForSelector('[data-backfill][data-status=running]');
    await expect(page.textContent('[data-backfill] [data-figure=seen] dd')).resolves.toBe('2');
    await page.screenshot({ path: `${SHOTS}/tenant-backfill-running.png` });
    release();
    await service.deps.backfills.settled('acme-support');
    // No reload by the test: the page loads itself again while the run is in progress.
    await page.waitForSelector('[data-backfill][data-status=done]', { timeout: 15_000 });
    const figures = await page.$$eval('[data-backfill] [data-figure]', (els) =>
      els.map((e) => [e.getAttribute('data-figure'), e.querySelector('dd')!.textContent!.trim()]),
    );
    expect(Object.fromEntries(figures)).toEqual({
      started: '24 Nov 2026, 10:00', // New York
      finished: '24 Nov 2026, 10:00',
      pages: '2',
      seen: '3',
      counted: '2',
      skipped: '1',
    });
    await page.locator('[data-backfill]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/tenant-backfill-done.png` });
    await page.locator('[data-backfill]').screenshot({ path: `${SHOTS}/backfill-panel.png` });

    service.helpdesk.listTickets = async () => {
      throw new Error('Zendesk answered 503 Service Unavailable');
    };
    await page.goto(`${service.url}/tenants/nihon-support`);
    await Promise.all([
      page.waitForURL(/\/tenants\/nihon-support$/),
      page.click('[data-start-backfill]'),
    ]);
    await service.deps.backfills.settled('nihon-support');
    await page.goto(`${service.url}/tenants/nihon-support`);
    const panel = (await page.textContent('[data-backfill][data-status=failed]'))!;
    expect(panel).toContain('失敗');
    expect(panel).toContain('エラー: Zendesk answered 503 Service Unavailable');
    expect(panel).toContain('もう一度実行すると、最後に完了したページから再開します。');
    await expect(page.textContent('[data-start-backfill]')).resolves.toContain('再開');
    await expect(page.textContent('[data-backfill] [data-figure=started] dd')).resolves.toBe(
      '2026年11月25日 00:00', // Tokyo,
    );
    await page.screenshot({ path: `${SHOTS}/tenant-backfill-ja.png` });
    await page.context().close();
  });

  it('logged no console error on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
