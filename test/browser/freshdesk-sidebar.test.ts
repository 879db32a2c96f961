// The Freshdesk ticket sidebar app (manifests/freshdesk) as an agent sees it: headless Chromium
// loads app/index.html from a deskplan test server, with a stub of the Freshworks client in place
// of {{{appclient}}}. The stub's request.invokeTemplate() goes through the test process, standing
// in for the Freshworks platform: it renders the named template of config/requests.json with the
// installation parameters (the secure token included), so the token never reaches the page.
import { readFileSync } from 'node:fs';
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

const APP = new URL('../../manifests/freshdesk/', import.meta.url).pathname;
const TEMPLATES = JSON.parse(readFileSync(`${APP}config/requests.json`, 'utf8')) as Record<
  string,
  {
    schema: {
      protocol: string;
      method: string;
      host: string;
      path: string;
      headers: Record<string, string>;
    };
  }
>;

let h: TicketSummaryHarness;
let browser: Browser;
const consoleErrors: string[] = [];

beforeAll(async () => {
  h = await startTicketSummary((app) => app.use('/freshdesk-app', express.static(`${APP}app`)));
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** What {{{appclient}}} gives the page inside Freshdesk: app.initialized() and the client. */
const STUB = `
window.app = {
  initialized: function () {
    var f = window.__fw;
    var client = {
      data: {
        get: function (name) {
          if (name === 'ticket') return Promise.resolve({ ticket: f.ticket });
          if (name === 'loggedInUser') return Promise.resolve({ loggedInUser: f.user });
          return Promise.reject({ message: 'unknown data ' + name });
        },
      },
      iparams: {
        get: function (name) {
          // Secure iparams are not readable from the front end.
          var all = f.iparams;
          if (name === undefined) return Promise.resolve(all);
          var answer = {};
          answer[name] = all[name];
          return Promise.resolve(answer);
        },
      },
      events: {
        on: function (name, callback) {
          if (name === 'app.activated') setTimeout(callback, 0);
        },
      },
      request: {
        invokeTemplate: function (name, options) {
          return window.__fwPlatform(name, options).then(function (r) {
            if (r.status >= 200 && r.status < 300) return r;
            return Promise.reject(r);
          });
        },
      },
    };
    return Promise.resolve(client);
  },
};`;

interface Sidebar {
  page: Page;
  invoked: { name: string; options: { context?: Record<string, string> } }[];
  sent: { url: string; headers: Record<string, string> }[];
}

async function openSidebar(ticketId: string, language: string, shot: string): Promise<Sidebar> {
  const page = await newSidebarPage(browser, { width: 300, height: 520 }, shot, consoleErrors);
  const invoked: Sidebar['invoked'] = [];
  const sent: Sidebar['sent'] = [];
  const host = new URL(h.url).host;
  // The Freshworks platform: the installation's iparams, the secure one included, fill the
  // template; the page only names the template and gives its context.
  const iparams: Record<string, string> = {
    deskplan_host: host,
    tenant_id: TENANT,
    api_token: h.tenantToken,
  };
  await page.exposeFunction(
    '__fwPlatform',
    async (name: string, options: { context?: Record<string, string> }) => {
      invoked.push({ name, options });
      const template = TEMPLATES[name];
      if (!template) return { status: 400, response: `no template ${name}` };
      const fill = (s: string) =>
        s.replace(/<%=\s*(iparam|context)\.(\w+)\s*%>/g, (_m, scope: string, key: string) =>
          encodeURIComponent(
            (scope === 'iparam' ? iparams[key] : options.context?.[key]) ?? '',
          ).replace(/%3A/g, ':'),
        );
      const { schema } = template;
      // deskplan on loopback speaks http; the template's https is for the real platform.
      expect(schema.protocol).toBe('https');
      const url = `http://${fill(schema.host)}${fill(schema.path)}`;
      const headers = Object.fromEntries(
        Object.entries(schema.headers).map(([k, v]) => [k, fill(v).replace(/%20/g, ' ')]),
      );
      sent.push({ url, headers });
      const res = await fetch(url, { method: schema.method, headers });
      return { status: res.status, headers: {}, response: await res.text() };
    },
  );
  await page.addInitScript((fw) => Object.assign(globalThis, { __fw: fw }), {
    ticket: { id: Number(ticketId), subject: 'x' },
    user: { id: 11, contact: { name: 'Aiko', language } },
    iparams: { deskplan_host: host, tenant_id: TENANT },
  });
  await page.route('**/*appclient*', (route) =>
    route.fulfill({ contentType: 'application/javascript', body: STUB }),
  );
  await showSidebar(page, `${h.url}/freshdesk-app/index.html`, shot);
  return { page, invoked, sent };
}

describe('Freshdesk ticket sidebar (headless Chromium, Freshworks client stub, real deskplan)', () => {
  it('shows a Premium ticket: plan, contract, the usage bar, the resolution due and the link', async () => {
    const { page, invoked, sent } = await openSidebar(h.premiumTicket, 'en', 'freshdesk-sidebar');
    await expectPremiumInEnglish(page);
    expect(await text(page, 'contract')).toBe('Contract: kaisha-premium');
    const link = page.locator('[data-testid=dashboard]');
    expect(await link.getAttribute('href')).toBe(
      `https://${new URL(h.url).host}/tenants/${TENANT}`,
    );

    // The page named the template and the ticket only; the platform sent the token.
    expect(invoked).toEqual([
      { name: 'ticketSummary', options: { context: { ticket_id: h.premiumTicket } } },
    ]);
    expect(sent[0]).toEqual({
      url: `${h.url}/api/tenants/${TENANT}/tickets/${h.premiumTicket}/summary`,
      headers: { Authorization: `Bearer ${h.tenantToken}`, Accept: 'application/json' },
    });
    expect(await page.content()).not.toContain(h.tenantToken);
    await page.context().close();
  });

  it('shows a ticket counted over its allowance in Japanese', async () => {
    const { page } = await openSidebar(h.overTicket, 'ja-JP', 'freshdesk-sidebar-over-ja');
    await expectOverAllowanceInJapanese(page);
    expect(await text(page, 'dashboard')).toContain('deskplan で開く');
    await page.context().close();
  });

  it('says so when deskplan has not handled the ticket', async () => {
    const { page } = await openSidebar('424242', 'en', 'freshdesk-sidebar-unknown');
    expect(await text(page, 'message')).toBe('deskplan has not handled this ticket yet.');
    await page.context().close();
  });

  it('logged no console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
