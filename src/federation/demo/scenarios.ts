/**
 * The demo's cross-border scenarios against a running federation (issue 9 "npm run demo"),
 * each driven through the partners' management APIs and answered as an outcome the CLI prints
 * and the e2e test asserts: (a) an EU agency gets an OFFICIAL UK dataset; (b) a Canadian
 * researcher gets an anonymised Australian health dataset with its signed report; (c) an
 * Australian PROTECTED dataset is refused to the EU by Australia's export ceiling; (d) a UK
 * offer restricted to Canada and Australia is refused to the EU; (f) the UK pushes an OFFICIAL
 * dataset into a sink the Canadian connector opened (HttpData-PUSH). Scenario (e), expiry
 * under a simulated clock, runs on its own pair of connectors (expiry-scenario.ts).
 */
import type { SignedAnonymisationReport } from '../../anonymise-flow/index.js';
import type { PolicyReason } from '../../negotiation/index.js';
import { dspOfferOf } from '../../offerings/index.js';
import { negotiate, didOf, publishedOffering, transferAndKeep, type NegotiationOutcome, type TransferFormat, type TransferOutcome } from './exchange-steps.js';
import { seg, type PartnerApi } from './partner-api.js';

/** The sample offerings the scenarios use (connectors/<code>/offerings.json). */
export const SAMPLES = {
  ukOfficial: 'urn:sovc:sample:uk:hospital-episodes',
  ukNamedNations: 'urn:sovc:sample:uk:hospital-episodes-ca-au',
  ukTimeLimited: 'urn:sovc:sample:uk:hospital-episodes-30-days',
  auAnonymised: 'urn:sovc:sample:au:health-records-anonymised',
  auProtected: 'urn:sovc:sample:au:health-records-protected',
} as const;

export interface AnonymisationSummary {
  k: number;
  l?: number;
  model: { k: number; l?: number; maxSuppression: number };
  rowsIn: number;
  rowsOut: number;
  suppressed: number;
  removed: string[];
  pseudonymised: string[];
  issuer: string;
  reportDigest: string;
}

export interface ScenarioOutcome {
  key: 'a' | 'b' | 'c' | 'd' | 'e' | 'f';
  title: string;
  expected: 'permitted' | 'refused';
  /** The outcome is the one the scenario expects. */
  passed: boolean;
  consumer: string;
  provider: string;
  datasetId: string;
  negotiation?: NegotiationOutcome;
  transfer?: TransferOutcome;
  /** (b): the provider's signed anonymisation report, summarised. */
  anonymisation?: AnonymisationSummary;
  /** Refused scenarios: the provider's policy decision for this consumer and its reasons. */
  decision?: { permitted: boolean; reasons: PolicyReason[] };
  /** Notes for the reader (e.g. how the scenario was run). */
  notes: string[];
  /** Milliseconds the scenario took. */
  ms: number;
}

export interface DemoContext {
  apis: ReadonlyMap<string, PartnerApi>;
  /** Where received datasets are written, decrypted. */
  outDir: string;
}

function api(context: DemoContext, code: string): PartnerApi {
  const found = context.apis.get(code);
  if (found === undefined) throw new Error(`the demo needs partner ${code}, which is not running`);
  return found;
}

type Base = Pick<ScenarioOutcome, 'key' | 'title' | 'expected' | 'consumer' | 'provider' | 'datasetId'>;

function failed(base: Base, began: number, note: string): ScenarioOutcome {
  return { ...base, passed: false, notes: [note], ms: Date.now() - began };
}

/** Negotiation then transfer, as the consumer's admin; the file is named after consumer and dataset. */
export async function permittedExchange(context: DemoContext, base: Base, format?: TransferFormat): Promise<ScenarioOutcome> {
  const began = Date.now();
  const provider = api(context, base.provider);
  const consumer = api(context, base.consumer);
  const offering = await publishedOffering(provider, base.datasetId);
  if (!offering.ok) return failed(base, began, `${base.provider} does not publish ${base.datasetId}: ${offering.detail}`);
  const identity = await didOf(provider);
  if (!identity.ok) return failed(base, began, `${base.provider} identity: ${identity.detail}`);
  const negotiation = await negotiate(consumer, identity.value.did, offering.value);
  if (negotiation.state !== 'FINALIZED' || negotiation.agreementId === undefined) return { ...base, passed: false, negotiation, notes: [], ms: Date.now() - began };
  const name = `${base.consumer}-from-${base.provider}-${base.datasetId.split(':').pop() ?? 'dataset'}.csv`;
  const transfer = await transferAndKeep(consumer, negotiation.agreementId, context.outDir, name, format);
  return { ...base, passed: transfer.state === 'COMPLETED', negotiation, transfer, notes: [], ms: Date.now() - began };
}

