/**
 * The contract negotiation state machine as data (dsp.md §5, conventions §4). Each rule says
 * which role may send which message in which states, the state it leads to, and what the
 * receiving side then does (`effects`, run by the handlers in `provider.ts` / `consumer.ts`).
 *
 * Termination: the spec's diagram restricts who may terminate in some states, but its text
 * lets either party terminate "at any state" and the TCK relies on that (consumer in AGREED,
 * provider in ACCEPTED/VERIFIED), so every non-terminal state accepts it from either side.
 */
import type { TransitionRule, TransitionTable } from '../dsp/index.js';
import type { NegotiationState } from '../dsp/index.js';

export const NEGOTIATION_STATES = ['REQUESTED', 'OFFERED', 'ACCEPTED', 'AGREED', 'VERIFIED', 'FINALIZED', 'TERMINATED'] as const;

export const NEGOTIATION_MESSAGES = [
  'ContractRequestMessage',
  'ContractOfferMessage',
  'ContractAgreementMessage',
  'ContractAgreementVerificationMessage',
  'ContractNegotiationEventMessage:ACCEPTED',
  'ContractNegotiationEventMessage:FINALIZED',
  'ContractNegotiationTerminationMessage',
] as const;

export type NegotiationMessage = (typeof NEGOTIATION_MESSAGES)[number];

/**
 * What the receiver does after the state change:
 * - `storeOffer`: keep the offer just received as the current one.
 * - `decideOffer` (provider): evaluate the current offer for the caller, then agree, terminate
 *   with the policy reasons, or wait for an admin when the consumer proposed new terms.
 * - `checkAgreement` (consumer): check the agreement matches the current offer, verify the
 *   provider's proof, countersign and send the verification.
 * - `decideVerification` (provider): verify the consumer's proof, evaluate again, then
 *   finalize or terminate.
 * - `storeTermination`: keep who terminated, the code and the reasons.
 */
export type NegotiationEffect = 'storeOffer' | 'decideOffer' | 'checkAgreement' | 'decideVerification' | 'storeTermination';

type Rule = TransitionRule<NegotiationState, NegotiationMessage, NegotiationEffect>;

const NON_TERMINAL: readonly NegotiationState[] = ['REQUESTED', 'OFFERED', 'ACCEPTED', 'AGREED', 'VERIFIED'];

const rules: readonly Rule[] = [
  { from: 'initial', message: 'ContractRequestMessage', senders: ['consumer'], to: 'REQUESTED', effects: ['storeOffer', 'decideOffer'] },
  { from: 'initial', message: 'ContractOfferMessage', senders: ['provider'], to: 'OFFERED', effects: ['storeOffer'] },
  { from: ['REQUESTED'], message: 'ContractOfferMessage', senders: ['provider'], to: 'OFFERED', effects: ['storeOffer'] },
  { from: ['REQUESTED', 'ACCEPTED'], message: 'ContractAgreementMessage', senders: ['provider'], to: 'AGREED', effects: ['checkAgreement'] },
  { from: ['OFFERED'], message: 'ContractRequestMessage', senders: ['consumer'], to: 'REQUESTED', effects: ['storeOffer', 'decideOffer'] },
  { from: ['OFFERED'], message: 'ContractNegotiationEventMessage:ACCEPTED', senders: ['consumer'], to: 'ACCEPTED', effects: ['decideOffer'] },
  { from: ['AGREED'], message: 'ContractAgreementVerificationMessage', senders: ['consumer'], to: 'VERIFIED', effects: ['decideVerification'] },
  { from: ['VERIFIED'], message: 'ContractNegotiationEventMessage:FINALIZED', senders: ['provider'], to: 'FINALIZED' },
  { from: NON_TERMINAL, message: 'ContractNegotiationTerminationMessage', senders: ['consumer', 'provider'], to: 'TERMINATED', effects: ['storeTermination'] },
];

export const negotiationTable: TransitionTable<NegotiationState, NegotiationMessage, NegotiationEffect> = {
  protocol: 'contract negotiation',
  states: NEGOTIATION_STATES,
  terminal: ['FINALIZED', 'TERMINATED'],
  messages: NEGOTIATION_MESSAGES,
  illegalCode: 'SOV_NEG_ILLEGAL_TRANSITION',
  rules,
};
