// The tenant page's backfill panel through the pages router (real Redis): the last run's status
// and figures in the tenant's zone, the refresh while it runs, and the agency's start button.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentReply, TicketPage } from '../../connectors/core/connector.js';
import type { Ticket } from '../../connectors/core/ticket.js';
import { AGENCY_TOKEN, startPages, ZENDESK, type PagesHarness } from '../helpers/pages-harness.js';
import { org, ticketEvent } from '../helpers/rules-fixtures.js';

// 10:00 in New York, the tenant's zone.
const NOW = Date.parse('2026-11-24T15:00:00Z');

let service: PagesHarness;
beforeEach(async () => {
  service = await startPages(NOW);
  await service.deps.tenantStore.save('acme', {
    id: 'acme',
    name: 'Acme Support Co.',
    timeZone: 'America/New_York',
    locale: 'en',
    plans: [
      {
        id: 'p',
        name: 'Standard',
        limits: [
          { max: 50, per: 'month' },
          { unit: 'responses', max: 100, per: 'month' },
        ],
      },
    ],
    contracts: [
      { id: 'c1', name: 'Globex', account: { orgIds: ['100'] }, plan: 'p', start: '2026-01-01' },
    ],
    connection: ZENDESK,
  });
});
afterEach(() => service.close());

const ticket = (id: string, orgId: string, createdAt: string): Ticket =>
  ticketEvent({ id, subject: 'Help', account: org(orgId), createdAt }).ticket;

/** A session cookie for this token, as the login form gives it. */
async function login(token: string): Promise<string> {
  const res = await fetch(`${service.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ token }),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const get = async (cookie: string, path = '/tenants/acme') => {
  const res = await fetch(`${service.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
};

const startFromPage = (cookie: string, headers: Record<string, string> = {}) =>
  fetch(`${service.url}/tenants/acme/backfill`, {
    method: 'POST',
    headers: { cookie, ...headers },
    redirect: 'manual',
  });

/** The backfill card's markup. */
const panelOf = (page: string) => {
  const found = /<section class="card backfill"[\s\S]*?<\/section>/.exec(page);
  expect(found).not.toBeNull();
  return found![0];
};

/** A figure of the panel as a person reads it (its value). */
const figure = (panel: string, name: string) =>
  /<dd>([\s\S]*?)<\/dd>/.exec(panel.split(`data-figure="${name}"`)[1] ?? '')?.[1]?.trim() ?? null;

const refreshOf = (page: string) =>
  /<meta http-equiv="refresh" content="([^"]*)"/.exec(page)?.[1] ?? null;

const statusOf = (panel: string) => /data-status="([a-z]+)"/.exec(panel)?.[1];

