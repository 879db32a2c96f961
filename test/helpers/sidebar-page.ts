// What the ticket sidebar app tests share: a page of the sidebar's size whose console errors are
// collected, shown once the app has drawn (the summary or a message) with a screenshot, and what
// the app shows for the tickets of ticket-summary-harness: the Premium one in English, the one
// counted over its allowance in Japanese.
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SHOTS, textOf } from './chromium.js';

/** A new page `width`×`height`; its console errors and page errors go into `errors`. */
export async function newSidebarPage(
  browser: Browser,
  viewport: { width: number; height: number },
  shot: string,
  errors: string[],
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${shot}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${shot}: ${error.message}`));
  return page;
}

/** Opens the app at `url`, waits until it shows the dashboard link or a message, screenshots it. */
export async function showSidebar(page: Page, url: string, shot: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=dashboard], [data-testid=message]');
  await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
}

/**
 * The Premium ticket in English: its plan (named in Japanese), 1 of 20 used, resolution due in
 * about an hour, within allowance. The contract line and the link differ per app.
 */
export async function expectPremiumInEnglish(page: Page): Promise<void> {
  expect(await textOf(page, 'plan')).toBe('プレミアム');
  expect(await textOf(page, 'usage')).toContain('1 of 20 tickets used');
  expect(await textOf(page, 'usage')).toContain('19 remaining');
  const bar = page.locator('[data-testid=usage-bar]');
  expect(await bar.getAttribute('aria-valuenow')).toBe('1');
  expect(await bar.getAttribute('aria-valuemax')).toBe('20');
  expect(await textOf(page, 'due-resolution')).toMatch(/^Resolution\s+in 1h 5\dm$/);
  expect(await textOf(page, 'overage')).toBe('Within allowance');
}

/** The over-allowance ticket in Japanese: Basic, 6 of 5 used, 1 over, no pending SLA target. */
export async function expectOverAllowanceInJapanese(page: Page): Promise<void> {
  expect(await textOf(page, 'plan')).toBe('ベーシック');
  expect(await textOf(page, 'usage')).toContain('5 件中 6 使用');
  expect(await textOf(page, 'overage')).toBe('超過中(1 超過)');
  expect(await page.locator('[data-testid=usage-bar]').getAttribute('class')).toContain('over');
  expect(await textOf(page, 'no-dues')).toBe('未達の SLA 目標はありません');
}
