/**
 * The PartnerVerifier over the trust layer's membership verifier: a partner's catalogue is
 * believed only once its membership credential, from a registrar of our own trust list, is
 * verified (the same check a DSP caller passes); its legal name and nation come from that
 * credential, not from the unsigned member directory.
 */
import { ok, type Result } from '../../../errors/index.js';
import type { PartnerVerifier } from '../ports.js';

export interface MembershipClaimsSource {
  claimsFor(did: string): Promise<Result<{ legalName: string; jurisdiction: string }>>;
}

export function membershipPartnerVerifier(membership: MembershipClaimsSource): PartnerVerifier {
  return {
    async verify(did) {
      const claims = await membership.claimsFor(did);
      return claims.ok ? ok({ legalName: claims.value.legalName, jurisdiction: claims.value.jurisdiction }) : claims;
    },
  };
}
