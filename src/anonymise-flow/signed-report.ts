/**
 * The signed anonymisation report that travels with the data (issue 8 "A signed report that
 * travels with the data"). A small JSON document, not a VC: the report, what it is bound to
 * (issuer, agreement, dataset, the source container and the container the consumer receives)
 * and the models declared, asked for by the duty and applied. The proof is an Ed25519
 * signature made by kms over `sovc-anonymisation-report-v1:` followed by the canonical JSON
 * (RFC 8785 style, `canonicalJson`) of the document without its proof; `verificationMethod`
 * names the issuer's key as a DID URL, resolved by the verifier through the issuer's DID
 * document. Chosen over a VC because the consumer checks it without JSON-LD processing and the
 * bytes signed are exactly the bytes anyone can recompute.
 */
import { z } from 'zod';
import { canonicalDigest, canonicalJson, type AnonymisationReport } from '../anonymise/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { verifySignature, type Kms } from '../kms/index.js';

const SIGNING_PREFIX = 'sovc-anonymisation-report-v1:';

export interface ModelTerms {
  k: number;
  l?: number;
  maxSuppression: number;
}

/** What a transform's signed report is bound to, shared by the anonymisation and statistics reports. */
export interface ReportBinding {
  version: 1;
  issuer: string;
  agreementId: string;
  datasetId: string;
  /** `blake2b-256:<hex>` of the container that was transformed (never sent). */
  sourceContainerDigest: string;
  /** `blake2b-256:<hex>` of the container the consumer receives. */
  containerDigest: string;
  issuedAt: string;
}

export interface ReportProof {
  proof: { type: 'Ed25519Signature'; verificationMethod: string; proofValue: string };
}

export interface UnsignedAnonymisationReport extends ReportBinding {
  type: 'SignedAnonymisationReport';
  models: { declared: ModelTerms; requested: { k?: number; l?: number; maxSuppression?: number }; applied: ModelTerms };
  /** `canonicalDigest(report)`: what the compliance evidence names. */
  reportDigest: string;
  report: AnonymisationReport;
}

export interface SignedAnonymisationReport extends UnsignedAnonymisationReport, ReportProof {}

function signingInput(unsigned: UnsignedAnonymisationReport): Uint8Array {
  return new TextEncoder().encode(`${SIGNING_PREFIX}${canonicalJson(unsigned)}`);
}

/** Signs with our active kms signing key; `did` makes the verification method a DID URL. */
export async function signAnonymisationReport(
  kms: Pick<Kms, 'sign'>,
  did: string,
  unsigned: UnsignedAnonymisationReport,
): Promise<SignedAnonymisationReport> {
  const { keyId, signature } = await kms.sign(signingInput(unsigned));
  return { ...unsigned, proof: { type: 'Ed25519Signature', verificationMethod: `${did}#${keyId}`, proofValue: Buffer.from(signature).toString('base64url') } };
}

const digest = z.string().regex(/^blake2b-256:[0-9a-f]{64}$/);
const model = z.strictObject({ k: z.number().int().min(2), l: z.number().int().min(2).optional(), maxSuppression: z.number().min(0).max(1) });
const reportSchema = z.looseObject({
  type: z.literal('AnonymisationReport'),
  model,
  achieved: z.looseObject({ k: z.number().int().min(0), l: z.number().int().min(0).optional() }),
  rows: z.looseObject({ in: z.number().int().min(0), out: z.number().int().min(0), suppressed: z.number().int().min(0) }),
  columns: z.looseObject({ removed: z.array(z.string()), pseudonymised: z.array(z.string()) }),
  output: z.looseObject({ sha256: z.string().regex(/^sha256:[0-9a-f]{64}$/), bytes: z.number().int().min(0) }),
});

/** The schema of `ReportBinding` and `ReportProof`, spread into each signed report's schema. */
export const signedReportShape = {
  version: z.literal(1),
  issuer: z.string().min(1).max(2048),
  agreementId: z.string().min(1).max(1024),
  datasetId: z.string().min(1).max(2048),
  sourceContainerDigest: digest,
  containerDigest: digest,
  issuedAt: z.iso.datetime(),
  proof: z.strictObject({ type: z.literal('Ed25519Signature'), verificationMethod: z.string().min(1).max(2048), proofValue: z.string().regex(/^[A-Za-z0-9_-]{86}$/) }),
};

