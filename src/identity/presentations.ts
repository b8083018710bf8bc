/**
 * Verifiable presentations (VC DM 2.0 §4.13, identity.md §1): the holder signs with
 * `proofPurpose: authentication`, a single-use `challenge` from the verifier and `domain` =
 * the verifier's DID, so a captured VP cannot be replayed elsewhere. The verifier checks both,
 * that the proof key is the holder's, each credential (issuer proof, validity, status, trust)
 * and, unless told otherwise, that the holder is the subject (or the issuer) of every credential
 * (DCP §5: `credentialSubject.id` = holder).
 */
import * as vc from '@digitalbazaar/vc';
import type { Clock } from '../clock/index.js';
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import { libraryFailures, precheckCredential, statusCallback, type VerifiableCredential, type VerifierOptions } from './credentials.js';
import type { DocumentLoader } from './document-loader.js';
import { signingSuite, verifyingSuite, type ProofSigner } from './proof-suites.js';
import {
  checkProofController,
  classifyLibraryError,
  credentialSchema,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  issuerId,
  malformed,
  presentationSchema,
  proofsOf,
  subjectIds,
  type ParsedPresentation,
} from './verification-checks.js';

export type VerifiablePresentation = ParsedPresentation;

export interface CreatePresentationOptions {
  credentials: unknown[];
  holder: string;
  id?: string;
  clock: Clock;
}

/** An unsigned VC 2.0 presentation; credentials are checked for shape and validity at `clock`. */
export function createPresentation(options: CreatePresentationOptions): Result<Record<string, unknown>> {
  try {
    const presentation = vc.createPresentation({
      verifiableCredential: options.credentials,
      holder: options.holder,
      version: 2.0,
      now: new Date(options.clock.now()),
      ...(options.id === undefined ? {} : { id: options.id }),
    });
    return ok(presentation);
  } catch (error) {
    return classifyLibraryError(error);
  }
}

export interface SignPresentationOptions {
  presentation: Record<string, unknown>;
  signer: ProofSigner;
  documentLoader: DocumentLoader;
  clock: Clock;
  challenge: string;
  domain: string;
}

export async function signPresentation(options: SignPresentationOptions): Promise<Result<VerifiablePresentation>> {
  try {
    const signed = await vc.signPresentation({
      presentation: structuredClone(options.presentation),
      suite: signingSuite(options.signer, options.clock),
      documentLoader: options.documentLoader,
      challenge: options.challenge,
      domain: options.domain,
    });
    const parsed = presentationSchema.safeParse(signed);
    return parsed.success ? ok(parsed.data) : malformed('signed presentation', parsed.error);
  } catch (error) {
    return classifyLibraryError(error);
  }
}

export interface VerifyPresentationOptions extends VerifierOptions {
  /** The nonce this verifier issued; the caller burns it after one use. */
  challenge: string;
  /** This verifier's DID. */
  domain: string;
  /** Default true: the holder must be `credentialSubject.id` of every credential. */
  holderMustBeSubject?: boolean;
}

export type PresentationVerification =
  | { verified: true; holder: string; credentials: VerifiableCredential[]; errors: [] }
  | { verified: false; errors: Failure[] };

function checkBinding(vp: ParsedPresentation, challenge: string, domain: string): Failure[] {
  const proofs = proofsOf(vp);
  const failures: Failure[] = [];
  if (proofs.some((p) => p.challenge !== challenge)) {
    failures.push(fail('SOV_IDENTITY_CHALLENGE_MISMATCH', `the presentation was signed for challenge "${proofs[0]?.challenge ?? ''}", not the one issued`));
  }
  if (proofs.some((p) => ![p.domain].flat().includes(domain))) {
    failures.push(fail('SOV_IDENTITY_DOMAIN_MISMATCH', `the presentation was signed for domain "${String(proofs[0]?.domain ?? '')}", not ${domain}`));
  }
  const controller = checkProofController(proofs, vp.holder, 'holder');
  return controller === undefined ? failures : [...failures, controller];
}

async function checkCredentials(
  vp: ParsedPresentation,
  options: VerifyPresentationOptions,
): Promise<Result<{ credentials: VerifiableCredential[]; failures: Failure[] }>> {
  const credentials: VerifiableCredential[] = [];
  const failures: Failure[] = [];
  for (const raw of [vp.verifiableCredential ?? []].flat()) {
    const parsed = credentialSchema.safeParse(raw);
    if (!parsed.success) return malformed('a credential in the presentation', parsed.error);
    const credential = parsed.data;
    const id = credential.id ?? '(no id)';
    // A credential the holder issued itself (a self-description) needs no subject binding.
    const bound =
      options.holderMustBeSubject === false || issuerId(credential) === vp.holder || subjectIds(credential).every((s) => s === vp.holder);
    const binding = bound ? undefined : fail('SOV_IDENTITY_HOLDER_MISMATCH', `holder ${vp.holder} is not the subject of credential ${id}`);
    for (const f of [...(await precheckCredential(credential, options)), binding]) {
      if (f !== undefined) failures.push({ ...f, data: { ...f.data, credentialId: id } });
    }
    credentials.push(credential);
  }
  return ok({ credentials, failures });
}

function distinct(failures: Failure[]): Failure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = `${f.code} ${String(f.data?.['credentialId'] ?? '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function verifyPresentation(presentation: unknown, options: VerifyPresentationOptions): Promise<PresentationVerification> {
  const parsed = presentationSchema.safeParse(presentation);
  if (!parsed.success) return { verified: false, errors: [malformed('presentation', parsed.error)] };
  const checked = await checkCredentials(parsed.data, options);
  if (!checked.ok) return { verified: false, errors: [checked] };
  const result = await vc.verify({
    presentation: parsed.data,
    challenge: options.challenge,
    domain: options.domain,
    suite: verifyingSuite(),
    documentLoader: options.documentLoader,
    checkStatus: statusCallback(options),
    now: new Date(options.clock.now()),
    maxClockSkew: options.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  });
  const perCredential = (result.credentialResults ?? []).flatMap((r) =>
    libraryFailures(r).map((f) => ({ ...f, data: { ...f.data, credentialId: r.credentialId ?? '(no id)' } })),
  );
  const presentationFailures = result.presentationResult === undefined ? libraryFailures(result) : libraryFailures(result.presentationResult);
  const errors = distinct([...checkBinding(parsed.data, options.challenge, options.domain), ...checked.value.failures, ...perCredential, ...presentationFailures]);
  if (errors.length > 0) return { verified: false, errors };
  return { verified: true, holder: parsed.data.holder, credentials: checked.value.credentials, errors: [] };
}
