/**
 * Every contract template crosses the Dataspace Protocol: instantiated with its example
 * parameters, the Offer a catalogue shows (inside a Dataset) and the ContractRequestMessage a
 * consumer sends for it validate against our DSP 2025-1 schemas, which type an ODRL `action`
 * as a plain string (no refinements). The anonymisation duty's k/l/suppression therefore travel
 * as duty constraints, and the policy engine still reads them as the duty's parameters.
 */
import { describe, expect, it } from 'vitest';
import { datasetOf, dataService } from '../../src/catalog/index.js';
import { contractRequestMessage, dspContext, validateDspMessage, type MessageOffer } from '../../src/dsp/index.js';
import { dspOfferOf, type Offering } from '../../src/offerings/index.js';
import { createPolicyEngine, evaluate, loadContractTemplates, loadPolicyVocabulary } from '../../src/policy/index.js';

const loaded = loadContractTemplates();
if (!loaded.ok) throw new Error(loaded.detail);
const templates = loaded.value;
const DATASET = 'urn:sov:dataset:episodes';

function offeringOf(name: string): Offering {
  const info = templates.list().find((item) => item.name === name);
  const document = templates.instantiate(name, info?.example ?? {}, { uid: `urn:policy:${name}` });
  if (!document.ok) throw new Error(document.detail);
  const at = '2026-01-01T00:00:00Z';
  return {
    id: DATASET, offerId: `urn:offer:${name}`, title: name, keywords: [], formats: ['HttpData-PULL'],
    policy: { source: { template: name, params: info?.example ?? {} }, document: document.value },
    classification: 'OFFICIAL', personalData: false, dataSource: { type: 'file', reference: 'data.csv' },
    status: 'active', createdAt: at, updatedAt: at, version: 1,
  };
}

describe('contract templates over DSP 2025-1', () => {
  it.each(templates.list().map((item) => item.name))('%s: catalogue Offer and ContractRequestMessage validate', (name) => {
    const offer = dspOfferOf(offeringOf(name));
    const dataset = datasetOf({ id: DATASET, title: name, offers: [offer], formats: ['HttpData-PULL'] }, dataService({ catalogId: 'urn:c', participantId: 'did:web:p', dspBase: 'http://p/dsp' }));
    const asDataset = validateDspMessage('Dataset', { '@context': dspContext(), ...dataset });
    expect(asDataset.ok ? [] : asDataset.data).toEqual([]);
    const request = contractRequestMessage({ consumerPid: 'urn:uuid:c1', offer: { ...offer, target: DATASET } as MessageOffer, callbackAddress: 'http://c/dsp', purpose: 'https://w3id.org/sovereign-connector/vocab#purpose/research' });
    const asRequest = validateDspMessage('ContractRequestMessage', request);
    expect(asRequest.ok ? [] : asRequest.data).toEqual([]);
  });

  it('research-anonymised: the duty is a plain anonymize action whose constraints are its parameters', async () => {
    const offer = dspOfferOf(offeringOf('research-anonymised'));
    const duty = [offer.permission?.[0]?.duty].flat()[0];
    expect(duty?.action).toBe('anonymize');
    const vocabulary = loadPolicyVocabulary();
    if (!vocabulary.ok) throw new Error(vocabulary.detail);
    const compiled = await createPolicyEngine({ vocabulary: vocabulary.value }).compile({ '@context': ['http://www.w3.org/ns/odrl.jsonld', 'https://w3id.org/sovereign-connector/policy/v1'], ...offer, target: DATASET });
    expect(compiled.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const report = evaluate(compiled, { action: 'use', target: DATASET, assignee: { id: 'did:web:ca', memberships: ['sov:party/coalition'] }, purpose: 'sov:purpose/research' }, { now: '2026-01-02T00:00:00Z' });
    expect(report.permittedOnceDutiesFulfilled).toBe(true);
    expect(report.duties[0]?.parameters).toEqual([
      { name: 'sov:kAnonymity', operator: 'gteq', value: 10 },
      { name: 'sov:lDiversity', operator: 'gteq', value: 3 },
      { name: 'sov:maxSuppression', operator: 'lteq', value: 5 },
    ]);
    // Parameters are not activation conditions: the duty binds (pending), it is not unknown-inactive.
    expect(report.duties[0]?.constraints).toEqual([]);
    expect(report.duties[0]?.state).toBe('pending');
  });
});
