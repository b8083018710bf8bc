/**
 * `sovc request` end to end (issue 8 "Into the flow"): a researcher at the EU connector asks,
 * through its own connector's management API only, for the UK's hospital episodes offered
 * under the real `research-anonymised` template. The command fetches the UK catalogue, picks
 * the dataset's offer, negotiates stating `research/health`, transfers, and writes the
 * decrypted file beside its signed report. Checked on that FILE: k and l recomputed
 * independently equal the report, which verifies under the UK's DID key and names the file's
 * SHA-256. A purpose the offer does not allow ends with the provider's reasons and no file.
 * The management API responses of the new routes are checked against the OpenAPI document.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAnonymisationReport, type SignedAnonymisationReport } from '../../src/anonymise-flow/index.js';
import { providerRef, requestCommand, type RequestIo } from '../../src/cli/commands/request.js';
import { didPeerKeys } from '../../src/dataplane/index.js';
import { unwrap } from '../../src/errors/index.js';
import { managementApiDocument } from '../../src/http/openapi/index.js';
import { measure } from '../anonymise/independent-check.js';
import { UK_DATA } from '../anonymise/fixtures.js';
import { dataPlaneFederation, type DataPlaneFederation } from '../dataplane/transfer/federation.js';
import { checkedClient, openApiChecker } from '../http/management/openapi-checker.js';

const QUASI = ['age', 'sex', 'ethnicity', 'postcode_district', 'admission_date'];
const input = readFileSync(UK_DATA);
let federation: DataPlaneFederation;
let datasetId: string;
const tokenFile = join(mkdtempSync(join(tmpdir(), 'sovc-request-token-')), 'researcher-token');
writeFileSync(tokenFile, 'researcher-token-for-eu-tests\n');

beforeAll(async () => {
  federation = await dataPlaneFederation({ proxies: false });
  const offering = unwrap(
    await federation.uk.connector.dsp.offerings.create({
      title: 'Hospital episodes (research, anonymised)',
      policy: { template: 'research-anonymised', params: { k: 10, l: 3, maxSuppressionPercent: 5 } },
      classification: 'OFFICIAL',
      personalData: true,
      dataSource: { type: 'file', reference: 'data/hospital-episodes.csv' },
      anonymisation: { declarationRef: 'data/hospital-episodes.anonymisation.json' },
      formats: ['HttpData-PULL'],
    }),
  );
  datasetId = offering.id;
  unwrap(await federation.uk.connector.dataPlane.addDataset({ source: (async function* () { yield input; })(), offeringId: offering.id, plaintextLength: input.length }));
}, 60_000);
afterAll(() => federation.stopAll());

/** The researcher's io: output captured; between polls the messages travel and background pulls finish. */
function researcherIo(lines: string[]): RequestIo {
  return {
    env: {},
    out: (text) => lines.push(text),
    pause: async () => {
      await federation.settle();
      await federation.eu.connector.consumerPulls.idle();
      await federation.settle();
    },
  };
}

const run = (purpose: string, out: string, lines: string[]) =>
  requestCommand({ provider: federation.uk.connector.did, dataset: datasetId, purpose, url: federation.eu.connector.config.publicBaseUrl, tokenFile, out, timeout: '60' }, researcherIo(lines));

describe('sovc request: the researcher path over DSP', () => {
  it('writes the anonymised file and its report; k and l are as reported; the report verifies', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sovc-request-'));
    const lines: string[] = [];
    await run('research/health', out, lines);
    const file = lines.find((line) => line.startsWith('file:'))?.slice(5).trim() as string;
    const reportFile = lines.find((line) => line.startsWith('report:'))?.slice(7).trim() as string;
    expect(file).toMatch(/\.csv$/);
    expect(readdirSync(out).some((name) => name.endsWith('.partial'))).toBe(false);

    const signed = JSON.parse(readFileSync(reportFile, 'utf8')) as SignedAnonymisationReport;
    const signingKey = (url: string) => didPeerKeys(federation.eu.connector.trust.didResolver).signingKey(url);
    unwrap(await verifyAnonymisationReport(signed, { signingKey, expectedIssuer: federation.uk.connector.did }));
    expect(signed.models.applied).toMatchObject({ k: 10, l: 3 });
    const bytes = readFileSync(file);
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(signed.report.output.sha256);
    const measured = measure(bytes.toString('utf8'), QUASI, ['diagnosis']);
    expect(measured.k).toBe(signed.report.achieved.k);
    expect(measured.k).toBeGreaterThanOrEqual(10);
    expect(measured.l['diagnosis']).toBe(signed.report.achieved.l);
    expect(lines.join('\n')).toMatch(/agreement \S+ FINALIZED/);
  }, 60_000);

  it('ends with the provider reasons and no file when the purpose is not allowed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sovc-request-refused-'));
    const refused = run('commercial', out, []);
    await expect(refused).rejects.toMatchObject({ failure: { code: 'SOV_NEG_POLICY_REFUSED', detail: expect.stringContaining('(purpose)') } });
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);

  it('serves receive, report and data to the researcher as the OpenAPI document says', async () => {
    const checker = openApiChecker(managementApiDocument());
    const api = checkedClient(federation.eu.connector.config.publicBaseUrl, checker);
    const [transfer] = unwrap(await federation.eu.connector.dsp.transfers.list({ state: 'COMPLETED' })).items;
    const path = `/api/transfers/${encodeURIComponent(transfer!.id)}`;
    const researcher = 'researcher-token-for-eu-tests';
    expect((await api('POST', `${path}/receive`, { token: researcher })).status).toBe(200);
    const report = await api('GET', `${path}/report`, { token: researcher });
    expect(report.body).toMatchObject({ transferId: transfer!.id, report: { type: 'SignedAnonymisationReport' } });
    expect((await api('GET', '/api/transfers/urn:uuid:unknown/report', { token: researcher })).status).toBe(404);
    expect((await api('POST', '/api/transfers/urn:uuid:unknown/receive', { token: researcher })).status).toBe(404);
    const data = await fetch(`${federation.eu.connector.config.publicBaseUrl}${path}/data`, { headers: { authorization: `Bearer ${researcher}` } });
    const body = Buffer.from(await data.arrayBuffer());
    checker.check('GET', `${path}/data`, data.status, data.headers.get('content-type') ?? '', body.toString('utf8'));
    expect(`sha256:${createHash('sha256').update(body).digest('hex')}`).toBe((report.body as { report: SignedAnonymisationReport }).report.report.output.sha256);
    expect((await api('GET', '/api/transfers/urn:uuid:unknown/data', { token: researcher })).status).toBe(404);
  }, 60_000);

  it('names a partner by its code: the URL of connectors/<code>/connector.json', () => {
    expect(providerRef('uk', { env: {}, out: () => undefined })).toEqual({ url: expect.stringMatching(/^https?:\/\//) });
    expect(providerRef('did:web:x', { env: {}, out: () => undefined })).toEqual({ did: 'did:web:x' });
  });
});