/**
 * The provider's catalogue hides an offer from a consumer who could never satisfy it
 * (design.md step 2), so the consumer asks with the rules the provider's admin shared out of
 * band; the provider's policy engine decides on the request and the termination carries its
 * reasons (rule, constraint, jurisdiction check) back to the consumer.
 */
export async function refusedExchange(context: DemoContext, base: Base, expectedCode: string): Promise<ScenarioOutcome> {
  const began = Date.now();
  const provider = api(context, base.provider);
  const consumer = api(context, base.consumer);
  const offering = await publishedOffering(provider, base.datasetId);
  if (!offering.ok) return failed(base, began, `${base.provider} does not publish ${base.datasetId}: ${offering.detail}`);
  const providerId = await didOf(provider);
  if (!providerId.ok) return failed(base, began, 'the provider identity could not be read');
  const offer = dspOfferOf(offering.value) as unknown as Record<string, unknown>;
  const negotiation = await negotiate(consumer, providerId.value.did, offering.value, { offer });
  const reasons = (negotiation.refusal?.reasons ?? []) as PolicyReason[];
  const decision = { permitted: negotiation.state === 'FINALIZED', reasons };
  const passed = negotiation.state === 'TERMINATED' && reasons.some((reason) => reason.code === expectedCode);
  return { ...base, passed, negotiation, decision, notes: ['the offer was sent as its provider published it; the provider decided'], ms: Date.now() - began };
}

function summarise(signed: SignedAnonymisationReport): AnonymisationSummary {
  const { report } = signed;
  return {
    k: report.achieved.k,
    ...(report.achieved.l === undefined ? {} : { l: report.achieved.l }),
    model: signed.models.applied,
    rowsIn: report.rows.in,
    rowsOut: report.rows.out,
    suppressed: report.rows.suppressed,
    removed: report.columns.removed,
    pseudonymised: report.columns.pseudonymised,
    issuer: signed.issuer,
    reportDigest: signed.reportDigest,
  };
}

/** (b) plus the provider's signed report of the anonymisation it ran for this transfer. */
async function anonymisedExchange(context: DemoContext, base: Base): Promise<ScenarioOutcome> {
  const outcome = await permittedExchange(context, base);
  const providerPid = outcome.transfer?.providerPid;
  if (!outcome.passed || providerPid === undefined) return outcome;
  const outbound = await api(context, base.provider).get<{ transformReport?: SignedAnonymisationReport }>(`/outbound-transfers/${seg(providerPid)}`);
  const signed = outbound.ok ? outbound.value.transformReport : undefined;
  if (signed === undefined) return { ...outcome, passed: false, notes: ['the provider holds no anonymisation report for this transfer'] };
  const anonymisation = summarise(signed);
  return { ...outcome, anonymisation, passed: anonymisation.k >= anonymisation.model.k && (anonymisation.l ?? 0) >= (anonymisation.model.l ?? 0) };
}

/** Scenarios (a)–(d) and (f) in order, against the running federation. */
export async function runFederationScenarios(context: DemoContext, onOutcome: (outcome: ScenarioOutcome) => void = () => undefined): Promise<ScenarioOutcome[]> {
  const scenarios: Array<() => Promise<ScenarioOutcome>> = [
    () => permittedExchange(context, { key: 'a', title: 'An EU agency gets an OFFICIAL UK dataset', expected: 'permitted', consumer: 'eu', provider: 'uk', datasetId: SAMPLES.ukOfficial }),
    () => anonymisedExchange(context, { key: 'b', title: 'A Canadian researcher gets an anonymised Australian health dataset', expected: 'permitted', consumer: 'ca', provider: 'au', datasetId: SAMPLES.auAnonymised }),
    () => refusedExchange(context, { key: 'c', title: 'An Australian PROTECTED dataset is above the export ceiling for the EU', expected: 'refused', consumer: 'eu', provider: 'au', datasetId: SAMPLES.auProtected }, 'SOV_POLICY_EXPORT_CEILING'),
    () => refusedExchange(context, { key: 'd', title: 'A UK offer restricted to Canada and Australia is refused to the EU', expected: 'refused', consumer: 'eu', provider: 'uk', datasetId: SAMPLES.ukNamedNations }, 'SOV_POLICY_CONSTRAINT_UNSATISFIED'),
    () => permittedExchange(context, { key: 'f', title: 'The UK pushes an OFFICIAL dataset into a sink the Canadian agency opened', expected: 'permitted', consumer: 'ca', provider: 'uk', datasetId: SAMPLES.ukOfficial }, 'HttpData-PUSH'),
  ];
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of scenarios) {
    const outcome = await scenario();
    outcomes.push(outcome);
    onOutcome(outcome);
  }
  return outcomes;
}
