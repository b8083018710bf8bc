import { describe, expect, it } from 'vitest';
import * as dsp from '../../src/dsp/index.js';
import type { DspMessageType } from '../../src/dsp/index.js';

const pids = { providerPid: 'urn:uuid:p-1', consumerPid: 'urn:uuid:c-1' };
const offer = { '@id': 'urn:uuid:offer-1', '@type': 'Offer' as const, target: 'urn:uuid:ds-1', permission: [{ action: 'use' }] };
const agreement = {
  '@id': 'urn:uuid:agr-1',
  '@type': 'Agreement' as const,
  target: 'urn:uuid:ds-1',
  assigner: 'did:web:uk.example',
  assignee: 'did:web:ca.example',
  timestamp: '2026-01-01T00:00:00.000Z',
  permission: [{ action: 'use' }],
};
const address = dsp.dataAddress({ endpointType: 'https://w3id.org/idsa/v4.1/HTTP', endpoint: 'https://x/in', properties: { authorization: 't', authType: 'bearer' } });

const built: Array<[string, DspMessageType, unknown]> = [
  ['initial contract request', 'ContractRequestMessage', dsp.contractRequestMessage({ consumerPid: 'urn:uuid:c-1', offer, callbackAddress: 'https://c/cb' })],
  ['counter contract request', 'ContractRequestMessage', dsp.contractRequestMessage({ ...pids, offer, callbackAddress: 'https://c/cb' })],
  ['initial contract offer', 'ContractOfferMessage', dsp.contractOfferMessage({ providerPid: 'urn:uuid:p-1', offer, callbackAddress: 'https://p/cb' })],
  ['counter contract offer', 'ContractOfferMessage', dsp.contractOfferMessage({ ...pids, offer })],
  ['agreement', 'ContractAgreementMessage', dsp.contractAgreementMessage({ ...pids, agreement, proof: { proofValue: 'z' } })],
  ['verification', 'ContractAgreementVerificationMessage', dsp.contractAgreementVerificationMessage({ ...pids, proof: { proofValue: 'z' } })],
  ['ACCEPTED event', 'ContractNegotiationEventMessage', dsp.contractNegotiationEventMessage({ ...pids, eventType: 'ACCEPTED' })],
  ['FINALIZED event', 'ContractNegotiationEventMessage', dsp.contractNegotiationEventMessage({ ...pids, eventType: 'FINALIZED' })],
  ['termination with reasons', 'ContractNegotiationTerminationMessage', dsp.contractNegotiationTerminationMessage({ ...pids, code: 'X', reason: [{ code: 'R' }] })],
  ['termination with empty reasons', 'ContractNegotiationTerminationMessage', dsp.contractNegotiationTerminationMessage({ ...pids, reason: [] })],
  ['negotiation ACK', 'ContractNegotiation', dsp.contractNegotiationAck({ ...pids, state: 'REQUESTED' })],
  ['negotiation error', 'ContractNegotiationError', dsp.contractNegotiationError({ ...pids, code: 'SOV_NEG_NOT_FOUND', reason: ['gone'] })],
  ['pull transfer request', 'TransferRequestMessage', dsp.transferRequestMessage({ consumerPid: 'urn:uuid:c-1', agreementId: 'urn:uuid:agr-1', format: 'HttpData-PULL', callbackAddress: 'https://c/cb' })],
  ['push transfer request', 'TransferRequestMessage', dsp.transferRequestMessage({ consumerPid: 'urn:uuid:c-1', agreementId: 'urn:uuid:agr-1', format: 'HttpData-PUSH', callbackAddress: 'https://c/cb', dataAddress: address })],
  ['start with address', 'TransferStartMessage', dsp.transferStartMessage({ ...pids, dataAddress: address })],
  ['start without address', 'TransferStartMessage', dsp.transferStartMessage(pids)],
  ['suspension', 'TransferSuspensionMessage', dsp.transferSuspensionMessage({ ...pids, code: 'PAUSE', reason: ['x'] })],
  ['completion', 'TransferCompletionMessage', dsp.transferCompletionMessage(pids)],
  ['transfer termination', 'TransferTerminationMessage', dsp.transferTerminationMessage({ ...pids, code: 'X' })],
  ['transfer ACK', 'TransferProcess', dsp.transferProcessAck({ ...pids, state: 'SUSPENDED' })],
  ['transfer error', 'TransferError', dsp.transferError({ ...pids, reason: ['x'] })],
  ['data address', 'DataAddress', address],
  ['data address without properties', 'DataAddress', dsp.dataAddress({ endpointType: 'urn:x', endpoint: 'https://x' })],
  ['catalog request', 'CatalogRequestMessage', dsp.catalogRequestMessage()],
  ['dataset request', 'DatasetRequestMessage', dsp.datasetRequestMessage('urn:uuid:ds-1')],
  ['catalog error', 'CatalogError', dsp.catalogError({ code: 'SOV_CATALOG_DATASET_NOT_FOUND', reason: ['no such dataset'] })],
  ['version document', 'VersionResponse', dsp.versionResponse({ path: '/dsp/2025-1', serviceId: 'svc', authProfiles: ['vc20-bssl/jwt'] })],
];