describe('the backfill panel of the tenant page', () => {
  it("starts from the agency's button and shows the finished run's figures in the tenant's zone", async () => {
    const pages: TicketPage[] = [
      {
        tickets: [
          ticket('301', '100', '2026-11-03T14:00:00Z'),
          ticket('302', '999', '2026-11-04T14:00:00Z'), // no contract: skipped
        ],
        nextCursor: 'page-2',
      },
      { tickets: [ticket('303', '100', '2026-11-20T14:00:00Z')], nextCursor: null },
    ];
    const replies: Record<string, AgentReply[]> = {
      '301': [
        { id: 'r1', at: '2026-10-30T12:00:00Z' }, // last month's period
        { id: 'r2', at: '2026-11-05T13:00:00Z' },
      ],
      '303': [{ id: 'r3', at: '2026-11-21T09:00:00Z' }],
    };
    service.helpdesk.listTickets = async ({ cursor }) => pages[cursor === null ? 0 : 1]!;
    service.helpdesk.listReplies = async (id) => replies[id] ?? [];

    const agency = await login(AGENCY_TOKEN);
    const before = panelOf((await get(agency)).text);
    expect(statusOf(before)).toBe('none');
    expect(before).toContain('No backfill has run for this helpdesk yet.');
    expect(before).toContain('Start backfill');

    const started = await startFromPage(agency);
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe('/tenants/acme');
    await service.deps.backfills.settled('acme');

    const page = await get(agency);
    const panel = panelOf(page.text);
    expect(statusOf(panel)).toBe('done');
    expect(panel).toContain('<span class="badge badge-ok">Done</span>');
    // 15:00 UTC shown as New York's 10:00.
    expect(figure(panel, 'started')).toBe('24 Nov 2026, 10:00');
    expect(figure(panel, 'finished')).toBe('24 Nov 2026, 10:00');
    expect(figure(panel, 'pages')).toBe('2');
    expect(figure(panel, 'seen')).toBe('3');
    expect(figure(panel, 'counted')).toBe('2');
    expect(figure(panel, 'skipped')).toBe('1');
    expect(figure(panel, 'replies-read')).toBe('3');
    expect(figure(panel, 'replies-counted')).toBe('2');
    expect(figure(panel, 'replies-before')).toBe('24 Nov 2026, 10:00');
    expect(refreshOf(page.text)).toBeNull();
    // What it counted shows in the contract's usage on the same page.
    expect(page.text).toContain('2 of 50 tickets');
    expect(page.text).toContain('2 of 100 responses');
  });

  it('shows a running backfill with a refresh of the page, and none once it is done', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    service.helpdesk.listTickets = async ({ cursor }) => {
      if (cursor === null) {
        return { tickets: [ticket('301', '100', '2026-11-03T14:00:00Z')], nextCursor: 'next' };
      }
      await gate;
      return { tickets: [], nextCursor: null };
    };
    service.helpdesk.listReplies = async () => [];
    const agency = await login(AGENCY_TOKEN);
    expect((await startFromPage(agency)).status).toBe(303);
    await expect.poll(async () => (await service.deps.backfills.get('acme'))?.pages).toBe(1);

    const running = await get(agency);
    const panel = panelOf(running.text);
    expect(statusOf(panel)).toBe('running');
    expect(panel).toContain('Running: this page refreshes every few seconds');
    expect(figure(panel, 'seen')).toBe('1');
    expect(figure(panel, 'finished')).toBeNull();
    expect(figure(panel, 'updated')).toBe('24 Nov 2026, 10:00');
    expect(refreshOf(running.text)).toBe('5; url=/tenants/acme');
    expect(panel).not.toContain('data-start-backfill'); // nothing to start while it runs
    // A second press while it runs starts nothing new.
    expect((await startFromPage(agency)).status).toBe(303);

    release();
    await service.deps.backfills.settled('acme');
    const done = await get(agency);
    expect(statusOf(panelOf(done.text))).toBe('done');
    expect(refreshOf(done.text)).toBeNull();
  });

  it("gives a tenant token's session no button and refuses its post; a cross-site post is refused", async () => {
    service.helpdesk.listTickets = async () => ({ tickets: [], nextCursor: null });
    const issued = await service.deps.tokens.issue('acme staff', 'acme');
    const staff = await login(issued.token);
    const page = await get(staff);
    expect(page.status).toBe(200);
    const panel = panelOf(page.text);
    expect(panel).toContain('No backfill has run for this helpdesk yet.');
    expect(panel).not.toContain('data-start-backfill');

    const refused = await startFromPage(staff);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Only the agency can start a backfill.');
    expect(await service.deps.backfills.get('acme')).toBeNull();

    const agency = await login(AGENCY_TOKEN);
    const crossSite = await startFromPage(agency, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(await service.deps.backfills.get('acme')).toBeNull();
    // No session: the login page.
    const anonymous = await startFromPage('');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login');
  });

  it('shows a failed run with its error and a Resume button; a stopped one too; a helpdesk that cannot list says so', async () => {
    service.helpdesk.listTickets = async () => {
      throw new Error('zendesk answered 503 to the incremental export');
    };
    const agency = await login(AGENCY_TOKEN);
    expect((await startFromPage(agency)).status).toBe(303);
    await service.deps.backfills.settled('acme');
    const page = await get(agency);
    const panel = panelOf(page.text);
    expect(statusOf(panel)).toBe('failed');
    expect(panel).toContain('<span class="badge badge-over">Failed</span>');
    expect(panel).toContain(
      'Error: <span class="mono">zendesk answered 503 to the incremental export</span>',
    );
    expect(panel).toContain('Running it again resumes from the last page it finished.');
    expect(panel).toMatch(/data-start-backfill>\s*Resume\s*</);
    expect(refreshOf(page.text)).toBeNull();

    // Saved as running, but its process ended (no runner holds its lock): stopped, no refresh.
    const key = `${service.redis.prefix}:{acme}:backfill`;
    const saved = JSON.parse((await service.redis.client.get(key))!);
    await service.redis.client.set(
      key,
      JSON.stringify({ ...saved, status: 'running', error: null }),
    );
    const stopped = await get(agency);
    expect(statusOf(panelOf(stopped.text))).toBe('stopped');
    expect(panelOf(stopped.text)).toContain('the process running it ended');
    expect(refreshOf(stopped.text)).toBeNull();

    // A helpdesk that cannot list its tickets: 422, a plain sentence, no stack.
    delete service.helpdesk.listTickets;
    const unsupported = await startFromPage(agency);
    expect(unsupported.status).toBe(422);
    const text = await unsupported.text();
    expect(text).toContain('This helpdesk cannot list its tickets, so it cannot be backfilled.');
    expect(text).not.toMatch(/BackfillError|\bat .*\.ts:\d+/);
  });
});
