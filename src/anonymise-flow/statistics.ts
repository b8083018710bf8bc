/**
 * Statistics-only release (issue 8): when an agreement's pending duty is `aggregate`, the
 * provider never sends rows. It decrypts the stored dataset, answers the offering's declared
 * DP query (counts, sums or means by group over a declared public domain, Laplace noise,
 * src/anonymise/dp) with the ε the duty states, charging it to the agreement's budget in the
 * store BEFORE anything is released and refusing with SOV_ANON_BUDGET_EXHAUSTED once spent,
 * and writes only the noisy aggregate table (CSV) into a new container under a fresh data key.
 * A report of statistic, ε spent and left and noise scale is signed by kms.
 */
import { isoTime, type Clock } from '../clock/index.js';
import { canonicalJson, runDpQuery, sha256Hex, tableWriter, type DpResult, type PrivacyBudgetRepository, type UniformSource } from '../anonymise/index.js';
import { settle } from '../dataplane/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { Kms } from '../kms/index.js';
import { containerSink, type SinkDeps, type WrittenContainer } from './container-sink.js';
import { decryptedSource, type SourceDataset, type SourceDeps } from './decrypted-source.js';
import type { ReportBinding, ReportProof } from './signed-report.js';
import type { StatisticsTerms } from './statistics-duty.js';

export const STATISTICS_SIGNING_PREFIX = 'sovc-statistics-report-v1:';

/** The offering's DP query declaration (src/anonymise/dp `dpQuerySchema` without `epsilon`). */
export type StatisticsSource = (offeringId: string) => Promise<Result<Record<string, unknown>>>;

export interface StatisticsDeps extends Omit<SinkDeps, 'store' | 'kms'> {
  store: SinkDeps['store'] & SourceDeps['store'];
  kms: SinkDeps['kms'] & SourceDeps['kms'] & Pick<Kms, 'sign'>;
  budget: PrivacyBudgetRepository;
  random: UniformSource;
  clock: Clock;
}

export interface UnsignedStatisticsReport extends ReportBinding {
  type: 'SignedStatisticsReport';
  statistic: DpResult['measure'];
  mechanism: DpResult['mechanism'];
  groupBy: string[];
  epsilon: { spent: number; agreementSpent: number; remaining: number; budget: number };
  noiseScale: DpResult['noiseScale'];
  output: { sha256: string; bytes: number; groups: number };
}

export interface SignedStatisticsReport extends UnsignedStatisticsReport, ReportProof {}

/** The noisy table: the group-by columns, then the statistic's name (`count`, `sum` or `mean`). */
export function aggregateCsv(result: DpResult, groupBy: readonly string[]): string {
  const writer = tableWriter('csv', [...groupBy, result.measure.kind]);
  return writer.start + result.groups.map((g) => writer.record([...groupBy.map((c) => g.key[c] ?? ''), String(g.value)])).join('');
}

async function written(deps: StatisticsDeps, dataset: SourceDataset, agreementId: string, bytes: Uint8Array): Promise<Result<WrittenContainer>> {
  const sink = containerSink(deps, { datasetId: dataset.offeringId, datasetVersion: dataset.version, keyLabel: `statistics:${dataset.id}:${agreementId}` });
  let kept = false;
  try {
    await sink.write(bytes);
    const done = await sink.finish();
    kept = done.ok;
    return done;
  } finally {
    if (!kept) await sink.discard();
  }
}

export interface StatisticsRelease {
  container: WrittenContainer;
  report: SignedStatisticsReport;
}

/** Spends ε (refusing once the budget is spent), writes the noisy table, signs the report. */
export async function releaseStatistics(
  deps: StatisticsDeps,
  input: { dataset: SourceDataset; agreementId: string; terms: StatisticsTerms; declaration: Record<string, unknown> },
): Promise<Result<StatisticsRelease>> {
  const { dataset, agreementId, terms } = input;
  if ('epsilon' in input.declaration) return fail('SOV_ANON_QUERY_INVALID', 'the statistics declaration must not state epsilon: the agreement does');
  const settled = await settle(() => runDpQuery({
    agreementId,
    totalEpsilon: terms.epsilonBudget,
    budget: deps.budget,
    query: { ...input.declaration, epsilon: terms.epsilon },
    open: decryptedSource(deps, dataset),
    format: 'csv',
    random: deps.random,
  }));
  // settle wraps a refusal thrown while decrypting (tampered source) as a Failure.
  const result: Result<DpResult> = settled.ok ? settled.value : settled;
  if (!result.ok) return result;
  const groupBy = Object.keys(result.value.groups[0]?.key ?? {});
  const bytes = new TextEncoder().encode(aggregateCsv(result.value, groupBy));
  const container = await written(deps, dataset, agreementId, bytes);
  if (!container.ok) return container;
  const { spent, remaining } = result.value.budget;
  const unsigned: UnsignedStatisticsReport = {
    type: 'SignedStatisticsReport',
    version: 1,
    issuer: deps.did,
    agreementId,
    datasetId: dataset.offeringId,
    sourceContainerDigest: `blake2b-256:${dataset.containerDigest}`,
    containerDigest: `blake2b-256:${container.value.containerDigest}`,
    statistic: result.value.measure,
    mechanism: result.value.mechanism,
    groupBy,
    epsilon: { spent: result.value.epsilon, agreementSpent: spent, remaining, budget: terms.epsilonBudget },
    noiseScale: result.value.noiseScale,
    output: { sha256: `sha256:${sha256Hex(bytes)}`, bytes: bytes.length, groups: result.value.groups.length },
    issuedAt: isoTime(deps.clock),
  };
  const { keyId, signature } = await deps.kms.sign(new TextEncoder().encode(`${STATISTICS_SIGNING_PREFIX}${canonicalJson(unsigned)}`));
  const proof = { type: 'Ed25519Signature' as const, verificationMethod: `${deps.did}#${keyId}`, proofValue: Buffer.from(signature).toString('base64url') };
  return ok({ container: container.value, report: { ...unsigned, proof } });
}
