/**
 * The anonymising DatasetTransform (design.md step 4; issue 8 "Into the flow"): when an
 * agreement carries a pending `anonymize` duty, the provider decrypts the stored dataset with
 * its data key (streamed, twice: the anonymiser is two-pass), anonymises it with the offering's
 * declaration made stricter by the duty's k, l and suppression limit, pseudonymises identifiers
 * with a kms key derived for the agreement, and encrypts the output as it is produced into a
 * new container under a fresh data key. The report is signed by kms and returned with it.
 * Any failure (model unreachable, declaration missing, unsupported duty, tampered source)
 * refuses the transfer with the reason, and nothing is left behind. Without pending duties the
 * dataset's stored container is sent as it is.
 */
import { isoTime, type Clock, type IdGenerator } from '../clock/index.js';
import {
  anonymiseTable, canonicalDigest, type AnonymisationDeclaration, type AnonymisationReport, type PrivacyBudgetRepository, type UniformSource,
} from '../anonymise/index.js';
import { settle, type BulkCrypto, type CiphertextStore } from '../dataplane/index.js';
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import type { Kms } from '../kms/index.js';
import type { DutyReport } from '../policy/index.js';
import { containerSink, type WrittenContainer } from './container-sink.js';
import { decryptedSource, type SourceDataset } from './decrypted-source.js';
import { requestedModel, strictestDeclaration, type RequestedModel } from './duty-model.js';
import { signAnonymisationReport, type SignedAnonymisationReport } from './signed-report.js';
import { asksForStatistics, statisticsTerms } from './statistics-duty.js';
import { releaseStatistics, type SignedStatisticsReport, type StatisticsSource } from './statistics.js';

/** The offering's anonymisation declaration, validated. */
export type DeclarationSource = (offeringId: string) => Promise<Result<AnonymisationDeclaration>>;

export interface AnonymisingTransformOptions {
  kms: Pick<Kms, 'withDataKey' | 'createDataKey' | 'destroyDataKey' | 'sign' | 'activeSigningKey' | 'keyedHasher'>;
  store: Pick<CiphertextStore, 'get' | 'put' | 'delete'>;
  crypto: BulkCrypto;
  declarations: DeclarationSource;
  clock: Clock;
  ids: IdGenerator;
  /** Our DID: signs the new container and the report. */
  did: string;
  /** For statistics-only (`aggregate`) duties: the offering's DP query, the agreements' ε ledger, the noise source. */
  statistics?: { declarations: StatisticsSource; budget: PrivacyBudgetRepository; random: UniformSource };
}

/** The data plane's `DatasetTransform` input (src/dataplane/transfer/ports.ts), structurally. */
export interface TransformInput {
  dataset: SourceDataset;
  agreement: { '@id': string };
  duties: readonly DutyReport[];
}

export interface TransformOutput {
  containerId: string;
  dataKeyId: string;
  containerDigest: string;
  report?: SignedAnonymisationReport | SignedStatisticsReport;
}

export type AnonymisingTransform = (input: TransformInput) => Promise<Result<TransformOutput>>;

function refusal(failure: Failure, input: TransformInput): Failure {
  const subject = `${input.dataset.offeringId} cannot be released under agreement ${input.agreement['@id']}`;
  return fail(failure.code, `${subject}: ${failure.detail}`, { ...failure.data, agreementId: input.agreement['@id'], offeringId: input.dataset.offeringId });
}

interface Plan {
  declaration: AnonymisationDeclaration;
  declared: AnonymisationDeclaration['model'];
  requested: RequestedModel;
}

async function plan(options: AnonymisingTransformOptions, input: TransformInput): Promise<Result<Plan>> {
  const requested = requestedModel(input.duties);
  if (!requested.ok) return requested;
  const declared = await options.declarations(input.dataset.offeringId);
  if (!declared.ok) return declared;
  const declaration = strictestDeclaration(declared.value, requested.value);
  if (!declaration.ok) return declaration;
  return ok({ declaration: declaration.value, declared: declared.value.model, requested: requested.value });
}

/** Anonymises into a new container; on any failure the container and its key are discarded. */
async function anonymiseInto(options: AnonymisingTransformOptions, input: TransformInput, declaration: AnonymisationDeclaration) {
  const agreementId = input.agreement['@id'];
  const { dataset } = input;
  const sink = containerSink(options, { datasetId: dataset.offeringId, datasetVersion: dataset.version, keyLabel: `anonymised:${dataset.id}:${agreementId}` });
  let kept = false;
  try {
    const keyedHash = await options.kms.keyedHasher(`pseudonym:${agreementId}`);
    const open = decryptedSource(options, dataset);
    const report = await settle(() => anonymiseTable({ declaration, open, write: (chunk) => sink.write(chunk), keyedHash }));
    const anonymised: Result<AnonymisationReport> = report.ok ? report.value : report;
    if (!anonymised.ok) return anonymised;
    const written = await sink.finish();
    if (!written.ok) return written;
    kept = true;
    return ok({ report: anonymised.value, container: written.value });
  } finally {
    if (!kept) await sink.discard();
  }
}

async function signed(options: AnonymisingTransformOptions, input: TransformInput, planned: Plan, report: AnonymisationReport, container: WrittenContainer) {
  return signAnonymisationReport(options.kms, options.did, {
    type: 'SignedAnonymisationReport',
    version: 1,
    issuer: options.did,
    agreementId: input.agreement['@id'],
    datasetId: input.dataset.offeringId,
    sourceContainerDigest: `blake2b-256:${input.dataset.containerDigest}`,
    containerDigest: `blake2b-256:${container.containerDigest}`,
    models: { declared: planned.declared, requested: planned.requested, applied: planned.declaration.model },
    reportDigest: canonicalDigest(report),
    report,
    issuedAt: isoTime(options.clock),
  });
}

async function statisticsOnly(options: AnonymisingTransformOptions, input: TransformInput): Promise<Result<TransformOutput>> {
  const terms = statisticsTerms(input.duties);
  if (!terms.ok) return refusal(terms, input);
  if (options.statistics === undefined) {
    return refusal(fail('SOV_ANON_DUTY_UNSUPPORTED', 'this connector has no privacy-budget ledger, so it cannot release statistics'), input);
  }
  const { declarations, budget, random } = options.statistics;
  const declaration = await declarations(input.dataset.offeringId);
  if (!declaration.ok) return refusal(declaration, input);
  const released = await releaseStatistics({ ...options, budget, random }, { dataset: input.dataset, agreementId: input.agreement['@id'], terms: terms.value, declaration: declaration.value });
  if (!released.ok) return refusal(released, input);
  return ok({ ...released.value.container, report: released.value.report });
}

export function createAnonymisingTransform(options: AnonymisingTransformOptions): AnonymisingTransform {
  return async (input) => {
    if (input.duties.length === 0) {
      const { dataset } = input;
      if (dataset.dataKeyId === undefined) throw new Error(`local dataset ${dataset.id} has no data key`);
      return ok({ containerId: dataset.containerId, dataKeyId: dataset.dataKeyId, containerDigest: dataset.containerDigest });
    }
    if (asksForStatistics(input.duties)) return statisticsOnly(options, input);
    const planned = await plan(options, input);
    if (!planned.ok) return refusal(planned, input);
    const done = await anonymiseInto(options, input, planned.value.declaration);
    if (!done.ok) return refusal(done, input);
    const { report, container } = done.value;
    return ok({ ...container, report: await signed(options, input, planned.value, report, container) });
  };
}
