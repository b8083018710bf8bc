/**
 * The requesting party the policy engine sees, from the claims the HTTP edge verified
 * (src/trust `VerifiedClaims` of a FederationMembershipCredential, identity.md §7.1). A caller
 * whose membership was verified against this connector's trust list of registrars is, by that
 * fact, a coalition member (design.md "Trust model": a coalition is the registrars the lists
 * name). Claims of any other shape give a party with only its DID: every constraint on it
 * then fails closed.
 */
import type { VerifiedCaller } from '../dsp/index.js';
import type { PartyClaims } from '../policy/index.js';

export const COALITION = 'sov:party/coalition';

export function membershipParty(caller: VerifiedCaller): PartyClaims {
  const { jurisdiction, roles, registrar, industry } = caller.claims;
  const party: PartyClaims = { id: caller.did };
  // Partner ids are the lower-case jurisdiction codes (`UK` → `uk`, connectors/<partner>/).
  if (typeof jurisdiction === 'string') party.nation = jurisdiction.toLowerCase();
  if (Array.isArray(roles)) party.roles = roles.filter((role): role is string => typeof role === 'string').map((role) => `sov:role/${role}`);
  if (typeof registrar === 'string') party.memberships = [COALITION];
  if (typeof industry === 'string') party.industry = industry;
  return party;
}
