/**
 * Contract negotiation messages (dsp.md §3; upstream `negotiation/*.json`).
 *
 * On `callbackAddress` vs the counterparty pid: the digest reads "exactly one of", but the
 * spec's own examples send a counter-request with both `providerPid` and `callbackAddress`
 * (and the upstream request schema requires `callbackAddress` always). So on input we require
 * at least one of them; a request is "initial" when it carries no `providerPid`, an offer when
 * it carries no `consumerPid`. Our builders emit the upstream-valid combination.
 */
import { SOV_PURPOSE } from '../context.js';
import { ref, SCHEMA_IDS } from './ids.js';
import { purposeIri } from './policy.js';

const context = ref('common', 'Context');
const str = { type: 'string', minLength: 1 };
const both = { providerPid: str, consumerPid: str };
const codeReason = { code: ref('common', 'Code'), reason: ref('common', 'Reason') };
const errorPids = { providerPid: ref('common', 'ErrorPid'), consumerPid: ref('common', 'ErrorPid') };
const NEGOTIATION_STATES = ['REQUESTED', 'OFFERED', 'ACCEPTED', 'AGREED', 'VERIFIED', 'FINALIZED', 'TERMINATED'];

function message(type: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: 'object',
    properties: { '@context': context, '@type': { const: type }, ...properties },
    required: ['@context', '@type', ...required],
  };
}

/** An offer given by reference only (`@id`, no rules), as a consumer may send it. */
const offerReference = {
  type: 'object',
  properties: { '@id': str },
  required: ['@id'],
  not: { anyOf: [{ required: ['permission'] }, { required: ['prohibition'] }] },
};

export const negotiationSchema = {
  $id: SCHEMA_IDS.negotiation,
  $defs: {
    ContractRequestMessage: {
      ...message(
        'ContractRequestMessage',
        { ...both, callbackAddress: str, offer: { oneOf: [ref('policy', 'MessageOffer'), offerReference] }, [SOV_PURPOSE]: purposeIri },
        ['consumerPid', 'offer'],
      ),
      anyOf: [{ required: ['callbackAddress'] }, { required: ['providerPid'] }],
    },
    ContractOfferMessage: {
      ...message(
        'ContractOfferMessage',
        { ...both, callbackAddress: str, offer: { allOf: [ref('policy', 'MessageOffer')], required: ['@id', 'target'] } },
        ['providerPid', 'offer'],
      ),
      anyOf: [{ required: ['callbackAddress'] }, { required: ['consumerPid'] }],
    },
    ContractAgreementMessage: message(
      'ContractAgreementMessage',
      { ...both, agreement: ref('policy', 'Agreement') },
      ['providerPid', 'consumerPid', 'agreement'],
    ),
    ContractAgreementVerificationMessage: message('ContractAgreementVerificationMessage', both, ['providerPid', 'consumerPid']),
    ContractNegotiationEventMessage: message(
      'ContractNegotiationEventMessage',
      { ...both, eventType: { enum: ['ACCEPTED', 'FINALIZED'] } },
      ['providerPid', 'consumerPid', 'eventType'],
    ),
    ContractNegotiationTerminationMessage: message(
      'ContractNegotiationTerminationMessage',
      { ...both, ...codeReason },
      ['providerPid', 'consumerPid'],
    ),
    ContractNegotiation: message(
      'ContractNegotiation',
      { ...both, state: { enum: NEGOTIATION_STATES } },
      ['providerPid', 'consumerPid', 'state'],
    ),
    ContractNegotiationError: message('ContractNegotiationError', { ...errorPids, ...codeReason }, ['providerPid', 'consumerPid']),
  },
} as const;
