/**
 * Where each outbound negotiation message goes (dsp.md §4 tables): consumer-bound messages
 * extend the consumer's callbackAddress, provider-bound ones the provider's DSP base.
 */
import { dspUrl } from '../dsp/index.js';
import type { ContractNegotiation } from './entity.js';
import type { NegotiationMessage } from './table.js';

const PROVIDER_BOUND: Partial<Record<NegotiationMessage, string>> = {
  ContractRequestMessage: 'request',
  'ContractNegotiationEventMessage:ACCEPTED': 'events',
  ContractAgreementVerificationMessage: 'agreement/verification',
  ContractNegotiationTerminationMessage: 'termination',
};

const CONSUMER_BOUND: Partial<Record<NegotiationMessage, string>> = {
  ContractOfferMessage: 'offers',
  ContractAgreementMessage: 'agreement',
  'ContractNegotiationEventMessage:FINALIZED': 'events',
  ContractNegotiationTerminationMessage: 'termination',
};

/** The URL for `message` sent by us (in `record.role`) to the counterparty. */
export function outboundUrl(record: ContractNegotiation, message: NegotiationMessage): string {
  const toProvider = record.role === 'consumer';
  const suffix = (toProvider ? PROVIDER_BOUND : CONSUMER_BOUND)[message];
  if (suffix === undefined) throw new Error(`a ${record.role} never sends ${message}`);
  const theirPid = toProvider ? record.providerPid : record.consumerPid;
  // Initial messages: POST /negotiations/request (provider) or /negotiations/offers (consumer).
  const path = theirPid === undefined ? `negotiations/${suffix}` : `negotiations/${encodeURIComponent(theirPid)}/${suffix}`;
  return dspUrl(record.counterpartyAddress, path);
}
