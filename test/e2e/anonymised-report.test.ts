/**
 * The signed anonymisation report reaches the consumer (issue 8 "the consumer receives the
 * anonymised data and the report; the audit log records both"), with the real
 * `research-anonymised` template over DSP: the duty's k/l/suppression cross as duty
 * constraints and the purpose is stated, so the provider anonymises with the duty's stricter
 * model. The consumer's pull fetches the report through the token-checked data-plane route,
 * verifies it against the provider's DID key and the container it received, keeps it with the
 * dataset (the audit entry names its digest, the one the provider's evidence names), and every
 * export checks the decrypted bytes against it. A forged report, or a dataset whose bytes are
 * not the ones reported, is refused.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAnonymisationReport, type SignedAnonymisationReport } from '../../src/anonymise-flow/index.js';
import { uuidGenerator } from '../../src/clock/index.js';
import { createDataPlaneRemote, createSqlOutboundTransferRepository, didPeerKeys, readPullAddress, TRANSFER_TOKEN_HEADER } from '../../src/dataplane/index.js';
import { jsonDigest } from '../../src/dsp/index.js';
import { unwrap, type Result } from '../../src/errors/index.js';
import { dspOfferOf, type Offering } from '../../src/offerings/index.js';
import { measure } from '../anonymise/independent-check.js';
import { UK_DATA } from '../anonymise/fixtures.js';
import { collect } from '../dataplane/support.js';
import { dataPlaneFederation, startTransfer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';

const QUASI = ['age', 'sex', 'ethnicity', 'postcode_district', 'admission_date'];
const input = readFileSync(UK_DATA);
const codeOf = (result: Result<unknown>) => (result.ok ? 'accepted' : result.code);
let federation: DataPlaneFederation;
let offering: Offering;

beforeAll(async () => {
  federation = await dataPlaneFederation();
  offering = unwrap(
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
  unwrap(await federation.uk.connector.dataPlane.addDataset({ source: (async function* () { yield input; })(), offeringId: offering.id, plaintextLength: input.length }));
}, 60_000);
afterAll(() => federation.stopAll());

async function agreeForResearch(): Promise<string> {
  const { uk, eu } = federation;
  const offer = { ...dspOfferOf(offering), target: offering.id };
  const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did }, purpose: 'research/health' }));
  await federation.settle();
  const negotiation = await eu.connector.dsp.negotiations.get(started.id);
  if (negotiation?.agreement === undefined) throw new Error(`negotiation ended ${negotiation?.state}: ${JSON.stringify(negotiation?.termination)}`);
  return negotiation.agreement['@id'];
}

describe('the anonymisation report travels with the data', () => {
  it('is fetched, verified and kept with the received dataset; exports are checked against it', async () => {
    const { uk, eu } = federation;
    const transfer = await startTransfer(federation, await agreeForResearch());
    const address = unwrap(readPullAddress(transfer.dataAddress));
    expect(address.reportUrl).toMatch(/\/dataplane\/transfers\/[^/]+\/report$/);
    const received = unwrap(await eu.connector.dataPlane.receive(transfer.id));
    await federation.settle();

    const signed = received.transformReport?.signed as SignedAnonymisationReport;
    unwrap(await verifyAnonymisationReport(signed, { signingKey: (url) => didPeerKeys(eu.connector.trust.didResolver).signingKey(url), expectedIssuer: uk.connector.did }));
    // The duty parameters crossed DSP: the declaration (k 5, l 2, 2 %) made stricter by the agreement (k 10, l 3, 5 %).
    expect(signed.models.requested).toEqual({ k: 10, l: 3, maxSuppression: 0.05 });
    expect(signed.models.applied).toEqual({ k: 10, l: 3, maxSuppression: 0.02 });
    const outbound = await uk.connector.dataPlane.provider.outbound(transfer.providerPid as string);
    expect(received.transformReport?.digest).toBe(jsonDigest(outbound?.transformReport));
    const added = (await eu.connector.audit.tail(100)).find((entry) => entry.type === 'dataset.added' && entry.subjects.includes(received.id));
    expect((added?.details as { anonymisationReportDigest?: string }).anonymisationReportDigest).toBe(received.transformReport?.digest);

    const text = (await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).toString('utf8');
    const measured = measure(text, QUASI, ['diagnosis']);
    expect(measured.k).toBeGreaterThanOrEqual(10);
    expect(measured.k).toBe(signed.report.achieved.k);
    expect(measured.l['diagnosis']).toBe(signed.report.achieved.l);

    // The report route is token-checked like the envelope: without the token, and once the transfer completed.
    const remote = createDataPlaneRemote({ did: eu.connector.did, kms: eu.connector.kms, clock: federation.clock, ids: uuidGenerator });
    expect(codeOf(await remote.getJson(address.reportUrl as string, uk.connector.did, {}))).toBe('SOV_DATAPLANE_TOKEN_MISSING');
    expect(codeOf(await remote.getJson(address.reportUrl as string, uk.connector.did, { [TRANSFER_TOKEN_HEADER]: address.token }))).toBe('SOV_DATAPLANE_TOKEN_REPLAYED');

    // Bytes that are not the ones reported do not export.
    const record = await eu.connector.dataPlane.datasets.get(received.id);
    if (record?.transformReport === undefined) throw new Error('the dataset record lost its report');
    unwrap(await eu.connector.dataPlane.datasets.update({ ...record, transformReport: { ...record.transformReport, plaintextSha256: '0'.repeat(64) } }));
    await expect(collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).rejects.toMatchObject({ failure: { code: 'SOV_ANON_REPORT_INVALID' } });
  }, 60_000);

  it('refuses a report that does not verify: nothing is kept and the transfer does not complete', async () => {
    const { uk, eu } = federation;
    const transfer = await startTransfer(federation, await agreeForResearch());
    const records = createSqlOutboundTransferRepository(uk.connector.db);
    const outbound = await records.get(transfer.providerPid as string);
    const report = outbound?.transformReport as SignedAnonymisationReport;
    await records.save({ ...outbound!, transformReport: { ...report, report: { ...report.report, achieved: { ...report.report.achieved, k: 50 } } } });
    expect(codeOf(await eu.connector.dataPlane.receive(transfer.id))).toBe('SOV_ANON_REPORT_INVALID');
    expect(await eu.connector.dataPlane.datasets.findReceived(transfer.providerPid as string)).toBeUndefined();
    expect((await eu.connector.dsp.transfers.get(transfer.id))?.state).not.toBe('COMPLETED');
  }, 60_000);
});
