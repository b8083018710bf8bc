/**
 * Outbound contract negotiation messages and ACK / error bodies (dsp.md §3), consumer and
 * provider side. Each returns a body that validates against our schemas and the upstream ones.
 */
import { dspContext, SOV_AGREEMENT_PROOF, SOV_PURPOSE } from '../context.js';
import type {
  ContractAgreementMessage,
  ContractAgreementVerificationMessage,
  ContractNegotiationAck,
  ContractNegotiationError,
  ContractNegotiationEventMessage,
  ContractNegotiationTerminationMessage,
  ContractOfferMessage,
  ContractRequestMessage,
  MessageOffer,
  NegotiationState,
  OdrlAgreement,
} from '../types.js';
import { codeAndReason, type CodeAndReason } from './shared.js';

interface Pids {
  providerPid: string;
  consumerPid: string;
}

/**
 * C→P. Initial request: no `providerPid`. Counter-request: with `providerPid`; the callback is
 * sent in both cases because the upstream schema requires it and the spec examples carry it.
 * `purpose` (a purpose IRI) travels as our `SOV_PURPOSE` extension property.
 */
export function contractRequestMessage(input: {
  consumerPid: string;
  offer: MessageOffer;
  callbackAddress: string;
  providerPid?: string;
  purpose?: string;
}): ContractRequestMessage {
  return {
    '@context': dspContext(),
    '@type': 'ContractRequestMessage',
    ...(input.providerPid === undefined ? {} : { providerPid: input.providerPid }),
    consumerPid: input.consumerPid,
    offer: { '@type': 'Offer', ...input.offer },
    callbackAddress: input.callbackAddress,
    ...(input.purpose === undefined ? {} : { [SOV_PURPOSE]: input.purpose }),
  };
}

/** P→C. Initial offer carries `callbackAddress`; a counter-offer carries `consumerPid` instead. */
export function contractOfferMessage(
  input: { providerPid: string; offer: MessageOffer & { target: string } } & (
    | { callbackAddress: string; consumerPid?: undefined }
    | { consumerPid: string; callbackAddress?: undefined }
  ),
): ContractOfferMessage {
  return {
    '@context': dspContext(),
    '@type': 'ContractOfferMessage',
    providerPid: input.providerPid,
    ...(input.consumerPid === undefined ? { callbackAddress: input.callbackAddress } : { consumerPid: input.consumerPid }),
    offer: { '@type': 'Offer', ...input.offer },
  };
}

/** P→C. `proof` is the provider's signature over the agreement (our extension, ignorable). */
export function contractAgreementMessage(
  input: Pids & { agreement: OdrlAgreement; proof?: Record<string, unknown> },
): ContractAgreementMessage {
  return {
    '@context': dspContext(),
    '@type': 'ContractAgreementMessage',
    providerPid: input.providerPid,
    consumerPid: input.consumerPid,
    agreement: input.agreement,
    ...(input.proof === undefined ? {} : { [SOV_AGREEMENT_PROOF]: input.proof }),
  };
}

/** C→P. `proof` is the consumer's countersignature over the same agreement. */
export function contractAgreementVerificationMessage(
  input: Pids & { proof?: Record<string, unknown> },
): ContractAgreementVerificationMessage {
  return {
    '@context': dspContext(),
    '@type': 'ContractAgreementVerificationMessage',
    providerPid: input.providerPid,
    consumerPid: input.consumerPid,
    ...(input.proof === undefined ? {} : { [SOV_AGREEMENT_PROOF]: input.proof }),
  };
}

/** `ACCEPTED` only C→P, `FINALIZED` only P→C (dsp.md §3). */
export function contractNegotiationEventMessage(
  input: Pids & { eventType: 'ACCEPTED' | 'FINALIZED' },
): ContractNegotiationEventMessage {
  return { '@context': dspContext(), '@type': 'ContractNegotiationEventMessage', ...pids(input), eventType: input.eventType };
}

export function contractNegotiationTerminationMessage(input: Pids & CodeAndReason): ContractNegotiationTerminationMessage {
  return {
    '@context': dspContext(),
    '@type': 'ContractNegotiationTerminationMessage',
    ...pids(input),
    ...codeAndReason(input),
  };
}

/** The ACK body every negotiation endpoint answers with. */
export function contractNegotiationAck(input: Pids & { state: NegotiationState }): ContractNegotiationAck {
  return { '@context': dspContext(), '@type': 'ContractNegotiation', ...pids(input), state: input.state };
}

export function contractNegotiationError(input: Pids & CodeAndReason): ContractNegotiationError {
  return { '@context': dspContext(), '@type': 'ContractNegotiationError', ...pids(input), ...codeAndReason(input) };
}

function pids(input: Pids): Pids {
  return { providerPid: input.providerPid, consumerPid: input.consumerPid };
}
