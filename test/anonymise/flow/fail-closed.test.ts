/**
 * The transform fails closed (issue 8 "an unreachable model fails closed"): a model that cannot
 * be met, a source that changes between the passes, a duty it cannot perform or a missing
 * declaration refuse the transfer with the reason, and leave no container, no pending bytes
 * and no live data key behind. Without duties the stored container goes as it is. A report
 * altered after signing, or signed by another key, does not verify.
 */
import { describe, expect, it } from 'vitest';
import {
  checkReportBinding, createAnonymisingTransform, offeringDeclarations, requestedModel, verifyAnonymisationReport, type SignedAnonymisationReport,
} from '../../../src/anonymise-flow/index.js';
import { uuidGenerator } from '../../../src/clock/index.js';
import { encryptToContainer, type CiphertextStore } from '../../../src/dataplane/index.js';
import { ok, unwrap } from '../../../src/errors/index.js';
import type { Offering } from '../../../src/offerings/index.js';
import type { DutyReport } from '../../../src/policy/index.js';
import { agreement, anonymiseDuties, makeFlow, providerKeys, type Flow } from './flow-fixture.js';

const liveAnonymisedKeys = (flow: Flow) => flow.provider.kms.listKeys().filter((k) => k.label?.startsWith('anonymised:') && k.status !== 'destroyed');

describe('anonymising transform fails closed', () => {
  it('refuses a model the data cannot meet, with the reason, creating no container and no key', async () => {
    const flow = await makeFlow();
    const before = await flow.provider.store.list();
    const keysBefore = flow.provider.kms.listKeys().length;
    const refused = await flow.transform({ dataset: flow.dataset, agreement: agreement('urn:agreement:x'), duties: await anonymiseDuties({ k: 5, l: 30, maxSuppressionPercent: 0 }) });
    expect(refused).toMatchObject({ ok: false, code: 'SOV_ANON_MODEL_UNREACHABLE', data: { agreementId: 'urn:agreement:x', offeringId: flow.dataset.offeringId } });
    expect(refused.ok ? '' : refused.detail).toMatch(/cannot be released under agreement urn:agreement:x: .*l/);
    expect(await flow.provider.store.list()).toEqual(before);
    expect(flow.provider.kms.listKeys()).toHaveLength(keysBefore);
  });

  it('discards the half-written container and destroys its key when the source changes between passes', async () => {
    const puts: string[] = [];
    const swapTo = 'urn:uuid:swapped';
    let gets = 0;
    const flow = await makeFlow({
      store: (store): CiphertextStore => ({
        ...store,
        put: (id, source, opts) => (puts.push(id), store.put(id, source, opts)),
        get: (id, range) => store.get(++gets === 2 ? swapTo : id, range),
      }),
    });
    // The same data with the last row's diagnosis changed, under the same key and signer.
    const altered = Buffer.from(flow.input.toString('utf8').replace(/,([^,\r\n]+),(\d+)\r\n$/, ',Z99,$2\r\n'));
    expect(altered.equals(flow.input)).toBe(false);
    const output = encryptToContainer((async function* () { yield altered; })(), { crypto: flow.crypto, kms: flow.provider.kms, dataKeyId: flow.dataset.dataKeyId!, datasetId: flow.dataset.offeringId, datasetVersion: '1', signerDid: flow.provider.did });
    unwrap(await flow.provider.store.put(swapTo, output));
    const refused = await flow.transform({ dataset: flow.dataset, agreement: agreement('urn:agreement:x'), duties: await anonymiseDuties({ k: 5, l: 2, maxSuppressionPercent: 2 }) });
    expect(refused).toMatchObject({ ok: false, code: 'SOV_ANON_SOURCE_CHANGED' });
    expect(puts).toHaveLength(1);
    expect(await flow.provider.store.has(puts[0]!)).toBe(false);
    expect(await flow.provider.store.pendingSize(puts[0]!)).toBeUndefined();
    expect(flow.provider.kms.listKeys().filter((k) => k.label?.startsWith('anonymised:'))).toHaveLength(1);
    expect(liveAnonymisedKeys(flow)).toEqual([]);
  });

  it('refuses a pending duty other than anonymize, and an anonymize refinement it cannot honour', async () => {
    const flow = await makeFlow();
    const [anonymise] = await anonymiseDuties({ k: 5, l: 2, maxSuppressionPercent: 2 });
    const other: DutyReport = { ...anonymise!, id: 'duty-2', action: 'inform', parameters: [] };
    const odd: DutyReport = { ...anonymise!, parameters: [{ name: 'sov:kAnonymity', operator: 'lteq', value: 50 }] };
    for (const duties of [[anonymise!, other], [odd]]) {
      const refused = await flow.transform({ dataset: flow.dataset, agreement: agreement('urn:agreement:x'), duties });
      expect(refused).toMatchObject({ ok: false, code: 'SOV_ANON_DUTY_UNSUPPORTED' });
    }
    expect(liveAnonymisedKeys(flow)).toEqual([]);
  });

  it('reads gt as one more and the suppression limit as a percentage', () => {
    const duty = (parameters: DutyReport['parameters']): DutyReport[] => [{ id: 'd', path: '$', action: 'anonymize', timing: 'pre-condition', state: 'pending', parameters, constraints: [], consequences: [] }];
    expect(requestedModel(duty([{ name: 'sov:kAnonymity', operator: 'gt', value: 9 }, { name: 'sov:maxSuppression', operator: 'lteq', value: 2.5 }]))).toEqual(ok({ k: 10, maxSuppression: 0.025 }));
    expect(requestedModel(duty([{ name: 'sov:lDiversity', operator: 'gteq', value: 'three' }]))).toMatchObject({ ok: false, code: 'SOV_ANON_DUTY_UNSUPPORTED' });
  });

  it('refuses an anonymize duty on an offering without a declaration', async () => {
    const flow = await makeFlow();
    const offering = (anonymisation?: Offering['anonymisation']) => ({ get: async () => ({ anonymisation }) as Offering });
    const missing = createAnonymisingTransform({
      kms: flow.provider.kms, store: flow.provider.store, crypto: flow.crypto, clock: flow.clock, ids: uuidGenerator, did: flow.provider.did,
      declarations: offeringDeclarations({ offerings: offering(), baseDir: '/nowhere' }),
    });
    const refused = await missing({ dataset: flow.dataset, agreement: agreement('urn:agreement:x'), duties: await anonymiseDuties({ k: 5, l: 2, maxSuppressionPercent: 2 }) });
    expect(refused).toMatchObject({ ok: false, code: 'SOV_ANON_DECLARATION_MISSING' });
    const found = offeringDeclarations({ offerings: offering({ declarationRef: 'data/hospital-episodes.anonymisation.json' }), baseDir: new URL('../../../connectors/uk/', import.meta.url).pathname });
    expect(unwrap(await found(flow.dataset.offeringId)).model).toEqual({ k: 5, l: 2, maxSuppression: 0.02 });
  });

  it('sends the stored container as it is when no duty is pending', async () => {
    const flow = await makeFlow();
    const result = unwrap(await flow.transform({ dataset: flow.dataset, agreement: agreement('urn:agreement:x'), duties: [] }));
    expect(result).toEqual({ containerId: flow.dataset.containerId, dataKeyId: flow.dataset.dataKeyId, containerDigest: flow.dataset.containerDigest });
  });
});

