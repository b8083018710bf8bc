/**
 * Contract negotiation endpoints, provider and consumer side (dsp.md §4 tables). One
 * connector is both: its DSP base is also the callbackAddress it gives providers, so the paths
 * `/:pid/events`, `/:pid/termination` and `GET /:pid` are dispatched by the role of the
 * process the pid names (our own pid, so the record says which side we are). 201 for a
 * message that creates a process; 400 + ContractNegotiationError for an invalid transition;
 * 404 for an unknown process or a caller who is not its counterparty.
 */
import type { Router } from 'express';
import type { Role } from '../../dsp/index.js';
import * as negotiation from '../../negotiation/index.js';
import type { NegotiationDeps } from '../../negotiation/index.js';
import { fail } from '../../errors/index.js';
import { processRoutes, type AuthenticateDspCaller, type ProcessHandler } from './pipeline.js';

export interface NegotiationRoutesOptions {
  deps: NegotiationDeps;
  authenticate: AuthenticateDspCaller;
}

type Handler = ProcessHandler<NegotiationDeps>;

/** The table's name for an inbound message (events are split by eventType). */
function kindOf(_type: string, body: Record<string, unknown>): string {
  return body['@type'] === 'ContractNegotiationEventMessage' ? `ContractNegotiationEventMessage:${String(body['eventType'])}` : String(body['@type']);
}

const TERMINATION_RULES = {
  termination: 'ContractNegotiationTerminationMessage',
  terminal: ['ContractNegotiationEventMessage:FINALIZED'],
  refused: (why: string) => fail('SOV_NEG_ILLEGAL_TRANSITION', `This negotiation is being terminated (${why || 'no reason given'}): our termination message is on its way`),
};

export function negotiationRoutes(options: NegotiationRoutesOptions): Router {
  const { router, post } = processRoutes({
    ...options,
    errorType: 'ContractNegotiationError',
    termination: TERMINATION_RULES,
    kindOf,
    ack: negotiation.negotiationAck,
    stateFor: negotiation.negotiationStateFor,
  });
  // Provider side.
  post('/request', 'ContractRequestMessage', () => negotiation.onContractRequest);
  post('/:pid/request', 'ContractRequestMessage', () => negotiation.onContractRequest);
  post('/:pid/agreement/verification', 'ContractAgreementVerificationMessage', () => negotiation.onAgreementVerification);
  // Consumer side (our callbackAddress), the initial offer included.
  post('/offers', 'ContractOfferMessage', () => negotiation.onContractOffer);
  post('/:pid/offers', 'ContractOfferMessage', () => negotiation.onContractOffer);
  post('/:pid/agreement', 'ContractAgreementMessage', () => negotiation.onContractAgreement);
  // Both sides: which one is decided by the process the pid names.
  const events = (role: Role): Handler => (role === 'provider' ? negotiation.onProviderEvent : negotiation.onConsumerEvent);
  const terminations = (role: Role): Handler => (role === 'provider' ? negotiation.onProviderTermination : negotiation.onConsumerTermination);
  post('/:pid/events', 'ContractNegotiationEventMessage', events);
  post('/:pid/termination', 'ContractNegotiationTerminationMessage', terminations);
  return router;
}
