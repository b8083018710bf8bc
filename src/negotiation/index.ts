/**
 * DSP 2025-1 contract negotiation, transport-free (dsp.md §4–5). The state machine is the
 * data in `negotiationTable`, run by the generic engine in src/dsp. Provider- and
 * consumer-side handlers take a validated message and the caller's verified claims and return
 * the ACK plus the messages queued in the outbox; local commands (management API, CLI) start,
 * counter, accept, agree and terminate; `confirmDelivery` / `abandonDelivery` are the outbox
 * worker's callbacks. Persistence, policy evaluation and signing are ports
 * (`NegotiationRepository`, `PolicyDecider`, `AgreementSigner`, `OfferCatalog`).
 */
export { negotiationTable, NEGOTIATION_STATES, NEGOTIATION_MESSAGES, type NegotiationMessage, type NegotiationEffect } from './table.js';
export type { ContractNegotiation, AgreementProof, DecisionRecord, PolicyReason, Termination } from './entity.js';
export type {
  NegotiationRepository,
  NegotiationChange,
  NegotiationDeps,
  PolicyDecider,
  PolicyDecision,
  PolicyContext,
  AgreementSigner,
  OfferCatalog,
} from './ports.js';
export type { NegotiationOutcome } from './receive.js';
export { onContractRequest, onProviderEvent, onAgreementVerification, onProviderTermination } from './provider.js';
export { onContractOffer, onContractAgreement, onConsumerEvent, onConsumerTermination } from './consumer.js';
export {
  requestContract,
  offerContract,
  counterRequest,
  counterOffer,
  acceptOffer,
  agreeToTerms,
  terminateNegotiation,
  confirmDelivery,
  abandonDelivery,
} from './commands.js';
export { negotiationStateFor } from './locate.js';
export { ackOf as negotiationAck } from './records.js';
export { sameRules, rulesOf, type TargetedOffer } from './terms.js';