export const signedAnonymisationReportSchema = z.strictObject({
  type: z.literal('SignedAnonymisationReport'),
  ...signedReportShape,
  models: z.strictObject({
    declared: model,
    requested: z.strictObject({ k: z.number().int().optional(), l: z.number().int().optional(), maxSuppression: z.number().optional() }),
    applied: model,
  }),
  reportDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  report: reportSchema,
});

const invalid = (detail: string) => fail('SOV_ANON_REPORT_INVALID', detail);

export interface ReportVerification {
  /** The issuer's Ed25519 key for a DID URL (from its DID document, under assertionMethod). */
  signingKey(didUrl: string): Promise<Result<Uint8Array>>;
  /** When given, the report must be issued by this DID (the provider of the transfer). */
  expectedIssuer?: string;
}

/**
 * The proof every signed report of this flow carries: issued by the expected provider, signed
 * with one of the issuer's own keys, the signature over `signedBytes` valid under that key.
 */
export async function checkIssuerProof(
  signed: { issuer: string; proof: { verificationMethod: string; proofValue: string } },
  signedBytes: Uint8Array,
  opts: ReportVerification,
  what: string,
): Promise<Result<void>> {
  if (opts.expectedIssuer !== undefined && signed.issuer !== opts.expectedIssuer) return invalid(`the report is issued by ${signed.issuer}, expected ${opts.expectedIssuer}`);
  if (!signed.proof.verificationMethod.startsWith(`${signed.issuer}#`)) return invalid(`the report is signed with ${signed.proof.verificationMethod}, not a key of its issuer ${signed.issuer}`);
  const key = await opts.signingKey(signed.proof.verificationMethod);
  if (!key.ok) return key;
  if (!verifySignature(signedBytes, Buffer.from(signed.proof.proofValue, 'base64url'), key.value)) return invalid(`${what} signature does not verify`);
  return ok(undefined);
}

/** The agreement and container a report names must be the ones received. */
export function checkAgreementAndContainer(signed: { agreementId: string; containerDigest: string }, received: { agreementId?: string; containerDigest?: string }): Result<void> {
  if (received.agreementId !== undefined && signed.agreementId !== received.agreementId) return invalid(`the report is for agreement ${signed.agreementId}, not ${received.agreementId}`);
  if (received.containerDigest !== undefined && signed.containerDigest !== received.containerDigest) return invalid(`the report describes container ${signed.containerDigest}, not the received ${received.containerDigest}`);
  return ok(undefined);
}

/** Validates the shape, the binding of key to issuer, the signature and the report digest. */
export async function verifyAnonymisationReport(input: unknown, opts: ReportVerification): Promise<Result<SignedAnonymisationReport>> {
  const parsed = signedAnonymisationReportSchema.safeParse(input);
  if (!parsed.success) return invalid(`the anonymisation report is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const signed = input as SignedAnonymisationReport;
  const { proof: _proof, ...unsigned } = signed;
  const proven = await checkIssuerProof(signed, signingInput(unsigned), opts, 'the report');
  if (!proven.ok) return proven;
  if (canonicalDigest(signed.report) !== signed.reportDigest) return invalid('the report digest does not match the report');
  return ok(signed);
}

/** Checks a verified report describes what was actually received. */
export function checkReportBinding(
  signed: SignedAnonymisationReport,
  received: { agreementId?: string; containerDigest?: string; /** SHA-256 of the decrypted bytes, lowercase hex. */ plaintextSha256?: string },
): Result<void> {
  const bound = checkAgreementAndContainer(signed, received);
  if (!bound.ok) return bound;
  if (received.plaintextSha256 !== undefined && signed.report.output.sha256 !== `sha256:${received.plaintextSha256}`) return invalid('the report describes other output bytes than the ones decrypted');
  return ok(undefined);
}
