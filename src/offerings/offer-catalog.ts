/**
 * From offerings to DSP offers (dsp.md §3; odrl.md "ODRL in the Dataspace Protocol"): the
 * Offer a catalogue shows for an offering, and the `OfferCatalog` port the negotiation uses to
 * resolve the offer a consumer names. Only active offerings offer anything.
 */
import type { OdrlOffer, OdrlRule } from '../dsp/index.js';
import type { OfferCatalog } from '../negotiation/index.js';
import type { Offering } from './offering.js';
import type { OfferingRepository } from './ports.js';

const RULE_KINDS = ['permission', 'prohibition', 'obligation'] as const;

/**
 * The DSP Offer for an offering: its rules, `@id` = the offering's offer id, no `target` (the
 * Dataset is the target). The DSP layer compares and copies rules only, so policy-level
 * `assigner`/`assignee` are moved into every rule that has none (ODRL IM §2.7.1 "Policy Rule
 * Composition": the same meaning). The policy-level `conflict` strategy is not carried: the
 * evaluator then applies the IM default `invalid`, which is never more permissive.
 */
export function dspOfferOf(offering: Offering): OdrlOffer {
  const document = offering.policy.document;
  const parties: Record<string, unknown> = {};
  for (const party of ['assigner', 'assignee'] as const) if (document[party] !== undefined) parties[party] = document[party];
  const offer: OdrlOffer = { '@id': offering.offerId, '@type': 'Offer' };
  if (document['profile'] !== undefined) offer.profile = document['profile'] as OdrlOffer['profile'];
  for (const kind of RULE_KINDS) {
    const rules = document[kind];
    if (rules === undefined) continue;
    offer[kind] = [rules].flat().map((rule) => ({ ...parties, ...(rule as OdrlRule) }));
  }
  return offer;
}

/** The negotiation's `OfferCatalog`, backed by the offering repository. */
export function offeringOfferCatalog(repository: Pick<OfferingRepository, 'findByOfferId'>): OfferCatalog {
  return {
    async findOffer(offerId) {
      const offering = await repository.findByOfferId(offerId);
      if (offering === undefined || offering.status !== 'active') return undefined;
      return { offer: dspOfferOf(offering), target: offering.id };
    },
  };
}
