// The Zendesk ticket sidebar app (manifests/zendesk) as an agent sees it: headless Chromium loads
// assets/iframe.html from a deskplan test server, with a stub of the ZAF client in place of
// Zendesk's SDK. The stub's request() goes through the test process, standing in for Zendesk's
// proxy: it fills in {{setting.…}} placeholders, so the token never reaches the page.
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, textOf as text } from '../helpers/chromium.js';
import {
  expectOverAllowanceInJapanese,
  expectPremiumInEnglish,
  newSidebarPage,
  showSidebar,
} from '../helpers/sidebar-page.js';
import {
  startTicketSummary,
  TENANT,
  type TicketSummaryHarness,
} from '../helpers/ticket-summary-harness.js';

const APP_DIR = new URL('../../manifests/zendesk/assets/', import.meta.url).pathname;

let h: TicketSummaryHarness;
let browser: Browser;
const consoleErrors: string[] = [];

beforeAll(async () => {
  h = await startTicketSummary((app) => app.use('/zendesk-app', express.static(APP_DIR)));
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** What the ZAF SDK would be inside Zendesk: the ticket, the user's locale, the settings. */
const STUB = `
window.ZAFClient = {
  init: function () {
    var z = window.__zaf;
    return {
      get: function (path) {
        if (path === 'ticket') return Promise.resolve({ ticket: z.ticket });
        var answer = {};
        answer[path] = path === 'currentUser.locale' ? z.locale : undefined;
        return Promise.resolve(answer);
      },
      metadata: function () {
        return Promise.resolve({ appId: 0, installationId: 1, settings: z.settings });
      },
      request: function (options) {
        return window.__zafProxy(options).then(function (r) {
          if (r.status >= 200 && r.status < 300) return r.body;
          return Promise.reject({ status: r.status, responseText: r.text });
        });
      },
      invoke: function (name, arg) {
        z.invoked.push([name, arg]);
        return Promise.resolve({});
      },
    };
  },
};`;

interface Sidebar {
  page: Page;
  requests: { url: string; headers?: Record<string, string>; secure?: boolean }[];
}

async function openSidebar(ticketId: string, locale: string, shot: string): Promise<Sidebar> {
  const page = await newSidebarPage(browser, { width: 320, height: 560 }, shot, consoleErrors);
  const requests: Sidebar['requests'] = [];
  // Zendesk's proxy: only a secure request gets the secure setting filled in.
  const settings: Record<string, string> = {
    deskplan_url: h.url,
    tenant_id: TENANT,
    api_token: h.tenantToken,
  };
  await page.exposeFunction(
    '__zafProxy',
    async (options: { url: string; headers?: Record<string, string>; secure?: boolean }) => {
      requests.push(options);
      const fill = (s: string) =>
        s.replace(/\{\{setting\.(\w+)\}\}/g, (_m, name: string) =>
          options.secure ? (settings[name] ?? '') : '',
        );
      const headers = Object.fromEntries(
        Object.entries(options.headers ?? {}).map(([k, v]) => [k, fill(v)]),
      );
      const res = await fetch(fill(options.url), { headers });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: res.status, body, text };
    },
  );
  await page.addInitScript((zaf) => Object.assign(globalThis, { __zaf: { ...zaf, invoked: [] } }), {
    ticket: { id: Number(ticketId), subject: 'x' },
    locale,
    settings: { deskplan_url: h.url, tenant_id: TENANT },
  });
  await page.route('https://static.zdassets.com/**', (route) =>
    route.fulfill({ contentType: 'application/javascript', body: STUB }),
  );
  await showSidebar(page, `${h.url}/zendesk-app/iframe.html`, shot);
  return { page, requests };
}

describe('Zendesk ticket sidebar (headless Chromium, ZAF client stub, real deskplan)', () => {
  it('shows a Premium ticket: plan, contract, the usage bar, the resolution due and the link', async () => {
    const { page, requests } = await openSidebar(h.premiumTicket, 'en-US', 'zendesk-sidebar');
    await expectPremiumInEnglish(page);
    expect(await text(page, 'contract')).toBe('kaisha-premium');
    const fill = await page
      .locator('[data-testid=usage-bar] span')
      .evaluate((el) => (el as unknown as { style: { width: string } }).style.width);
    expect(fill).toBe('5%');
    const link = page.locator('[data-testid=dashboard]');
    expect(await link.getAttribute('href')).toBe(`${h.url}/tenants/${TENANT}`);
    expect(await link.getAttribute('target')).toBe('_blank');

    // The page asked with placeholders only, as a secure request; the token is nowhere in it.
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: `{{setting.deskplan_url}}/api/tenants/${TENANT}/tickets/${h.premiumTicket}/summary`,
      headers: { Authorization: 'Bearer {{setting.api_token}}' },
      secure: true,
    });
    expect(await page.content()).not.toContain(h.tenantToken);
    const invoked = await page.evaluate(
      () => (globalThis as unknown as { __zaf: { invoked: [string, unknown][] } }).__zaf.invoked,
    );
    expect(invoked.map(([name]) => name)).toContain('resize');
    await page.context().close();
  });

  it('shows a ticket counted over its allowance in Japanese', async () => {
    const { page } = await openSidebar(h.overTicket, 'ja', 'zendesk-sidebar-over-ja');
    await expectOverAllowanceInJapanese(page);
    expect(await text(page, 'dashboard')).toBe('deskplan で開く');
    await page.context().close();
  });

  it('says so when deskplan has not handled the ticket', async () => {
    const { page } = await openSidebar('424242', 'en', 'zendesk-sidebar-unknown');
    expect(await text(page, 'message')).toBe('deskplan has not handled this ticket yet.');
    await page.context().close();
  });

  it('logged no console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
