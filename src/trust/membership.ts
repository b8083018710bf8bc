/**
 * The `FederationMembershipCredential` a national registrar issues (identity.md §7.1): the
 * member's connector DID as subject, its legal name, registration number, jurisdiction, ISO
 * 3166-2 subdivision, roles and maximum classification, in the `sov:` vocabulary
 * (vocab/sov-v1.jsonld), valid for about a year. `readMembership` turns a verified credential
 * back into the claims later policy checks rely on, refusing any shape it does not expect.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';
import { SOV_CONTEXT_V1, VC_V2_CONTEXT } from '../identity/index.js';

export const MEMBERSHIP_CREDENTIAL_TYPE = 'FederationMembershipCredential';
/** The DCP scope a verifier asks for (DCP §5.4.1: `org.eclipse.dspace.dcp.vc.type:<Type>`). */
export const MEMBERSHIP_SCOPE = `org.eclipse.dspace.dcp.vc.type:${MEMBERSHIP_CREDENTIAL_TYPE}`;
/** Membership lasts about a year (identity.md §7.1); a registrar re-accredits after that. */
export const DEFAULT_MEMBERSHIP_VALIDITY_MS = 365 * 86_400_000;

export const memberRoles = ['provider', 'consumer', 'researcher'] as const;
export type MemberRole = (typeof memberRoles)[number];

const SUBDIVISION = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

/** What a registrar attests about a member; also what a verifier gets back. */
export const membershipClaimsSchema = z.strictObject({
  legalName: z.string().trim().min(1).max(500),
  registrationNumber: z.string().trim().min(1).max(200),
  jurisdiction: z.string().regex(/^[A-Z]{2,8}$/, 'expected 2 to 8 uppercase letters such as "UK"'),
  countrySubdivisionCode: z.string().regex(SUBDIVISION, 'expected an ISO 3166-2 code such as "GB-ENG"'),
  roles: z.array(z.enum(memberRoles)).min(1).refine((r) => new Set(r).size === r.length, 'roles must not repeat'),
  maxClassification: z.string().trim().min(1).max(100).optional(),
});

export type MembershipClaims = z.infer<typeof membershipClaimsSchema>;

export interface AccreditationInput extends MembershipClaims {
  /** The member connector's DID (credentialSubject.id). */
  subject: string;
}

/** The claims a verifier hands to policy checks, once membership is proven. */
export interface VerifiedClaims extends MembershipClaims {
  /** The caller's DID: token iss = VP holder = credentialSubject.id. */
  did: string;
  /** The registrar that accredited it. */
  registrar: string;
  membershipCredentialId: string;
  /** ISO 8601, from the credential. */
  validUntil: string;
}

export function buildMembershipCredential(options: {
  id: string;
  registrarDid: string;
  input: AccreditationInput;
  nowMs: number;
  validityMs?: number;
}): Record<string, unknown> {
  const { subject, ...claims } = options.input;
  return {
    '@context': [VC_V2_CONTEXT, SOV_CONTEXT_V1],
    id: options.id,
    type: ['VerifiableCredential', MEMBERSHIP_CREDENTIAL_TYPE],
    issuer: options.registrarDid,
    validFrom: new Date(options.nowMs).toISOString(),
    validUntil: new Date(options.nowMs + (options.validityMs ?? DEFAULT_MEMBERSHIP_VALIDITY_MS)).toISOString(),
    credentialSubject: { id: subject, type: 'FederationMember', memberOf: options.registrarDid, ...claims },
  };
}

const membershipCredentialSchema = z.looseObject({
  id: z.string().min(1),
  type: z.array(z.string()).refine((t) => t.includes(MEMBERSHIP_CREDENTIAL_TYPE)),
  issuer: z.union([z.string(), z.looseObject({ id: z.string() })]),
  validUntil: z.string(),
  credentialSubject: z.looseObject({ id: z.string().min(1) }),
});

export function isMembershipCredential(credential: { type: string | string[] }): boolean {
  return [credential.type].flat().includes(MEMBERSHIP_CREDENTIAL_TYPE);
}

/** The claims of an already verified membership credential, or why it does not carry them. */
export function readMembership(credential: unknown): Result<VerifiedClaims> {
  const parsed = membershipCredentialSchema.safeParse(credential);
  if (!parsed.success) {
    return fail('SOV_TRUST_NOT_A_MEMBER', 'the membership credential needs an id, a validUntil and a single subject with an id');
  }
  const { id: did, type: _type, memberOf: _memberOf, ...rest } = parsed.data.credentialSubject;
  const claims = membershipClaimsSchema.safeParse(rest);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    return fail('SOV_TRUST_NOT_A_MEMBER', `the membership credential subject is malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const issuer = parsed.data.issuer;
  return ok({
    did,
    registrar: typeof issuer === 'string' ? issuer : issuer.id,
    membershipCredentialId: parsed.data.id,
    validUntil: parsed.data.validUntil,
    ...claims.data,
  });
}
