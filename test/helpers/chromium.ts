// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH), driven
// by playwright-core, and the screenshots folder the tests write into.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SHOTS = 'test-output/screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches Chromium headless (without the sandbox when run as root) and makes SHOTS. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium fonts-noto-cjk, as .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

/** The text of the first element with this data-testid. */
export const textOf = (page: Page, testId: string) =>
  page.locator(`[data-testid=${testId}]`).first().innerText();
