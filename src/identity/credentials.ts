/**
 * Issue and verify VC Data Model 2.0 credentials with Data Integrity `eddsa-rdfc-2022`
 * through `@digitalbazaar/vc` (identity.md §1–2). Verification returns `{verified, errors}`
 * like the library does, but every error is a Failure with a stable code, and the clock's
 * `now` is passed to the library so validity is judged at the injected time.
 */
import * as vc from '@digitalbazaar/vc';
import type { Clock } from '../clock/index.js';
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import type { DocumentLoader } from './document-loader.js';
import { signingSuite, verifyingSuite, type ProofSigner } from './proof-suites.js';
import type { StatusChecker } from './status-list/status-checker.js';
import type { StatusListEntry } from './status-list/status-list-state.js';
import {
  checkProofController,
  checkValidityPeriod,
  classifyLibraryError,
  credentialSchema,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  distinctFailures,
  issuerId,
  malformed,
  proofsOf,
  typesOf,
  type ParsedCredential,
} from './verification-checks.js';

export type VerifiableCredential = ParsedCredential;

/** Allocates a status entry for a credential id (StatusListManager implements it). */
export interface StatusEntryAllocator {
  allocate(credentialId: string): Promise<Result<StatusListEntry>>;
}

export interface IssueCredentialOptions {
  /** An unsigned VC 2.0 credential; its `issuer` must be the signer's DID. */
  credential: Record<string, unknown>;
  signer: ProofSigner;
  documentLoader: DocumentLoader;
  clock: Clock;
  /** When given, a revocation entry is allocated and added as `credentialStatus`. */
  statusList?: StatusEntryAllocator;
}

export async function issueCredential(options: IssueCredentialOptions): Promise<Result<VerifiableCredential>> {
  const credential = structuredClone(options.credential);
  const issuer = typeof credential['issuer'] === 'object' ? (credential['issuer'] as { id?: unknown }).id : credential['issuer'];
  if (typeof issuer !== 'string' || !options.signer.id.startsWith(`${issuer}#`)) {
    return fail('SOV_IDENTITY_CREDENTIAL_MALFORMED', `issuer ${String(issuer)} does not control the signing key ${options.signer.id}`);
  }
  if (options.statusList !== undefined) {
    if (typeof credential['id'] !== 'string') {
      return fail('SOV_IDENTITY_CREDENTIAL_MALFORMED', 'a credential with a status entry needs an id');
    }
    const entry = await options.statusList.allocate(credential['id']);
    if (!entry.ok) return entry;
    credential['credentialStatus'] = entry.value;
  }
  try {
    const signed = await vc.issue({
      credential,
      suite: signingSuite(options.signer, options.clock),
      documentLoader: options.documentLoader,
      now: new Date(options.clock.now()),
    });
    const parsed = credentialSchema.safeParse(signed);
    return parsed.success ? ok(parsed.data) : malformed('issued credential', parsed.error);
  } catch (error) {
    return classifyLibraryError(error);
  }
}

/**
 * Decides whether an issuer may issue credentials of these types, signed with this key
 * (`verificationMethod`, a DID URL, so a trust list can pin keys: identity.md §7.1). src/trust
 * plugs its trust list in; called once per proof.
 */
export type IssuerTrustCheck = (issuer: string, credentialTypes: string[], verificationMethod?: string) => boolean | Promise<boolean>;

async function checkTrust(credential: ParsedCredential, check: IssuerTrustCheck | undefined): Promise<Failure | undefined> {
  if (check === undefined) return undefined;
  const issuer = issuerId(credential);
  const types = typesOf(credential);
  for (const proof of proofsOf(credential)) {
    if (!(await check(issuer, types, proof.verificationMethod))) {
      return fail('SOV_IDENTITY_ISSUER_NOT_TRUSTED', `issuer ${issuer} is not trusted for ${types.join(', ')} with key ${proof.verificationMethod}`, {
        issuer,
        verificationMethod: proof.verificationMethod,
      });
    }
  }
  return undefined;
}

export interface VerifierOptions {
  documentLoader: DocumentLoader;
  clock: Clock;
  /** Omit only where the caller checks issuer trust itself. */
  isTrustedIssuer?: IssuerTrustCheck;
  /** Required to accept credentials with `credentialStatus` (otherwise they fail closed). */
  statusChecker?: StatusChecker;
  maxClockSkewSeconds?: number;
}

export type CredentialVerification =
  | { verified: true; credential: VerifiableCredential; issuer: string; errors: [] }
  | { verified: false; errors: Failure[] };

/** Checks that need no cryptography: shape, validity period, proof key owner, trust list. */
export async function precheckCredential(
  credential: ParsedCredential,
  options: VerifierOptions,
): Promise<Array<Failure | undefined>> {
  const skew = options.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS;
  return [
    checkValidityPeriod(credential, options.clock.now(), skew),
    checkProofController(proofsOf(credential), issuerId(credential), 'issuer'),
    await checkTrust(credential, options.isTrustedIssuer),
  ];
}

/**
 * The `checkStatus` callback the library calls after the proof verified. Our checker fails
 * closed and reports its Failure; the library's own `checkStatus` is not used because it
 * verifies the list credential against the wall clock rather than the injected one.
 */
export function statusCallback(options: VerifierOptions): vc.CheckStatus {
  return async ({ credential }) => {
    if (options.statusChecker === undefined) {
      const failure = fail('SOV_IDENTITY_STATUS_UNAVAILABLE', 'the credential has a status entry but no status checker is configured');
      return { verified: false, failure };
    }
    const parsed = credentialSchema.parse(credential);
    const result = await options.statusChecker.check(parsed, (list) => verifyCredential(list, { ...options, isTrustedIssuer: undefined }));
    return result.ok ? { verified: true } : { verified: false, failure: result };
  };
}

/** Failures reported inside a library verification result (proof results and status result). */
export function libraryFailures(result: vc.VerifyResult): Failure[] {
  if (result.verified) return [];
  const statusFailure = result.statusResult?.['failure'] as Failure | undefined;
  if (statusFailure !== undefined) return [statusFailure];
  const errors = [result.error, ...(result.results ?? []).map((r) => r.error)].filter((e) => e !== undefined);
  return errors.length === 0 ? [fail('SOV_IDENTITY_PROOF_INVALID', 'the proof did not verify')] : errors.map(classifyLibraryError);
}

export async function verifyCredential(credential: unknown, options: VerifierOptions): Promise<CredentialVerification> {
  const parsed = credentialSchema.safeParse(credential);
  if (!parsed.success) return { verified: false, errors: [malformed('credential', parsed.error)] };
  const prechecks = await precheckCredential(parsed.data, options);
  const result = await vc.verifyCredential({
    credential: parsed.data,
    suite: verifyingSuite(),
    documentLoader: options.documentLoader,
    checkStatus: statusCallback(options),
    now: new Date(options.clock.now()),
    maxClockSkew: options.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  });
  const errors = distinctFailures([...prechecks, ...libraryFailures(result)]);
  if (errors.length > 0) return { verified: false, errors };
  return { verified: true, credential: parsed.data, issuer: issuerId(parsed.data), errors: [] };
}
