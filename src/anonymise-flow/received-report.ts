/**
 * The consumer's check of the signed anonymisation report that travels with the data (the
 * data plane's `TransformReportVerifier` port): the signature verifies under a key the
 * provider's DID document lists (resolved by `signingKey`), the issuer is the provider, and
 * the report is bound to this agreement and to the container actually received. What it hands
 * back, the plaintext SHA-256 the report names, is checked again at every export. A
 * statistics-only transfer carries a SignedStatisticsReport instead, checked the same way.
 */
import { ok } from '../errors/index.js';
import type { Result } from '../errors/index.js';
import type { TransformReportVerifier } from '../dataplane/index.js';
import { checkReportBinding, verifyAnonymisationReport } from './signed-report.js';
import { verifyStatisticsReport } from './statistics-report.js';

const isStatisticsReport = (report: unknown): boolean => typeof report === 'object' && report !== null && (report as { type?: unknown }).type === 'SignedStatisticsReport';

export function anonymisationReportVerifier(signingKey: (didUrl: string) => Promise<Result<Uint8Array>>): TransformReportVerifier {
  return async (report, expected) => {
    if (isStatisticsReport(report)) {
      const statistics = await verifyStatisticsReport(report, { signingKey, expectedIssuer: expected.issuerDid, agreementId: expected.agreementId, containerDigest: expected.containerDigest });
      return statistics.ok ? ok({ plaintextSha256: statistics.value.output.sha256.slice('sha256:'.length) }) : statistics;
    }
    const verified = await verifyAnonymisationReport(report, { signingKey, expectedIssuer: expected.issuerDid });
    if (!verified.ok) return verified;
    const bound = checkReportBinding(verified.value, { agreementId: expected.agreementId, containerDigest: expected.containerDigest });
    if (!bound.ok) return bound;
    return ok({ plaintextSha256: verified.value.report.output.sha256.slice('sha256:'.length) });
  };
}
