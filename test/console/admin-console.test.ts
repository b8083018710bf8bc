/**
 * The console of one connector in Debian's Chromium: served under a strict CSP, sign-in with
 * the admin and researcher tokens, the overview, and offerings registered from a contract
 * template and retired, with the API's own error text shown when it refuses a form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Connector } from '../../src/connector/index.js';
import { unwrap } from '../../src/errors/index.js';
import { testConnector } from '../support/partners.js';
import { accessibilityProblems } from './support/accessibility.js';
import { eventually, launchBrowser, openConsole, signIn, type ConsolePage } from './support/browser.js';

const ADMIN = 'admin-token-for-uk-tests';
const RESEARCHER = 'researcher-token-for-uk-tests';

let browser: Browser;
let uk: Connector;
let base: string;

beforeAll(async () => {
  uk = await testConnector('uk');
  unwrap(await uk.start());
  base = uk.config.publicBaseUrl;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await uk?.stop();
});

async function session(fn: (console: ConsolePage) => Promise<void>): Promise<void> {
  const consolePage = await openConsole(browser, base);
  try {
    await fn(consolePage);
    expect(consolePage.problems).toEqual([]);
  } finally {
    await consolePage.close();
  }
}

describe('the console is served by the connector', () => {
  it('answers /console/ with the page under a strict Content-Security-Policy, and /console redirects there', async () => {
    const page = await fetch(`${base}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\sstyle=|<style/); // no inline style
    const bare = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
    const module = await fetch(`${base}/console/js/main.js`);
    expect(module.headers.get('content-type')).toMatch(/^text\/javascript/);
  });
});

describe('the accessibility check every screenshot runs', () => {
  it('names what a badly built page gets wrong', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent('<h1>One</h1><h1>Two</h1><input name="q"><button></button><table><tr><td>x</td></tr></table><p id="a"></p><p id="a" tabindex="2"></p>');
      expect(await accessibilityProblems(page)).toEqual([
        'expected one h1, found 2',
        '<input name=q> has no label',
        '<button> has no accessible name',
        '<table> has no caption',
        '<table> has no column headers',
        'duplicate id a',
        '<p#a> has a positive tabindex',
      ]);
    } finally {
      await page.close();
    }
  });
});

describe('signing in', () => {
  it('refuses a wrong token with the API’s own words and keeps the user on the sign-in page', async () => {
    await session(async ({ page, screenshot }) => {
      await page.getByLabel('Access token').fill('not-the-right-token-at-all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await eventually(() => page.getByRole('alert').textContent()).toContain('the bearer token is not valid');
      await eventually(() => page.getByLabel('Access token').getAttribute('aria-invalid')).toBe(null);
      await screenshot('sign-in-refused');
    });
  });

  it('checks the form before asking the API (a token too short to be one)', async () => {
    await session(async ({ page }) => {
      await page.getByLabel('Access token').fill('short');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await eventually(() => page.getByLabel('Access token').getAttribute('aria-invalid')).toBe('true');
      await eventually(() => page.getByRole('alert').textContent()).toContain('Access token');
    });
  });

  it('lets an admin in with the keyboard alone and shows the overview: identity, DID, membership, trust list', async () => {
    await session(async ({ page, screenshot }) => {
      // The page heading has focus after load; the next stop is the token field.
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('token');
      await page.keyboard.type(ADMIN);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      expect(await page.locator('#session-role').textContent()).toBe('admin');
      const main = page.getByRole('main');
      await eventually(() => main.textContent()).toContain(uk.did);
      expect(await page.locator('#membership-status').textContent()).toContain('none');
      expect(await main.getByRole('table', { name: 'Public keys' }).locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      const nav = page.getByRole('navigation', { name: 'Console sections' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(expect.arrayContaining(['Overview', 'Offerings']));
      await screenshot('overview');
    });
  });

  it('gives a researcher no admin pages: the offerings page is not reachable', async () => {
    await session(async (consolePage) => {
      const { page } = consolePage;
      await signIn(consolePage, RESEARCHER);
      expect(await page.locator('#session-role').textContent()).toBe('researcher');
      const links = await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link').allTextContents();
      expect(links).not.toContain('Offerings');
      expect(links).not.toContain('Overview');
      expect(links).toEqual(['Catalogue', 'Negotiations', 'Agreements', 'Transfers']);
      await page.goto('/console/#/offerings');
      await page.getByRole('heading', { level: 1, name: 'Catalogue' }).waitFor();
      expect(page.url()).toMatch(/#\/catalogue$/);
    });
  });
});

describe('offerings', () => {
  it('registers an offering from a contract template, shows the API’s refusal of a bad classification, and retires it', async () => {
    await session(async (consolePage) => {
      const { page, screenshot } = consolePage;
      await signIn(consolePage, ADMIN);
      await page.getByRole('navigation').getByRole('link', { name: 'Offerings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Offerings' }).waitFor();
      const form = page.getByRole('form', { name: 'Register an offering' });
      await form.getByLabel('Title').fill('Hospital episodes 2025');
      await form.getByLabel('Keywords').fill('health, episodes');
      await form.getByLabel('Contract template').selectOption('research-anonymised');
      await eventually(() => form.getByLabel(/^k —/).inputValue()).toBe('10');
      await form.getByLabel(/^k —/).fill('5');
      await form.getByLabel('Classification').fill('SECRET');
      await form.getByLabel('Holds personal data').check();
      await form.getByLabel('Anonymisation declaration').fill('data/hospital-episodes.anonymisation.json');
      await form.getByLabel('Source reference').fill('connectors/uk/data/hospital-episodes.csv');
      await form.getByRole('button', { name: 'Register offering' }).click();

      const alert = form.getByRole('alert');
      await eventually(() => alert.textContent()).toContain('SECRET and above are never offered');
      expect(await form.getByLabel('Classification').getAttribute('aria-invalid')).toBe('true');
      await screenshot('offerings-refused');

      await form.getByLabel('Classification').fill('OFFICIAL-SENSITIVE');
      await form.getByRole('button', { name: 'Register offering' }).click();
      const listing = page.getByRole('table', { name: /Offerings of this connector/ });
      await eventually(() => listing.textContent()).toContain('Hospital episodes 2025');
      const offerings = unwrap(await uk.dsp.offerings.list());
      const created = offerings.items.find((o) => o.title === 'Hospital episodes 2025');
      expect(created).toMatchObject({ classification: 'OFFICIAL-SENSITIVE', personalData: true, keywords: ['health', 'episodes'], status: 'active' });
      expect(created?.policy.source).toEqual({ template: 'research-anonymised', params: { k: 5, l: 3, maxSuppressionPercent: 5 } });
      expect(created?.anonymisation).toEqual({ declarationRef: 'data/hospital-episodes.anonymisation.json' });
      await screenshot('offerings');

      await listing.getByRole('button', { name: 'Retire Hospital episodes 2025' }).click();
      const dialog = page.getByRole('dialog', { name: /Retire/ });
      await dialog.getByRole('button', { name: 'Retire offering' }).click();
      await eventually(() => listing.locator('tr', { hasText: 'Hospital episodes 2025' }).textContent()).toContain('retired');
      expect((await uk.dsp.offerings.get(created?.id as string))?.status).toBe('retired');
    });
  });
});

describe('audit', () => {
  it('lists the log with the chain verified, and finds entries by type', async () => {
    await session(async (consolePage) => {
      const { page, screenshot } = consolePage;
      await signIn(consolePage, ADMIN);
      await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
      expect(await page.locator('#audit-verification').textContent()).toContain('verified');
      const entries = page.getByRole('table', { name: /Audit entries/ });
      await eventually(() => entries.textContent()).toContain('admin.login');
      const form = page.getByRole('form', { name: 'Search the audit log' });
      await form.getByLabel('Event type').selectOption('key.created');
      await form.getByRole('button', { name: 'Search' }).click();
      await eventually(async () => [...new Set(await entries.locator('tbody tr td:nth-child(3)').allTextContents())]).toEqual(['key.created']);
      await screenshot('audit');
    });
  });

  it('makes the compliance report and offers the signed pack and its HTML for download', async () => {
    await session(async (consolePage) => {
      const { page, screenshot } = consolePage;
      await signIn(consolePage, ADMIN);
      await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
      const form = page.getByRole('form', { name: 'Compliance report' });
      await form.getByLabel('Since').fill('2020-01-01');
      await form.getByRole('button', { name: 'Make the report' }).click();
      const json = page.getByRole('link', { name: 'Download the signed pack (JSON)' });
      await json.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), json.click()]);
      const credential = JSON.parse(await streamText(await download.createReadStream())) as { type: string[]; proof: unknown };
      expect(credential.type).toContain('ComplianceEvidenceCredential');
      expect(credential.proof).toBeDefined();
      await screenshot('compliance-report');
    });
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
