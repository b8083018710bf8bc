/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser): one browser per
 * test file, a fresh context per test, every page error and console error collected so a test
 * can assert the console ran clean under its Content-Security-Policy, and screenshots saved
 * as artefacts under test-results/console/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityProblems } from './accessibility.js';

/** Debian's Chromium (.ci/run installs it); SOVC_CHROMIUM names another build. */
export const CHROMIUM = process.env['SOVC_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTEFACTS = join(process.cwd(), 'test-results', 'console');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors, console errors and CSP violation reports seen so far. */
  problems: string[];
  /**
   * Saves a full-page screenshot as test-results/console/<name>.png, after checking the page's
   * accessibility structure (what is wrong joins `problems`).
   */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openConsole(browser: Browser, baseUrl: string): Promise<ConsolePage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused API call logs a network error in Chromium: those are expected and shown in the page.
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  await page.goto('/console/');
  return {
    page,
    context,
    problems,
    async screenshot(name) {
      problems.push(...(await accessibilityProblems(page)).map((problem) => `${name}: ${problem}`));
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
    },
    close: () => context.close(),
  };
}

/** Signs in through the form as a user would, and waits for the first page. */
export async function signIn(consolePage: ConsolePage, token: string): Promise<void> {
  const { page } = consolePage;
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#session:not([hidden])').waitFor();
}

/**
 * `expect.poll` with room for a loaded CI machine: pages poll the API every second or so, and a
 * crawl or a transfer can take a few seconds on two busy cores.
 */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}
