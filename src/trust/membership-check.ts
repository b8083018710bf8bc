/**
 * Judging a membership presentation (identity.md §7.3, DCP §5.5): the holder must be the
 * caller; a `FederationMembershipCredential` in it must come from a registrar on our trust
 * list, signed with a pinned key; the VP must verify for our challenge and our DID as domain,
 * with the holder as `credentialSubject.id`, within validity and not revoked. Identity's
 * coded reasons are translated into the trust codes a refused caller sees.
 */
import { z } from 'zod';
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import type { ConnectorIdentity } from '../identity/index.js';
import { isMembershipCredential, readMembership, type VerifiedClaims } from './membership.js';
import type { TrustList } from './trust-list.js';

const proofSchema = z.looseObject({ verificationMethod: z.string() });
const credentialSchema = z.looseObject({
  issuer: z.union([z.string(), z.looseObject({ id: z.string() })]),
  type: z.union([z.string(), z.array(z.string())]),
  proof: z.union([proofSchema, z.array(proofSchema)]),
});
const presentationSchema = z.looseObject({ holder: z.string(), verifiableCredential: z.union([z.array(z.unknown()), z.unknown()]).optional() });

export interface MembershipCheckOptions {
  selfDid: string;
  identity: Pick<ConnectorIdentity, 'verifyPresentation'>;
  trustList: TrustList;
}

/** The first membership credential whose issuer we trust, or the reason none is acceptable. */
async function trustedMembership(credentials: unknown[], trustList: TrustList, holder: string): Promise<Result<unknown>> {
  let refusal: Failure | undefined;
  for (const raw of credentials) {
    const parsed = credentialSchema.safeParse(raw);
    if (!parsed.success || !isMembershipCredential(parsed.data)) continue;
    const trusted = await trustList.checkIssuer(parsed.data);
    if (trusted.ok) return ok(raw);
    refusal ??= trusted;
  }
  return refusal ?? fail('SOV_TRUST_NOT_A_MEMBER', `${holder} presented no FederationMembershipCredential`, { did: holder });
}

function translate(errors: Failure[], caller: string): Failure {
  const has = (code: Failure['code']): Failure | undefined => errors.find((e) => e.code === code);
  const revoked = has('SOV_IDENTITY_CREDENTIAL_REVOKED');
  if (revoked) return fail('SOV_TRUST_MEMBERSHIP_REVOKED', `the membership of ${caller} is no longer valid: ${revoked.detail}`, { did: caller, ...revoked.data });
  const untrusted = has('SOV_IDENTITY_ISSUER_NOT_TRUSTED');
  if (untrusted) return fail('SOV_TRUST_ISSUER_NOT_TRUSTED', untrusted.detail, { did: caller, ...untrusted.data });
  const lapsed = has('SOV_IDENTITY_CREDENTIAL_EXPIRED') ?? has('SOV_IDENTITY_CREDENTIAL_NOT_YET_VALID');
  if (lapsed) return fail('SOV_TRUST_NOT_A_MEMBER', `the membership credential of ${caller} is not valid now: ${lapsed.detail}`, { did: caller });
  const unavailable = has('SOV_IDENTITY_STATUS_UNAVAILABLE');
  if (unavailable) return fail('SOV_TRUST_MEMBERSHIP_UNVERIFIABLE', `the revocation status of ${caller}'s membership cannot be confirmed: ${unavailable.detail}`, { did: caller });
  return fail('SOV_TRUST_PRESENTATION_INVALID', `the membership presentation of ${caller} does not verify: ${errors.map((e) => e.detail).join('; ')}`, {
    did: caller,
    reasons: errors.map((e) => e.code),
  });
}

/** Verifies `presentation` as `caller`'s proof of membership for `challenge`. */
export async function checkMembershipPresentation(
  presentation: unknown,
  caller: string,
  challenge: string,
  options: MembershipCheckOptions,
): Promise<Result<VerifiedClaims>> {
  const vp = presentationSchema.safeParse(presentation);
  if (!vp.success) return fail('SOV_TRUST_PRESENTATION_INVALID', `the membership presentation of ${caller} has no holder`, { did: caller });
  if (vp.data.holder !== caller) {
    return fail('SOV_TRUST_PRESENTATION_INVALID', `the presentation is held by ${vp.data.holder}, not by the caller ${caller}`, { did: caller });
  }
  const membership = await trustedMembership([vp.data.verifiableCredential ?? []].flat(), options.trustList, caller);
  if (!membership.ok) return membership;
  const verification = await options.identity.verifyPresentation(presentation, { challenge, domain: options.selfDid, holderMustBeSubject: true });
  if (!verification.verified) return translate(verification.errors, caller);
  const claims = readMembership(membership.value);
  if (claims.ok && claims.value.did !== caller) return fail('SOV_TRUST_NOT_A_MEMBER', `the membership credential names ${claims.value.did}, not ${caller}`);
  return claims;
}
