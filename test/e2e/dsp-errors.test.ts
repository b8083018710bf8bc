import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../src/clock/index.js';
import {
  contractAgreementVerificationMessage,
  contractNegotiationEventMessage,
  contractRequestMessage,
  dspContext,
  transferRequestMessage,
  validateDspMessage,
} from '../../src/dsp/index.js';
import { unwrap } from '../../src/errors/index.js';
import type { ContractNegotiation, TargetedOffer } from '../../src/negotiation/index.js';
import { issueCallerToken } from '../../src/trust/index.js';
import { bothSides, dspBase as base, dspFederation, finalized, offerDataset, rawPost, signedPost as post, type Federation, type Node } from './dsp-support.js';

let federation: Federation;
let uk: Node;
let eu: Node;
let ca: Node;
let offer: TargetedOffer;
let done: { consumer: ContractNegotiation; provider: ContractNegotiation };

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu', 'ca']);
  [uk, eu, ca] = [federation.node('uk'), federation.node('eu'), federation.node('ca')];
  offer = await offerDataset(uk, 'coalition-open');
  done = await finalized(federation, eu, uk, offer);
});
afterAll(() => federation.stopAll());


/** Expects `body` to be a valid DSP 2025-1 `type` by our copy of the schemas (src/dsp/schemas). */
function expectValidError(type: 'ContractNegotiationError' | 'TransferError', body: Record<string, unknown>) {
  const result = validateDspMessage(type, body);
  expect(result.ok ? [] : (result.data?.['problems'] ?? [result.detail])).toEqual([]);
}

async function providerState(pid: string) {
  return (await uk.connector.dsp.negotiations.get(pid))?.state;
}

