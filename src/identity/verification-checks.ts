/**
 * The checks we run ourselves around `@digitalbazaar/vc`, so that every refusal carries a
 * stable code: VC Data Model 2.0 shape (§4.1 contexts, §4.4 types, §4.7 issuer), validity
 * period (§4.9, with the library's default 300 s skew), the proof key belonging to the issuer,
 * and the translation of the library's error messages into our codes.
 */
import { z } from 'zod';
import { fail, type Failure } from '../errors/index.js';
import { errorChain, loaderFailure } from './loader-errors.js';
import { VC_V2_CONTEXT } from './standard-contexts.js';

export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300;

const proofSchema = z.looseObject({
  type: z.string(),
  verificationMethod: z.string().min(1),
  proofPurpose: z.string(),
  challenge: z.string().optional(),
  domain: z.union([z.string(), z.array(z.string())]).optional(),
});

const contextSchema = z.array(z.unknown()).refine((c) => c[0] === VC_V2_CONTEXT, {
  message: `@context must be an array starting with ${VC_V2_CONTEXT} (VC Data Model 2.0 only)`,
});

const typeSchema = z.union([z.string(), z.array(z.string())]);

export const credentialSchema = z.looseObject({
  '@context': contextSchema,
  id: z.string().optional(),
  type: typeSchema.refine((t) => [t].flat().includes('VerifiableCredential'), 'type must include VerifiableCredential'),
  issuer: z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })]),
  credentialSubject: z.union([z.looseObject({ id: z.string().optional() }), z.array(z.looseObject({ id: z.string().optional() }))]),
  validFrom: z.iso.datetime({ offset: true }).optional(),
  validUntil: z.iso.datetime({ offset: true }).optional(),
  proof: z.union([proofSchema, z.array(proofSchema).min(1)]),
});

export const presentationSchema = z.looseObject({
  '@context': contextSchema,
  type: typeSchema.refine((t) => [t].flat().includes('VerifiablePresentation'), 'type must include VerifiablePresentation'),
  holder: z.string().min(1),
  verifiableCredential: z.union([z.unknown(), z.array(z.unknown())]).optional(),
  proof: z.union([proofSchema, z.array(proofSchema).min(1)]),
});

export type ParsedCredential = z.infer<typeof credentialSchema>;
export type ParsedPresentation = z.infer<typeof presentationSchema>;
export type Proof = z.infer<typeof proofSchema>;

export function issuerId(credential: ParsedCredential): string {
  return typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
}

export function proofsOf(document: { proof: Proof | Proof[] }): Proof[] {
  return [document.proof].flat();
}

export function subjectIds(credential: ParsedCredential): Array<string | undefined> {
  return [credential.credentialSubject].flat().map((s) => s.id);
}

export function typesOf(document: { type: string | string[] }): string[] {
  return [document.type].flat();
}

export function malformed(what: string, error: z.ZodError): Failure {
  const issue = error.issues[0];
  const path = issue?.path.join('.') || '(root)';
  return fail('SOV_IDENTITY_CREDENTIAL_MALFORMED', `${what} is malformed at ${path}: ${issue?.message ?? 'invalid'}`, { path });
}

/** VC DM 2.0 §4.9: now must lie within [validFrom, validUntil], each widened by the skew. */
export function checkValidityPeriod(credential: ParsedCredential, nowMs: number, skewSeconds: number): Failure | undefined {
  const skew = skewSeconds * 1000;
  const label = credential.id ?? 'credential';
  if (credential.validUntil !== undefined && nowMs - skew > Date.parse(credential.validUntil)) {
    return fail('SOV_IDENTITY_CREDENTIAL_EXPIRED', `${label} expired at ${credential.validUntil}`, { validUntil: credential.validUntil });
  }
  if (credential.validFrom !== undefined && nowMs + skew < Date.parse(credential.validFrom)) {
    return fail('SOV_IDENTITY_CREDENTIAL_NOT_YET_VALID', `${label} is not valid before ${credential.validFrom}`, { validFrom: credential.validFrom });
  }
  return undefined;
}

/** The proof key must be one of `controller`'s own keys (a DID URL under that DID). */
export function checkProofController(proofs: Proof[], controller: string, role: 'issuer' | 'holder'): Failure | undefined {
  const foreign = proofs.find((p) => !p.verificationMethod.startsWith(`${controller}#`));
  return foreign === undefined
    ? undefined
    : fail('SOV_IDENTITY_KEY_NOT_AUTHORIZED', `proof key ${foreign.verificationMethod} is not a key of the ${role} ${controller}`, {
        verificationMethod: foreign.verificationMethod,
      });
}

const MESSAGE_CODES: Array<[RegExp, Failure['code'], string]> = [
  [/Invalid signature/, 'SOV_IDENTITY_PROOF_INVALID', 'the signature does not match the document: it was changed after signing or signed with another key'],
  [/not authorized by controller|must match the verification method controller/, 'SOV_IDENTITY_KEY_NOT_AUTHORIZED', 'the signing key is not authorised by the controller'],
  [/after "validUntil"|after "expirationDate"/, 'SOV_IDENTITY_CREDENTIAL_EXPIRED', 'the credential has expired'],
  [/before "validFrom"|before "issuanceDate"/, 'SOV_IDENTITY_CREDENTIAL_NOT_YET_VALID', 'the credential is not yet valid'],
  [/challenge is not as expected/, 'SOV_IDENTITY_CHALLENGE_MISMATCH', 'the presentation was signed for another challenge'],
  [/domain is not as expected/, 'SOV_IDENTITY_DOMAIN_MISMATCH', 'the presentation was signed for another domain'],
  [/No matching proofs found/, 'SOV_IDENTITY_PROOF_INVALID', 'no proof with the expected purpose and suite'],
];

/** Translates an error thrown or reported by jsonld / jsonld-signatures / vc into a Failure. */
export function classifyLibraryError(error: unknown): Failure {
  const fromLoader = loaderFailure(error);
  if (fromLoader !== undefined) return fromLoader;
  const messages = errorChain(error).map((e) => (e instanceof Error ? e.message : String(e)));
  for (const [pattern, code, explanation] of MESSAGE_CODES) {
    const message = messages.find((m) => pattern.test(m));
    if (message !== undefined) return fail(code, `${explanation} (${message})`);
  }
  return fail('SOV_IDENTITY_CREDENTIAL_MALFORMED', messages.join('; ') || 'verification failed without a reason');
}

/** Failures with their duplicates (same code) removed, first occurrence kept. */
export function distinctFailures(failures: Array<Failure | undefined>): Failure[] {
  const seen = new Set<string>();
  return failures.filter((f): f is Failure => {
    if (f === undefined || seen.has(f.code)) return false;
    seen.add(f.code);
    return true;
  });
}