describe('the signed report', () => {
  it('does not verify once altered, nor under another key, nor for other bytes', async () => {
    const flow = await makeFlow();
    const result = unwrap(await flow.transform({ dataset: flow.dataset, agreement: agreement('urn:agreement:a'), duties: await anonymiseDuties({ k: 5, l: 2, maxSuppressionPercent: 2 }) }));
    const report = result.report as SignedAnonymisationReport;
    const keys = providerKeys(flow);
    expect((await verifyAnonymisationReport(report, { signingKey: keys })).ok).toBe(true);
    const inflated = { ...report, report: { ...report.report, achieved: { ...report.report.achieved, k: 50 } } };
    expect(await verifyAnonymisationReport(inflated, { signingKey: keys })).toMatchObject({ ok: false, code: 'SOV_ANON_REPORT_INVALID' });
    const otherK = { ...report, models: { ...report.models, applied: { ...report.models.applied, k: 50 } } };
    expect(await verifyAnonymisationReport(otherK, { signingKey: keys })).toMatchObject({ ok: false, detail: 'the report signature does not verify' });
    const consumerKey = async () => ok(flow.consumer.kms.activeSigningKey().publicKey);
    expect(await verifyAnonymisationReport(report, { signingKey: consumerKey })).toMatchObject({ ok: false, detail: 'the report signature does not verify' });
    expect(await verifyAnonymisationReport(report, { signingKey: keys, expectedIssuer: flow.consumer.did })).toMatchObject({ ok: false, code: 'SOV_ANON_REPORT_INVALID' });
    expect(checkReportBinding(report, { containerDigest: `blake2b-256:${flow.dataset.containerDigest}` })).toMatchObject({ ok: false, code: 'SOV_ANON_REPORT_INVALID' });
    expect(checkReportBinding(report, { agreementId: 'urn:agreement:b' })).toMatchObject({ ok: false, code: 'SOV_ANON_REPORT_INVALID' });
  });
});