describe('DSP refusals over HTTP: the DSP error body with the right status, and no state change', () => {
  it('refuses an invalid transition with 400 + ContractNegotiationError and leaves the state as it was', async () => {
    const pids = { providerPid: done.provider.id, consumerPid: done.consumer.id };
    const verification = await post(eu, uk, `/negotiations/${encodeURIComponent(pids.providerPid)}/agreement/verification`, contractAgreementVerificationMessage(pids));
    expect(verification.status).toBe(400);
    expect(verification.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_NEG_ILLEGAL_TRANSITION', ...pids });
    expectValidError('ContractNegotiationError', verification.body);
    const accepted = await post(eu, uk, `/negotiations/${encodeURIComponent(pids.providerPid)}/events`, contractNegotiationEventMessage({ ...pids, eventType: 'ACCEPTED' }));
    expect(accepted.status).toBe(400);
    expectValidError('ContractNegotiationError', accepted.body);
    const finalizedToProvider = await post(eu, uk, `/negotiations/${encodeURIComponent(pids.providerPid)}/events`, contractNegotiationEventMessage({ ...pids, eventType: 'FINALIZED' }));
    expect(finalizedToProvider.status).toBe(400);
    expect(await providerState(pids.providerPid)).toBe('FINALIZED');
    const ack = unwrap(await eu.connector.trust.client.get(`${base(uk)}/negotiations/${encodeURIComponent(pids.providerPid)}`, uk.connector.did));
    expect(ack.body).toMatchObject({ '@type': 'ContractNegotiation', state: 'FINALIZED', ...pids });
  });

  it('refuses a verification while REQUESTED (400), keeping the process REQUESTED', async () => {
    const proposal: TargetedOffer = { '@id': offer['@id'], '@type': 'Offer', target: offer.target, permission: [{ action: 'use' }] };
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer: proposal, provider: { did: uk.connector.did } }));
    await federation.settle();
    const { provider } = await bothSides(eu, uk, started.id);
    const pids = { providerPid: provider.id, consumerPid: started.id };
    const answer = await post(eu, uk, `/negotiations/${encodeURIComponent(provider.id)}/agreement/verification`, contractAgreementVerificationMessage(pids));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_NEG_ILLEGAL_TRANSITION' });
    expect(await providerState(provider.id)).toBe('REQUESTED');
  });

  it('answers 404 for an unknown process and for a process of another participant', async () => {
    const unknown = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    const termination = await post(eu, uk, `/negotiations/${encodeURIComponent(unknown)}/termination`, { '@context': dspContext(), '@type': 'ContractNegotiationTerminationMessage', providerPid: unknown, consumerPid: done.consumer.id });
    expect(termination.status).toBe(404);
    expect(termination.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_NEG_NOT_FOUND', providerPid: unknown, consumerPid: done.consumer.id });
    expectValidError('ContractNegotiationError', termination.body);
    const negotiation = unwrap(await eu.connector.trust.client.get(`${base(uk)}/negotiations/${encodeURIComponent(unknown)}`, uk.connector.did));
    expect(negotiation.status).toBe(404);
    expect(negotiation.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_NEG_NOT_FOUND', providerPid: unknown, consumerPid: '' });
    expectValidError('ContractNegotiationError', negotiation.body as Record<string, unknown>);
    const transfer = unwrap(await eu.connector.trust.client.get(`${base(uk)}/transfers/${encodeURIComponent(unknown)}`, uk.connector.did));
    expect(transfer.status).toBe(404);
    expect(transfer.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRANSFER_NOT_FOUND', providerPid: unknown, consumerPid: '' });
    expectValidError('TransferError', transfer.body as Record<string, unknown>);
    // Canada is a member too, but not the counterparty: it learns nothing, not even that the process exists.
    const foreign = unwrap(await ca.connector.trust.client.get(`${base(uk)}/negotiations/${encodeURIComponent(done.provider.id)}`, uk.connector.did));
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'SOV_NEG_NOT_FOUND', providerPid: done.provider.id, consumerPid: '' });
    // Nor that its pid names a process we hold as consumer: the error places it as for an unknown pid.
    const foreignConsumerSide = unwrap(await ca.connector.trust.client.get(`${base(eu)}/negotiations/${encodeURIComponent(done.consumer.id)}`, eu.connector.did));
    expect(foreignConsumerSide.status).toBe(404);
    expect(foreignConsumerSide.body).toMatchObject({ providerPid: done.consumer.id, consumerPid: '' });
    const foreignTermination = await post(ca, uk, `/negotiations/${encodeURIComponent(done.provider.id)}/termination`, {
      '@context': dspContext(), '@type': 'ContractNegotiationTerminationMessage', providerPid: done.provider.id, consumerPid: done.consumer.id,
    });
    expect(foreignTermination.status).toBe(404);
    expect(await providerState(done.provider.id)).toBe('FINALIZED');
  });

  it('answers 400 for malformed JSON, a wrong @type and a missing DSP context; 413 for an oversized body', async () => {
    const malformed = await rawPost(eu, uk, '/negotiations/request', '{"@context": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_HTTP_MALFORMED_JSON', providerPid: '', consumerPid: '' });
    expectValidError('ContractNegotiationError', malformed.body);
    const notJson = await fetch(`${base(uk)}/negotiations/request`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(notJson.status).toBe(415);
    const notJsonBody = (await notJson.json()) as Record<string, unknown>;
    expect(notJsonBody).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_UNSUPPORTED_MEDIA_TYPE' });
    expectValidError('ContractNegotiationError', notJsonBody);
    const request = contractRequestMessage({ consumerPid: 'urn:uuid:wrong-type', offer, callbackAddress: base(eu) });
    const wrongType = await post(eu, uk, '/negotiations/request', { ...request, '@type': 'ContractOfferMessage' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ code: 'SOV_DSP_WRONG_TYPE', providerPid: '', consumerPid: 'urn:uuid:wrong-type' });
    expectValidError('ContractNegotiationError', wrongType.body);
    const { '@context': _context, ...contextless } = request;
    const missingContext = await post(eu, uk, '/negotiations/request', contextless);
    expect(missingContext.status).toBe(400);
    expect(missingContext.body).toMatchObject({ code: 'SOV_DSP_MISSING_CONTEXT' });
    expectValidError('ContractNegotiationError', missingContext.body);
    const huge = JSON.stringify({ ...request, padding: 'x'.repeat(uk.connector.config.limits.dspBodyBytes) });
    const oversized = await rawPost(eu, uk, '/negotiations/request', huge);
    expect(oversized.status).toBe(413);
    expect(oversized.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_PAYLOAD_TOO_LARGE' });
    expectValidError('ContractNegotiationError', oversized.body);
    const listed = unwrap(await uk.connector.dsp.negotiations.list({ counterpartyDid: eu.connector.did }));
    expect(listed.items.map((n) => n.consumerPid)).not.toContain('urn:uuid:wrong-type');
  });

  it('answers 401 for a missing, a replayed and a wrong-audience token, and creates nothing', async () => {
    const body = JSON.stringify(contractRequestMessage({ consumerPid: 'urn:uuid:token-tests', offer, callbackAddress: base(eu) }));
    const missing = await rawPost(eu, uk, '/negotiations/request', body, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_TRUST_TOKEN_MISSING', providerPid: '', consumerPid: 'urn:uuid:token-tests' });
    expectValidError('ContractNegotiationError', missing.body);
    const wrongAudience = await rawPost(eu, uk, '/negotiations/request', body, { audience: ca.connector.did });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body).toMatchObject({ code: 'SOV_TRUST_TOKEN_WRONG_AUDIENCE', consumerPid: 'urn:uuid:token-tests' });
    expectValidError('ContractNegotiationError', wrongAudience.body);
    // A GET without a token names only the pid in its path.
    const unknown = 'urn:uuid:00000000-0000-4000-8000-000000000001';
    const unauthenticatedGet = await fetch(`${base(uk)}/transfers/${encodeURIComponent(unknown)}`);
    expect(unauthenticatedGet.status).toBe(401);
    const getBody = (await unauthenticatedGet.json()) as Record<string, unknown>;
    expect(getBody).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRUST_TOKEN_MISSING', providerPid: unknown, consumerPid: '' });
    expectValidError('TransferError', getBody);
    const url = `${base(uk)}/negotiations/request`;
    const token = await issueCallerToken({ signer: eu.connector.kms, callerDid: eu.connector.did, audienceDid: uk.connector.did, request: { method: 'POST', url, body }, clock: federation.clock, ids: uuidGenerator });
    const first = await rawPost(eu, uk, '/negotiations/request', body, { token });
    expect(first.status).toBe(201);
    const replayed = await rawPost(eu, uk, '/negotiations/request', body, { token });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ code: 'SOV_TRUST_TOKEN_REPLAYED' });
    const listed = unwrap(await uk.connector.dsp.negotiations.list({ counterpartyDid: eu.connector.did }));
    expect(listed.items.filter((n) => n.consumerPid === 'urn:uuid:token-tests')).toHaveLength(1);
  });

  it('names the pids a refused initial request names: an unknown offer, an agreement the caller does not hold', async () => {
    const unknownOffer: TargetedOffer = { ...offer, '@id': 'urn:uuid:no-such-offer' };
    const request = await post(eu, uk, '/negotiations/request', contractRequestMessage({ consumerPid: 'urn:uuid:unknown-offer', offer: unknownOffer, callbackAddress: base(eu) }));
    expect(request.status).toBe(400);
    expect(request.body).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_NEG_UNKNOWN_OFFER', providerPid: '', consumerPid: 'urn:uuid:unknown-offer' });
    expectValidError('ContractNegotiationError', request.body);
    const agreementId = done.provider.agreement?.['@id'] as string;
    const transfer = await post(ca, uk, '/transfers/request', transferRequestMessage({ consumerPid: 'urn:uuid:not-my-agreement', agreementId, format: 'HttpData-PULL', callbackAddress: base(ca) }));
    expect(transfer.status).toBe(400);
    expect(transfer.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRANSFER_AGREEMENT_NOT_HELD', providerPid: '', consumerPid: 'urn:uuid:not-my-agreement' });
    expectValidError('TransferError', transfer.body);
    expect(unwrap(await uk.connector.dsp.negotiations.list({ counterpartyDid: eu.connector.did })).items.map((n) => n.consumerPid)).not.toContain('urn:uuid:unknown-offer');
  });
});
