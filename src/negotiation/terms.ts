/**
 * The terms under negotiation: comparing rule sets exactly, resolving the offer a consumer
 * names against what this provider offered, and building the agreement from the current
 * offer (assigner, assignee, target, timestamp and the exact rules, dsp.md §3).
 */
import { isoTime } from '../clock/index.js';
import { SOV_PURPOSE, stableJson, type MessageOffer, type OdrlAgreement, type OdrlRules } from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { ContractNegotiation } from './entity.js';
import type { NegotiationDeps } from './ports.js';

export type TargetedOffer = MessageOffer & { target: string };

/** Only the rule-bearing part of a policy, for exact comparison and copying. */
export function rulesOf(policy: OdrlRules): OdrlRules {
  const { profile, permission, prohibition, obligation } = policy;
  return JSON.parse(JSON.stringify({ profile, permission, prohibition, obligation })) as OdrlRules;
}

export function sameRules(a: OdrlRules, b: OdrlRules): boolean {
  return stableJson(rulesOf(a)) === stableJson(rulesOf(b));
}

function hasRules(offer: MessageOffer): boolean {
  return offer.permission !== undefined || offer.prohibition !== undefined;
}

/**
 * The offer a consumer's request names: it must be one we made (the current one of this
 * negotiation, or a catalogue offer) and target the same dataset. Rules that differ from ours
 * are a counter-proposal: kept, flagged `proposed`, for an admin to decide.
 */
export async function resolveRequestedOffer(
  deps: NegotiationDeps,
  current: TargetedOffer | undefined,
  requested: MessageOffer,
): Promise<Result<{ offer: TargetedOffer; proposed: boolean }>> {
  const id = requested['@id'];
  const known = current?.['@id'] === id ? { offer: current, target: current.target } : await deps.offers.findOffer(id);
  if (!known) return fail('SOV_NEG_UNKNOWN_OFFER', `Offer ${id} is not an offer of this provider`, { offerId: id });
  if (requested.target !== undefined && requested.target !== known.target) {
    return fail('SOV_NEG_OFFER_MISMATCH', `Offer ${id} is for ${known.target}, not ${requested.target}`, {
      offerId: id,
      expectedTarget: known.target,
      target: requested.target,
    });
  }
  const proposed = hasRules(requested) && !sameRules(requested, known.offer);
  const rules = rulesOf(proposed ? requested : known.offer);
  return ok({ offer: { ...rules, '@id': id, '@type': 'Offer', target: known.target }, proposed });
}

/**
 * The agreement the provider issues for the negotiation's current offer. The purpose the
 * consumer stated goes in as our `SOV_PURPOSE` extension, so both signatures cover it and
 * every later decision under the agreement (transfer, key release) is made for that purpose.
 */
export function buildAgreement(deps: NegotiationDeps, record: ContractNegotiation): OdrlAgreement {
  return {
    ...rulesOf(record.offer),
    '@id': deps.ids.urn(),
    '@type': 'Agreement',
    target: record.offer.target,
    assigner: deps.self.did,
    assignee: record.counterpartyDid,
    timestamp: isoTime(deps.clock),
    ...(record.purpose === undefined ? {} : { [SOV_PURPOSE]: record.purpose }),
  };
}

/** Why an agreement received by the consumer is not the one negotiated, if it is not. */
export function agreementMismatch(deps: NegotiationDeps, record: ContractNegotiation, agreement: OdrlAgreement): string | undefined {
  if (agreement.target !== record.offer.target) return `target ${agreement.target} is not ${record.offer.target}`;
  if (agreement.assignee !== deps.self.did) return `assignee ${agreement.assignee} is not ${deps.self.did}`;
  if (agreement.assigner !== record.counterpartyDid) return `assigner ${agreement.assigner} is not ${record.counterpartyDid}`;
  if (!sameRules(agreement, record.offer)) return 'its rules differ from the offer under negotiation';
  if (agreement[SOV_PURPOSE] !== record.purpose) return `its purpose ${String(agreement[SOV_PURPOSE] ?? '(none)')} is not the one we stated (${record.purpose ?? 'none'})`;
  return undefined;
}
