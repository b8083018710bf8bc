/**
 * Two partners' consoles in Debian's Chromium, over real loopback HTTP with the real encrypted
 * data plane: the UK admin registers an offering in the UK console; the EU admin has the
 * federated index crawled; an EU researcher finds the offering by federated search (and, for a
 * second offering, by asking the UK catalogue directly), requests it and watches the
 * negotiation reach FINALIZED live, with the agreement and both signatures, starts a transfer
 * under the agreement and watches it complete; a request
 * the UK policy refuses shows its reasons to the EU researcher and the full decision report to
 * the UK admin; the EU admin receives a started transfer and downloads the data through the
 * data-plane routes `npm start` serves beside the management API. The outbox workers are
 * drained by the test (`settle`); in the researcher's flow the consumer's pull is run by the
 * test as `sovc transfer pull` would, and the researcher then downloads the data.
 * Each step happens when the test says; the pages only poll the API.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { unwrap } from '../../src/errors/index.js';
import { dataPlaneFederation, type DataPlaneFederation, type Party } from '../dataplane/transfer/federation.js';
import { eventually, launchBrowser, openConsole, signIn, type ConsolePage } from './support/browser.js';

let browser: Browser;
let federation: DataPlaneFederation;
let uk: Party;
let eu: Party;
const opened: ConsolePage[] = [];

beforeAll(async () => {
  federation = await dataPlaneFederation({ proxies: false });
  ({ uk, eu } = federation);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const consolePage of opened) await consolePage.close();
  await browser?.close();
  await federation?.stopAll();
});

async function consoleOf(node: Party, token: string): Promise<ConsolePage> {
  const consolePage = await openConsole(browser, node.connector.config.publicBaseUrl);
  opened.push(consolePage);
  await signIn(consolePage, token);
  return consolePage;
}

/** A research-only policy: the request must state a research purpose, which a bare request does not. */
const researchOnly = {
  '@context': ['http://www.w3.org/ns/odrl.jsonld', 'https://w3id.org/sovereign-connector/policy/v1'],
  '@type': 'Offer',
  uid: 'urn:uuid:7d3c1f0e-research-only',
  profile: 'https://w3id.org/sovereign-connector/policy/v1',
  permission: [
    {
      action: 'use',
      assignee: { '@type': 'PartyCollection', uid: 'sov:party/coalition' },
      constraint: [{ leftOperand: 'purpose', operator: 'isPartOf', rightOperand: { '@id': 'sov:purpose/research' } }],
    },
  ],
};

