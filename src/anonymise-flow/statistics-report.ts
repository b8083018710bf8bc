/**
 * The consumer's check of a signed statistics report (issue 8 statistics-only offers): same
 * signature scheme as the anonymisation report (Ed25519 by kms over a type prefix followed by
 * the canonical JSON of the document without its proof), so the consumer recomputes exactly
 * the bytes signed. Validates the shape, the issuer's key binding and the signature, and that
 * the report is bound to the agreement and container received.
 */
import { z } from 'zod';
import { canonicalJson } from '../anonymise/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { STATISTICS_SIGNING_PREFIX, type SignedStatisticsReport } from './statistics.js';
import { checkAgreementAndContainer, checkIssuerProof, signedReportShape, type ReportVerification } from './signed-report.js';

const epsilon = z.number().min(0);

export const signedStatisticsReportSchema = z.strictObject({
  type: z.literal('SignedStatisticsReport'),
  ...signedReportShape,
  statistic: z.looseObject({ kind: z.enum(['count', 'sum', 'mean']) }),
  mechanism: z.looseObject({ kind: z.enum(['laplace', 'gaussian']) }),
  groupBy: z.array(z.string().max(1024)).max(64),
  epsilon: z.strictObject({ spent: epsilon, agreementSpent: epsilon, remaining: epsilon, budget: epsilon }),
  noiseScale: z.strictObject({ count: z.number().optional(), sum: z.number().optional() }),
  output: z.strictObject({ sha256: z.string().regex(/^sha256:[0-9a-f]{64}$/), bytes: z.number().int().min(0), groups: z.number().int().min(0) }),
});

const invalid = (detail: string) => fail('SOV_ANON_REPORT_INVALID', detail);

/** Verifies a statistics report and its binding to the agreement and container received. */
export async function verifyStatisticsReport(
  input: unknown,
  opts: ReportVerification & { agreementId?: string; containerDigest?: string },
): Promise<Result<SignedStatisticsReport>> {
  const parsed = signedStatisticsReportSchema.safeParse(input);
  if (!parsed.success) return invalid(`the statistics report is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const signed = input as SignedStatisticsReport;
  const { proof: _proof, ...unsigned } = signed;
  const proven = await checkIssuerProof(signed, new TextEncoder().encode(`${STATISTICS_SIGNING_PREFIX}${canonicalJson(unsigned)}`), opts, 'the statistics report');
  if (!proven.ok) return proven;
  const bound = checkAgreementAndContainer(signed, opts);
  if (!bound.ok) return bound;
  return ok(signed);
}
