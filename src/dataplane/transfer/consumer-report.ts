/**
 * The signed anonymisation report that travels with transformed data (issue 8 "the consumer
 * receives the anonymised data and the report"): when the data address names one
 * (`sov:anonymisationReport`), the consumer fetches it with the transfer token before its
 * receipt spends the token, and has it verified — signature by a key of the provider's DID
 * document, issuer = the provider, bound to this agreement and to the very container received.
 * A report that is missing, forged or about other data fails the pull (fail closed); the
 * verified report is kept with the dataset so every later export can check the decrypted
 * bytes against the report's plaintext digest.
 */
import { jsonDigest } from '../../dsp/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import type { ReceivedTransformReport } from '../datasets/dataset.js';
import type { ConsumerDeps } from './consumer-deps.js';
import { TRANSFER_TOKEN_HEADER, type PullAddress } from './data-address.js';

/** What a verified report tells the data plane: the SHA-256 (hex) of the plaintext it describes. */
export interface VerifiedTransformReport {
  plaintextSha256: string;
}

/**
 * Verifies a signed transform report (src/anonymise-flow does it for the anonymisation
 * report): issued and signed by `issuerDid`, for `agreementId`, describing `containerDigest`.
 */
export type TransformReportVerifier = (
  report: unknown,
  expected: { issuerDid: string; agreementId: string; containerDigest: string },
) => Promise<Result<VerifiedTransformReport>>;

export interface ReportFetch {
  providerDid: string;
  agreementId: string;
  /** `blake2b-256:<hex>` of the container received and verified. */
  containerDigest: string;
}

/** The verified report of a pulled transfer (fetched with its token), or undefined when the address names none. */
export async function fetchTransformReport(deps: ConsumerDeps, address: PullAddress, expected: ReportFetch): Promise<Result<ReceivedTransformReport | undefined>> {
  if (address.reportUrl === undefined) return ok(undefined);
  if (deps.verifyReport === undefined) return noVerifier();
  const signed = await deps.remote.getJson(address.reportUrl, expected.providerDid, { [TRANSFER_TOKEN_HEADER]: address.token });
  return signed.ok ? verifyTransformReport(deps, signed.value, expected) : signed;
}

/** A signed report that came with the data (pulled or pushed), verified and kept with its digest. */
export async function verifyTransformReport(deps: ConsumerDeps, signed: unknown, expected: ReportFetch): Promise<Result<ReceivedTransformReport>> {
  if (deps.verifyReport === undefined) return noVerifier();
  const verified = await deps.verifyReport(signed, { issuerDid: expected.providerDid, agreementId: expected.agreementId, containerDigest: expected.containerDigest });
  if (!verified.ok) return verified;
  return ok({ signed, digest: jsonDigest(signed), plaintextSha256: verified.value.plaintextSha256 });
}

function noVerifier() {
  return fail('SOV_ANON_REPORT_INVALID', 'the provider sends an anonymisation report and this connector has no verifier for it: refusing the data');
}