describe('two partners through their consoles', () => {
  it('registers in the UK console, finds and requests from the EU console, shows the agreement signed by both, and a transfer to completion', async () => {
    const ukAdmin = await consoleOf(uk, 'admin-token-for-uk-tests');
    await ukAdmin.page.getByRole('navigation').getByRole('link', { name: 'Offerings' }).click();
    const form = ukAdmin.page.getByRole('form', { name: 'Register an offering' });
    await form.getByLabel('Title').fill('Hospital episodes 2025');
    await form.getByLabel('Description').fill('Admitted patient care episodes, England, 2025.');
    await form.getByLabel('Keywords').fill('health, episodes');
    await form.getByLabel('Contract template').selectOption('coalition-open');
    await form.getByLabel('Source reference').fill('connectors/uk/data/hospital-episodes.csv');
    await form.getByRole('button', { name: 'Register offering' }).click();
    await eventually(() => ukAdmin.page.getByRole('table', { name: /Offerings of this connector/ }).textContent()).toContain('Hospital episodes 2025');
    // The data itself is ingested at the terminal (`sovc dataset add`): the API has no upload.
    const offering = unwrap(await uk.connector.dsp.offerings.list()).items.find((o) => o.title === 'Hospital episodes 2025');
    const bytes = readFileSync('connectors/uk/data/hospital-episodes.csv');
    unwrap(await uk.connector.dataPlane.addDataset({ source: (async function* () { yield bytes; })(), offeringId: offering?.id as string, plaintextLength: bytes.length }));

    // The EU admin has the federated index crawled now rather than waiting for its schedule.
    const euAdmin = await consoleOf(eu, 'admin-token-for-eu-tests');
    await euAdmin.page.getByRole('navigation').getByRole('link', { name: 'Catalogue' }).click();
    await euAdmin.page.getByRole('button', { name: 'Crawl every partner now' }).click();
    await eventually(() => euAdmin.page.locator('#federated-results').getByRole('status').textContent()).toBe('1 dataset found across the federation.');

    const researcher = await consoleOf(eu, 'researcher-token-for-eu-tests');
    const { page } = researcher;
    expect(await page.getByRole('button', { name: 'Crawl every partner now' }).count()).toBe(0);
    const search = page.getByRole('form', { name: 'Search the federation' });
    await search.getByLabel('Words').fill('episod');
    await search.getByLabel('Nation').fill('UK');
    await search.getByRole('button', { name: 'Search' }).click();
    const results = page.locator('#federated-results');
    await eventually(() => results.getByRole('status').textContent()).toBe('1 dataset found across the federation.');
    await eventually(() => results.textContent()).toContain('Admitted patient care episodes');
    expect(await results.textContent()).toContain('UK Health Data Agency');
    await researcher.screenshot('catalogue');
    await search.getByLabel('Nation').fill('CA');
    await search.getByRole('button', { name: 'Search' }).click();
    await eventually(() => results.getByRole('status').textContent()).toBe('0 datasets found across the federation.');
    await search.getByLabel('Nation').fill('UK');
    await search.getByRole('button', { name: 'Search' }).click();
    await eventually(() => results.getByRole('status').textContent()).toBe('1 dataset found across the federation.');

    await results.getByRole('button', { name: /^Request Hospital episodes 2025/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Negotiation' }).waitFor();
    const state = page.locator('#negotiation-state');
    await eventually(() => state.textContent()).toMatch(/SENDING|REQUESTED/);

    await federation.settle();
    await eventually(() => state.textContent()).toBe('FINALIZED');
    const signatures = page.getByRole('table', { name: 'Signatures' });
    await eventually(() => signatures.textContent()).toContain('signed by this connector');
    expect(await signatures.textContent()).toContain('verified on receipt');
    expect(await signatures.textContent()).toContain(`${uk.connector.did}#`);
    await researcher.screenshot('negotiation-finalized');

    await page.getByRole('navigation').getByRole('link', { name: 'Agreements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agreements' }).waitFor();
    await eventually(() => page.getByRole('main').textContent()).toContain('We receive');
    await page.getByRole('button', { name: 'Verify signatures' }).click();
    await eventually(() => page.getByRole('table', { name: 'Signatures' }).locator('tbody').textContent()).toMatch(/verified now.*verified now/);
    await researcher.screenshot('agreements');

    await page.getByRole('button', { name: 'Start transfer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Transfer' }).waitFor();
    const transferState = page.locator('#transfer-state');
    await eventually(() => transferState.textContent()).toMatch(/SENDING|REQUESTED/);
    await federation.settle();
    await eventually(() => transferState.textContent()).toBe('STARTED');
    const progress = page.getByRole('progressbar', { name: /Transfer progress/ });
    expect(await progress.getAttribute('value')).toBe('2');
    await researcher.screenshot('transfer-started');
    const transferId = decodeURIComponent(page.url().split('#/transfers/')[1] as string);
    unwrap(await eu.connector.dataPlane.receive(transferId));
    await federation.settle();
    await eventually(() => transferState.textContent()).toBe('COMPLETED');
    expect(await progress.getAttribute('value')).toBe('3');
    await researcher.screenshot('transfer-completed');
    // The researcher downloads what its own transfer brought, decrypted and verified.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the data' }).click();
    const saved = readFileSync(await (await download).path());
    expect(saved.equals(bytes)).toBe(true);
    await eventually(() => page.getByRole('form', { name: 'Download the data' }).textContent()).toContain(`Saved ${saved.length} bytes`);
    await page.getByRole('link', { name: '← All transfers' }).click();
    await eventually(() => page.getByRole('table', { name: /Transfer processes/ }).textContent()).toContain('COMPLETED');
    await researcher.screenshot('transfers');
    expect(researcher.problems).toEqual([]);
    expect(ukAdmin.problems).toEqual([]);
    expect(euAdmin.problems).toEqual([]);
  });

  it('shows the refusal reasons of a forbidden request to the researcher and the decision report to the provider admin', async () => {
    unwrap(
      await uk.connector.dsp.offerings.create({
        title: 'Cancer registrations (research only)',
        keywords: ['cancer'],
        policy: { odrl: researchOnly },
        classification: 'OFFICIAL',
        personalData: false,
        dataSource: { type: 'file', reference: 'connectors/uk/data/hospital-episodes.csv' },
        formats: ['HttpData-PULL'],
      }),
    );
    const researcher = await consoleOf(eu, 'researcher-token-for-eu-tests');
    const { page } = researcher;
    const search = page.getByRole('form', { name: 'Search catalogues' });
    await search.getByLabel('Partners').fill(uk.connector.did);
    await search.getByLabel('Keyword').fill('cancer');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: /^Request Cancer registrations/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Negotiation' }).waitFor();
    await federation.settle();
    const state = page.locator('#negotiation-state');
    await eventually(() => state.textContent()).toBe('TERMINATED');
    const termination = page.locator('#termination');
    expect(await termination.getByRole('heading', { level: 3 }).textContent()).toBe('Refused by the provider');
    expect(await termination.textContent()).toContain('SOV_NEG_POLICY_REFUSED');
    expect(await termination.textContent()).toMatch(/purpose/);
    await researcher.screenshot('negotiation-refused-consumer');

    const ukAdmin = await consoleOf(uk, 'admin-token-for-uk-tests');
    await ukAdmin.page.getByRole('navigation').getByRole('link', { name: 'Negotiations' }).click();
    const list = ukAdmin.page.getByRole('table', { name: /Contract negotiations/ });
    await list.locator('tr', { hasText: 'TERMINATED' }).getByRole('link').click();
    const report = ukAdmin.page.locator('#decision-report');
    await eventually(() => report.getByRole('heading', { level: 3 }).textContent()).toBe('Policy decision at request: refused');
    const constraints = report.getByRole('table', { name: 'Constraints evaluated' });
    expect(await constraints.textContent()).toContain('purpose');
    expect(await report.getByRole('table', { name: /Jurisdiction checks/ }).textContent()).toContain('classification');
    await ukAdmin.screenshot('negotiation-refused-provider');

    // The overview checks each partner we negotiated with by asking for its catalogue.
    await ukAdmin.page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    expect(await ukAdmin.page.locator('#membership-status').textContent()).toContain('member');
    const peer = ukAdmin.page.locator('tr', { hasText: eu.connector.did });
    await eventually(() => peer.textContent()).toMatch(/0 datasets visible to us · \d+ ms/);
    expect(await peer.locator('.badge').textContent()).toBe('healthy');
    await ukAdmin.screenshot('overview-peers');
    expect(researcher.problems).toEqual([]);
    expect(ukAdmin.problems).toEqual([]);
  });

  it('lets the EU admin receive a started transfer and download the data, byte for byte', async () => {
    const csv = readFileSync('connectors/uk/data/hospital-episodes.csv');
    const offering = unwrap(
      await uk.connector.dsp.offerings.create({
        title: 'Hospital episodes for download',
        keywords: ['download'],
        policy: { template: 'coalition-open', params: {} },
        classification: 'OFFICIAL',
        personalData: false,
        dataSource: { type: 'file', reference: 'connectors/uk/data/hospital-episodes.csv' },
        formats: ['HttpData-PULL'],
      }),
    );
    unwrap(await uk.connector.dataPlane.addDataset({ source: (async function* () { yield csv; })(), offeringId: offering.id, plaintextLength: csv.length }));
    const admin = await consoleOf(eu, 'admin-token-for-eu-tests');
    const { page } = admin;
    await page.getByRole('navigation').getByRole('link', { name: 'Catalogue' }).click();
    const search = page.getByRole('form', { name: 'Search catalogues' });
    await search.getByLabel('Partners').fill(uk.connector.did);
    await search.getByLabel('Keyword').fill('download');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: /^Request Hospital episodes for download/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Negotiation' }).waitFor();
    await federation.settle();
    await eventually(() => page.locator('#negotiation-state').textContent()).toBe('FINALIZED');
    await page.getByRole('button', { name: 'Start transfer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Transfer' }).waitFor();
    await federation.settle();
    await eventually(() => page.locator('#transfer-state').textContent()).toBe('STARTED');

    await page.getByRole('button', { name: 'Receive the data now' }).click();
    await eventually(() => page.locator('#notice').textContent()).toBe(`Received and verified: ${csv.length} bytes.`);
    await federation.settle(); // our completion message to the provider
    await eventually(() => page.locator('#transfer-state').textContent()).toBe('COMPLETED');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the data' }).click();
    const file = await (await download).path();
    expect(readFileSync(file).equals(csv)).toBe(true);
    await eventually(() => page.getByRole('form', { name: 'Download the data' }).textContent()).toContain(`Saved ${csv.length} bytes`);
    await admin.screenshot('transfer-downloaded');
    expect(admin.problems).toEqual([]);
  });
});
