/**
 * Why a provider hides an offer from a consumer. The provider's catalogue shows a requester
 * only the offers it could ever satisfy (design.md step 2), so the consumer's own connector
 * can only say "not in the provider's catalogue for us"; the reason is the provider's policy
 * decision, which this reproduces with the provider's decider (src/negotiation-adapters), its
 * jurisdiction profile and the offering as the provider publishes it, for the claims the
 * consumer's membership credential carries (the shape `membershipParty` reads).
 */
import { ok, type Result } from '../../errors/index.js';
import type { PolicyDecision } from '../../negotiation/index.js';
import { createPolicyDecider } from '../../negotiation-adapters/index.js';
import { dspOfferOf, type Offering } from '../../offerings/index.js';
import { createPolicyEngine, loadJurisdictionProfiles, loadPolicyVocabulary } from '../../policy/index.js';
import { DEMO_ROLES } from '../membership.js';

export interface ConsumerClaims {
  did: string;
  /** The jurisdiction of its membership credential, e.g. `EU`. */
  jurisdiction: string;
  /** The registrar that accredited it. */
  registrar: string;
}

export async function providerDecision(provider: string, offering: Offering, consumer: ConsumerClaims, now: Date): Promise<Result<PolicyDecision>> {
  const vocabulary = loadPolicyVocabulary();
  if (!vocabulary.ok) return vocabulary;
  const profiles = loadJurisdictionProfiles();
  if (!profiles.ok) return profiles;
  const decider = createPolicyDecider({
    engine: createPolicyEngine({ vocabulary: vocabulary.value }),
    profiles: profiles.value,
    provider,
    datasetFacts: async (target) => (target === offering.id ? offering : undefined),
  });
  const caller = { did: consumer.did, claims: { jurisdiction: consumer.jurisdiction, roles: DEMO_ROLES, registrar: consumer.registrar } };
  return ok(await decider.decide(dspOfferOf(offering), caller, { stage: 'catalog', target: offering.id, now: now.toISOString() }));
}
