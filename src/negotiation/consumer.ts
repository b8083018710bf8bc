/**
 * Consumer-side handlers for every message a provider sends (dsp.md §4 "Negotiation, consumer
 * side"; paths relative to our callbackAddress). Offers are kept for an admin to accept,
 * counter or terminate; an agreement is checked against the offer under negotiation, its
 * provider proof verified, countersigned, and the verification queued.
 */
import {
  contractAgreementVerificationMessage,
  type ContractAgreementMessage,
  type ContractNegotiationEventMessage,
  type ContractNegotiationTerminationMessage,
  type ContractOfferMessage,
  type VerifiedCaller,
} from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { checkProof, storeTermination } from './effects.js';
import { locateExisting } from './locate.js';
import type { NegotiationDeps } from './ports.js';
import { freshRecord, receive, type EffectContext, type EffectHandlers, type NegotiationOutcome } from './receive.js';
import { enqueue, pidsOf } from './records.js';
import type { NegotiationMessage } from './table.js';
import { agreementMismatch } from './terms.js';

async function storeProviderOffer(ctx: EffectContext): Promise<Result<void>> {
  const { offer } = ctx.body as unknown as ContractOfferMessage;
  if (offer.target !== ctx.record.offer.target) {
    return fail('SOV_NEG_OFFER_MISMATCH', `The offer targets ${offer.target}, the negotiation ${ctx.record.offer.target}`, {
      expectedTarget: ctx.record.offer.target,
      target: offer.target,
    });
  }
  ctx.record.offer = offer;
  ctx.record.offerBy = 'provider';
  return ok(undefined);
}

async function checkAgreement(ctx: EffectContext): Promise<Result<void>> {
  const { deps, record } = ctx;
  const { agreement } = ctx.body as unknown as ContractAgreementMessage;
  const mismatch = agreementMismatch(deps, record, agreement);
  if (mismatch) {
    return fail('SOV_NEG_AGREEMENT_INVALID', `Agreement ${agreement['@id']} is not what was negotiated: ${mismatch}`, {
      agreementId: agreement['@id'],
      mismatch,
    });
  }
  const proof = await checkProof(ctx, agreement, 'provider');
  if (!proof.ok) return proof;
  const ours = await deps.signer.sign(agreement);
  record.agreement = agreement;
  record.proofs = { ...record.proofs, consumer: ours };
  const verification = contractAgreementVerificationMessage({ ...pidsOf(record), proof: ours });
  enqueue(deps, record, ctx.outbox, 'ContractAgreementVerificationMessage', verification);
  return ok(undefined);
}

const consumerEffects: EffectHandlers = { storeOffer: storeProviderOffer, checkAgreement, storeTermination };

/** `POST /negotiations/offers` (initial, 201) and `POST /negotiations/:consumerPid/offers`. */
export async function onContractOffer(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  message: ContractOfferMessage,
  pathPid?: string,
): Promise<Result<NegotiationOutcome>> {
  const body = message as unknown as Record<string, unknown>;
  if (message.consumerPid !== undefined || pathPid !== undefined) return onExisting(deps, caller, body, 'ContractOfferMessage', pathPid);
  const existing = await deps.repository.findByCounterpartyPid(caller.did, message.providerPid);
  const id = deps.ids.urn();
  const record =
    existing ??
    freshRecord(deps, {
      id,
      role: 'consumer',
      consumerPid: id,
      providerPid: message.providerPid,
      counterpartyDid: caller.did,
      // The schema guarantees an initial offer carries a callbackAddress: the provider's base.
      counterpartyAddress: String(message.callbackAddress),
      offer: message.offer,
      offerBy: 'provider',
    });
  const inbound = { ourRole: 'consumer' as const, message: 'ContractOfferMessage' as const, body, record };
  return receive(deps, caller, { ...inbound, isNew: !existing, createsProcess: true }, consumerEffects);
}

/** `POST /negotiations/:consumerPid/agreement`. */
export function onContractAgreement(deps: NegotiationDeps, caller: VerifiedCaller, message: ContractAgreementMessage, pathPid?: string) {
  return onExisting(deps, caller, message as unknown as Record<string, unknown>, 'ContractAgreementMessage', pathPid);
}

/** `POST /negotiations/:consumerPid/events` (FINALIZED; ACCEPTED from a provider is illegal). */
export function onConsumerEvent(deps: NegotiationDeps, caller: VerifiedCaller, message: ContractNegotiationEventMessage, pathPid?: string) {
  const kind = `ContractNegotiationEventMessage:${message.eventType}` as const;
  return onExisting(deps, caller, message as unknown as Record<string, unknown>, kind, pathPid);
}

/** `POST /negotiations/:consumerPid/termination`. */
export function onConsumerTermination(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  message: ContractNegotiationTerminationMessage,
  pathPid?: string,
) {
  return onExisting(deps, caller, message as unknown as Record<string, unknown>, 'ContractNegotiationTerminationMessage', pathPid);
}

async function onExisting(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  body: Record<string, unknown>,
  kind: NegotiationMessage,
  pathPid?: string,
): Promise<Result<NegotiationOutcome>> {
  const record = await locateExisting(deps, caller, 'consumer', body, pathPid);
  if (!record.ok) return record;
  return receive(deps, caller, { ourRole: 'consumer', message: kind, body, record: record.value, isNew: false, createsProcess: false }, consumerEffects);
}