describe('DSP message builders', () => {
  it.each(built)('%s validates', (_name, type, body) => {
    const result = dsp.validateDspMessage(type, body);
    expect(result.ok ? 'ok' : result.detail).toBe('ok');
  });

  it('emits only the DSP 2025-1 context and a single-string @type', () => {
    const body = dsp.contractNegotiationAck({ ...pids, state: 'FINALIZED' });
    expect(body['@context']).toEqual(['https://w3id.org/dspace/2025/1/context.jsonld']);
    expect(typeof body['@type']).toBe('string');
  });

  it('sends a counter-offer with consumerPid and an initial offer with callbackAddress, never both', () => {
    const counter = dsp.contractOfferMessage({ ...pids, offer });
    const initial = dsp.contractOfferMessage({ providerPid: 'urn:uuid:p-1', offer, callbackAddress: 'https://p/cb' });
    expect([counter.consumerPid, counter.callbackAddress]).toEqual(['urn:uuid:c-1', undefined]);
    expect([initial.consumerPid, initial.callbackAddress]).toEqual([undefined, 'https://p/cb']);
  });

  it('advertises version 2025-1 over HTTPS with did:web and a DCP auth overlay', () => {
    const [entry] = dsp.versionResponse({ path: '/dsp/2025-1' }).protocolVersions;
    expect(entry).toEqual({
      version: '2025-1',
      path: '/dsp/2025-1',
      binding: 'HTTPS',
      identifierType: 'did:web',
      auth: { protocol: 'DCP', version: '1.0' },
    });
  });

  it('joins callback addresses with or without a trailing slash', () => {
    expect(dsp.dspUrl('https://c/cb/', '/negotiations/x/offers')).toBe('https://c/cb/negotiations/x/offers');
    expect(dsp.dspUrl('https://c/cb', 'negotiations/x/offers')).toBe('https://c/cb/negotiations/x/offers');
  });

  it('gives the same digest for the same JSON whatever the key order', () => {
    expect(dsp.jsonDigest({ a: 1, b: [{ y: 2, x: 1 }] })).toBe(dsp.jsonDigest({ b: [{ x: 1, y: 2 }], a: 1 }));
    expect(dsp.jsonDigest({ a: 1 })).not.toBe(dsp.jsonDigest({ a: 2 }));
  });

  it('keeps the exact stable form stored digests were made with (sorted keys, undefined members left out)', () => {
    const value = { b: 1, a: [1, { d: undefined, c: 'é"' }, undefined], A: null, '10': true, '9': false, e: {}, f: [] };
    expect(dsp.stableJson(value)).toBe('{"10":true,"9":false,"A":null,"a":[1,{"c":"é\\""},null],"b":1,"e":{},"f":[]}');
    expect(dsp.stableJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(dsp.jsonDigest({ a: 1 })).toBe('sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});
