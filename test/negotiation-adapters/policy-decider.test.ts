/**
 * The PolicyDecider adapter over the real ODRL engine, the repo's contract templates and the
 * four jurisdiction profiles: what a consumer with verified membership claims is permitted,
 * and for a refusal, the reasons it is told (engine code, rule, constraint).
 */
import { describe, expect, it } from 'vitest';
import { SOV_PURPOSE, type VerifiedCaller } from '../../src/dsp/index.js';
import { createPolicyDecider, type DatasetFacts } from '../../src/negotiation-adapters/index.js';
import type { PolicyContext } from '../../src/negotiation/index.js';
import { dspOfferOf, type Offering } from '../../src/offerings/index.js';
import { createPolicyEngine, loadContractTemplates, loadJurisdictionProfiles, loadPolicyVocabulary, type DecisionReport } from '../../src/policy/index.js';

function unwrapped<T>(result: { ok: true; value: T } | { ok: false; detail: string }): T {
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

const vocabulary = unwrapped(loadPolicyVocabulary());
const profiles = unwrapped(loadJurisdictionProfiles());
const templates = unwrapped(loadContractTemplates());
const engine = createPolicyEngine({ vocabulary });

const DATASET = 'urn:uuid:dataset-1';
const SOV = 'https://w3id.org/sovereign-connector/vocab#';
const NOW = '2026-03-01T12:00:00.000Z';
const member = (jurisdiction: string, extra: Record<string, unknown> = {}): VerifiedCaller => ({
  did: `did:web:${jurisdiction.toLowerCase()}.example`,
  claims: { legalName: 'Agency', jurisdiction, roles: ['consumer', 'researcher'], registrar: `did:web:registrar.${jurisdiction.toLowerCase()}`, ...extra },
});

function offerFrom(template: string, params: Record<string, unknown> = {}) {
  const document = unwrapped(templates.instantiate(template, params));
  return dspOfferOf({ id: DATASET, offerId: 'urn:uuid:offer-1', policy: { source: { template, params }, document } } as Offering);
}

function decider(provider: string, facts: DatasetFacts | undefined = { classification: 'OFFICIAL', personalData: false }) {
  return createPolicyDecider({ engine, profiles, provider, datasetFacts: async (target) => (target === DATASET ? facts : undefined) });
}

const at = (now: string, extra: Partial<PolicyContext> = {}): PolicyContext => ({ stage: 'request', target: DATASET, now, ...extra });

describe('PolicyDecider over the ODRL engine and jurisdiction profiles', () => {
  it('permits a coalition member the coalition-open offer, with the full report', async () => {
    const decision = await decider('uk').decide(offerFrom('coalition-open'), member('CA'), at(NOW));
    expect(decision).toMatchObject({ permitted: true, reasons: [] });
    const report = decision.report as DecisionReport;
    expect(report).toMatchObject({ outcome: 'permitted', request: { assignee: 'did:web:ca.example', target: DATASET } });
    expect(report.jurisdiction).toMatchObject({ provider: 'uk', recipient: 'ca', outcome: 'permitted' });
  });

  it('refuses a caller without verified membership, naming the rule', async () => {
    const stranger: VerifiedCaller = { did: 'did:web:stranger.example', claims: {} };
    const decision = await decider('uk').decide(offerFrom('coalition-open'), stranger, at(NOW));
    expect(decision.permitted).toBe(false);
    expect(decision.reasons.map((r) => r.code)).toContain('SOV_POLICY_NO_PERMISSION');
    expect(decision.reasons.find((r) => r.code === 'SOV_POLICY_NO_PERMISSION')?.message).toContain('sov:party/coalition');
  });

  it('refuses a missing purpose with the rule and the constraint it failed', async () => {
    const decision = await decider('uk').decide(offerFrom('research-anonymised', { k: 10, l: 3, maxSuppressionPercent: 5 }), member('CA'), at(NOW));
    expect(decision.permitted).toBe(false);
    expect(decision.reasons).toContainEqual({
      code: 'SOV_POLICY_OPERAND_MISSING',
      message: expect.stringContaining('purpose'),
      rule: '$.permission[0]',
      constraint: '$.permission[0].constraint[0] (purpose)',
    });
  });

  it('counts an offer whose only open points are pre-condition duties as permitted, the duties in the report', async () => {
    const caller = member('CA', { purpose: 'sov:purpose/research/health' });
    const decision = await decider('uk').decide(offerFrom('research-anonymised', { k: 10, l: 3, maxSuppressionPercent: 5 }), caller, at(NOW));
    expect(decision.permitted).toBe(true);
    const report = decision.report as DecisionReport;
    expect(report.permittedOnceDutiesFulfilled).toBe(true);
    expect(report.duties[0]).toMatchObject({ action: 'anonymize', state: 'pending' });
  });

  it('decides an offer for the purpose stated in the request, and an agreement for the purpose it binds', async () => {
    const offer = offerFrom('research-anonymised', { k: 10, l: 3, maxSuppressionPercent: 5 });
    const health = `${SOV}purpose/research/health`;
    expect((await decider('uk').decide(offer, member('CA'), at(NOW, { purpose: health }))).permitted).toBe(true);
    expect((await decider('uk').decide(offer, member('CA'), at(NOW, { purpose: `${SOV}purpose/commercial` }))).permitted).toBe(false);
    const agreement = { ...offer, '@type': 'Agreement' as const, target: DATASET, assigner: 'did:web:uk.example', assignee: 'did:web:ca.example', timestamp: NOW };
    // The signed purpose wins over whatever is stated later (a key release, a transfer context).
    const bound = { ...agreement, [SOV_PURPOSE]: `${SOV}purpose/commercial` };
    const later = await decider('uk').decide(bound, member('CA', { purpose: health }), at(NOW, { stage: 'transfer', purpose: health }));
    expect(later.permitted).toBe(false);
    expect((later.report as DecisionReport).request.purpose).toBe(`${SOV}purpose/commercial`);
    const agreed = await decider('uk').decide({ ...agreement, [SOV_PURPOSE]: health }, member('CA'), at(NOW, { stage: 'transfer' }));
    expect(agreed.permitted).toBe(true);
  });

  it('refuses a release above the jurisdiction ceiling, whatever the offer says', async () => {
    const restricted = decider('eu', { classification: 'RESTREINT UE/EU RESTRICTED', personalData: false });
    expect((await restricted.decide(offerFrom('coalition-open'), member('UK'), at(NOW))).permitted).toBe(true);
    const decision = await restricted.decide(offerFrom('coalition-open'), member('AU'), at(NOW));
    expect(decision.permitted).toBe(false);
    expect(decision.reasons[0]).toMatchObject({ code: 'SOV_POLICY_EXPORT_CEILING', message: expect.stringContaining('export') });
    const secret = await decider('uk', { classification: 'SECRET', personalData: false }).decide(offerFrom('coalition-open'), member('CA'), at(NOW));
    expect(secret.reasons.map((r) => r.code)).toContain('SOV_POLICY_CLASSIFICATION_REFUSED');
  });

  it('fails closed for a dataset it knows nothing about', async () => {
    const decision = await decider('uk').decide(offerFrom('coalition-open'), member('CA'), { ...at(NOW), target: 'urn:uuid:unknown' });
    expect(decision.permitted).toBe(false);
    expect(decision.reasons.map((r) => r.code)).toContain('SOV_POLICY_CLASSIFICATION_UNKNOWN');
  });

  it('runs a time limit from the agreement timestamp: agreed now at request, expired later', async () => {
    const offer = offerFrom('time-limited', { days: 30 });
    const uk = decider('uk');
    expect((await uk.decide(offer, member('CA'), at(NOW))).permitted).toBe(true);
    const agreement = { ...offer, '@type': 'Agreement' as const, target: DATASET, assigner: 'did:web:uk.example', assignee: 'did:web:ca.example', timestamp: NOW };
    expect((await uk.decide(agreement, member('CA'), at('2026-03-20T00:00:00.000Z', { stage: 'transfer' }))).permitted).toBe(true);
    const expired = await uk.decide(agreement, member('CA'), at('2026-04-15T00:00:00.000Z', { stage: 'transfer' }));
    expect(expired.permitted).toBe(false);
    expect(expired.reasons[0]).toMatchObject({ code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED', constraint: expect.stringContaining('elapsedTime') });
  });

  it('uses up a count-limited agreement', async () => {
    const offer = offerFrom('count-limited', { uses: 2 });
    const uk = decider('uk');
    expect((await uk.decide(offer, member('CA'), at(NOW, { stage: 'transfer', transfersSoFar: 1 }))).permitted).toBe(true);
    const spent = await uk.decide(offer, member('CA'), at(NOW, { stage: 'transfer', transfersSoFar: 2 }));
    expect(spent.permitted).toBe(false);
    expect(spent.reasons[0]?.constraint).toContain('count');
  });

  it('refuses a policy it does not understand instead of ignoring the unknown term', async () => {
    const offer = { '@id': 'urn:uuid:offer-x', '@type': 'Offer' as const, permission: [{ action: 'use', constriant: [] }] };
    const decision = await decider('uk').decide(offer, member('CA'), at(NOW));
    expect(decision.permitted).toBe(false);
    expect(decision.reasons.length).toBeGreaterThan(0);
  });
});
