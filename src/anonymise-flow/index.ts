/**
 * Anonymisation in the transfer flow (issue 8 "Into the flow"): the provider-side
 * `DatasetTransform` that performs an agreement's `anonymize` duty between decrypt-at-rest and
 * encrypt-to-recipient — the offering's declaration made stricter (never weaker) by the duty's
 * k, l and suppression limit, pseudonyms keyed per agreement in kms, the output written
 * straight into a new container under a fresh data key, and a report signed by kms that the
 * consumer verifies against the container and plaintext it received. Failing closed: a model
 * that cannot be met refuses the transfer with the reason and leaves no container behind.
 * Statistics-only offers (`aggregate` duty with `sov:epsilon` and `sov:epsilonBudget`) release
 * only a differentially private aggregate table, spending ε from the agreement's budget.
 */
export {
  createAnonymisingTransform,
  type AnonymisingTransform,
  type AnonymisingTransformOptions,
  type DeclarationSource,
  type TransformInput,
  type TransformOutput,
} from './transform.js';
export { requestedModel, strictestDeclaration, type RequestedModel } from './duty-model.js';
export {
  signAnonymisationReport,
  verifyAnonymisationReport,
  checkReportBinding,
  signedAnonymisationReportSchema,
  type SignedAnonymisationReport,
  type UnsignedAnonymisationReport,
  type ReportVerification,
  type ModelTerms,
} from './signed-report.js';
export { anonymisationReportVerifier } from './received-report.js';
export { statisticsTerms, asksForStatistics, type StatisticsTerms } from './statistics-duty.js';
export { releaseStatistics, aggregateCsv, type StatisticsSource, type SignedStatisticsReport, type UnsignedStatisticsReport } from './statistics.js';
export { offeringStatistics } from './adapters/offering-statistics.js';
export { verifyStatisticsReport, signedStatisticsReportSchema } from './statistics-report.js';
export type { SourceDataset } from './decrypted-source.js';
export { offeringDeclarations } from './adapters/offering-declarations.js';
export { connectorAnonymisingTransform, type ConnectorTransformOptions } from './adapters/connector-transform.js';
