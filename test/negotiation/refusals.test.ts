import { describe, expect, it } from 'vitest';
import * as dsp from '../../src/dsp/index.js';
import * as neg from '../../src/negotiation/index.js';
import { CATALOG_OFFER, CONSUMER_DID, DATASET, deliverNext, digestSigner, makeSides, PROVIDER_DID, route, settle, type Side } from './harness.js';

const offer = { ...CATALOG_OFFER, target: DATASET };

async function only(side: Side) {
  const [record] = [...side.repo.records.values()];
  if (!record) throw new Error('no record');
  return (await side.repo.get(record.id))!;
}

async function started() {
  const sides = makeSides();
  await neg.requestContract(sides.consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer });
  return sides;
}

function code(result: { ok: boolean; code?: string }) {
  return result.ok ? 'ok' : result.code;
}

describe('negotiation refusals and idempotency', () => {
  it('answers an illegal message with SOV_NEG_ILLEGAL_TRANSITION and changes nothing', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider); // provider REQUESTED, agreement queued
    const p = await only(provider);
    const commits = provider.repo.commits;
    const accepted = dsp.contractNegotiationEventMessage({ providerPid: p.id, consumerPid: p.consumerPid!, eventType: 'ACCEPTED' });
    const result = await neg.onProviderEvent(provider.deps, consumer.caller, accepted, p.id);
    expect(code(result)).toBe('SOV_NEG_ILLEGAL_TRANSITION');
    expect(result.ok ? null : result.data).toMatchObject({ from: 'REQUESTED', message: 'ContractNegotiationEventMessage:ACCEPTED', sender: 'consumer' });
    expect(provider.repo.commits).toBe(commits);
    expect(await provider.repo.get(p.id)).toEqual(p);
  });

  it('refuses ACCEPTED sent to a consumer and FINALIZED sent to a provider', async () => {
    const { provider, consumer } = await started();
    await settle(consumer, provider);
    const c = await only(consumer);
    const pids = { providerPid: c.providerPid!, consumerPid: c.id };
    const accepted = dsp.contractNegotiationEventMessage({ ...pids, eventType: 'ACCEPTED' });
    expect(code(await neg.onConsumerEvent(consumer.deps, provider.caller, accepted))).toBe('SOV_NEG_ILLEGAL_TRANSITION');
    const finalized = dsp.contractNegotiationEventMessage({ ...pids, eventType: 'FINALIZED' });
    expect(code(await neg.onProviderEvent(provider.deps, consumer.caller, finalized))).toBe('SOV_NEG_ILLEGAL_TRANSITION');
  });

  it('treats a verification arriving before our agreement ACK as proof the agreement arrived', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider);
    // The agreement left the provider's outbox and reached the consumer; its ACK is not recorded yet.
    const agreement = provider.repo.outbox.shift()!;
    expect((await route(agreement, consumer, provider)).ok).toBe(true);
    const p = await only(provider);
    expect([p.state, p.pending?.message]).toEqual(['REQUESTED', 'ContractAgreementMessage']);
    const verify = dsp.contractAgreementVerificationMessage({ providerPid: p.id, consumerPid: p.consumerPid! });
    const result = await neg.onAgreementVerification(provider.deps, consumer.caller, verify, p.id);
    expect(result.ok && result.value.ack.state).toBe('VERIFIED');
  });

  it('refuses a verification of an agreement that never left our outbox (400), changing nothing', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider);
    const p = await only(provider);
    expect(p.pending?.message).toBe('ContractAgreementMessage');
    const verify = dsp.contractAgreementVerificationMessage({ providerPid: p.id, consumerPid: p.consumerPid! });
    expect(code(await neg.onAgreementVerification(provider.deps, consumer.caller, verify, p.id))).toBe('SOV_NEG_ILLEGAL_TRANSITION');
    expect(await provider.repo.get(p.id)).toEqual(p);
    expect(provider.repo.outbox).toHaveLength(1);
  });

  it('refuses termination after FINALIZED with 400, not 404', async () => {
    const { provider, consumer } = await started();
    await settle(consumer, provider);
    const p = await only(provider);
    const termination = dsp.contractNegotiationTerminationMessage({ providerPid: p.id, consumerPid: p.consumerPid! });
    const result = await neg.onProviderTermination(provider.deps, consumer.caller, termination, p.id);
    expect(code(result)).toBe('SOV_NEG_ILLEGAL_TRANSITION');
    expect(code(await neg.terminateNegotiation(consumer.deps, (await only(consumer)).id, {}))).toBe('SOV_NEG_ILLEGAL_TRANSITION');
  });

  it('answers 404 for an unknown pid and for a caller who is not the counterparty', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider);
    const p = await only(provider);
    const termination = dsp.contractNegotiationTerminationMessage({ providerPid: p.id, consumerPid: p.consumerPid! });
    const stranger = { did: 'did:web:stranger.example', claims: { member: true } };
    expect(code(await neg.onProviderTermination(provider.deps, stranger, termination))).toBe('SOV_NEG_NOT_FOUND');
    const unknown = { ...termination, providerPid: 'urn:uuid:nope' };
    expect(code(await neg.onProviderTermination(provider.deps, consumer.caller, unknown))).toBe('SOV_NEG_NOT_FOUND');
    const wrongConsumerPid = { ...termination, consumerPid: 'urn:uuid:other' };
    expect(code(await neg.onProviderTermination(provider.deps, consumer.caller, wrongConsumerPid))).toBe('SOV_NEG_NOT_FOUND');
    expect(code(await neg.negotiationStateFor(provider.deps, stranger, 'provider', p.id))).toBe('SOV_NEG_NOT_FOUND');
    expect(code(await neg.negotiationStateFor(provider.deps, consumer.caller, 'provider', p.id))).toBe('ok');
    expect(code(await neg.onProviderTermination(provider.deps, consumer.caller, termination, 'urn:uuid:path'))).toBe('SOV_NEG_PID_MISMATCH');
  });

  it('answers a repeated request with the same ACK and no new process or message', async () => {
    const { provider, consumer } = await started();
    const entry = consumer.repo.outbox[0]!;
    const first = await route(entry, provider, consumer);
    const commits = provider.repo.commits;
    const again = await route(structuredClone(entry), provider, consumer);
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.value).toMatchObject({ status: 201, ack: first.value.ack, replayed: true, outbox: [] });
    expect([provider.repo.records.size, provider.repo.outbox.length, provider.repo.commits]).toEqual([1, 1, commits]);
  });

  it('answers a repeated agreement with the same ACK and queues one verification only', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider);
    const agreement = provider.repo.outbox[0]!;
    await deliverNext(provider, consumer);
    const again = await route(agreement, consumer, provider);
    expect(again.ok && again.value.replayed).toBe(true);
    expect(consumer.repo.outbox.filter((e) => e.message === 'ContractAgreementVerificationMessage')).toHaveLength(1);
  });

  it('refuses an initial request reusing a consumerPid with different content', async () => {
    const { provider, consumer } = await started();
    const entry = consumer.repo.outbox[0]!;
    await route(entry, provider, consumer);
    const changed = { ...entry, body: { ...entry.body, callbackAddress: 'https://elsewhere.example' } };
    expect(code(await route(changed, provider, consumer))).toBe('SOV_NEG_ILLEGAL_TRANSITION');
  });

  it('accepts the next message when our ACK was lost: its arrival implies the acknowledgement', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider); // request
    await deliverNext(provider, consumer); // agreement; consumer queues verification
    const verification = consumer.repo.outbox.shift()!;
    expect((await route(verification, provider, consumer)).ok).toBe(true); // ACK "lost": no confirmDelivery
    expect((await only(consumer)).state).toBe('AGREED');
    await deliverNext(provider, consumer); // FINALIZED while the consumer still thinks AGREED
    expect((await only(consumer)).state).toBe('FINALIZED');
    const late = await neg.confirmDelivery(consumer.deps, verification.localPid, verification.id);
    expect(late.ok && late.value.record?.state).toBe('FINALIZED');
    expect(late.ok && late.value.delivered).toBe(false);
  });

  it('refuses an unknown offer id and an offer for another dataset', async () => {
    const { provider, consumer } = makeSides();
    const body = (o: object) => dsp.contractRequestMessage({ consumerPid: 'urn:uuid:c-9', offer: o as dsp.MessageOffer, callbackAddress: 'https://ca.example/dsp' });
    const unknown = await neg.onContractRequest(provider.deps, consumer.caller, body({ ...offer, '@id': 'urn:sov:offer:nope' }));
    expect(code(unknown)).toBe('SOV_NEG_UNKNOWN_OFFER');
    const other = await neg.onContractRequest(provider.deps, consumer.caller, body({ ...offer, target: 'urn:uuid:other' }));
    expect(code(other)).toBe('SOV_NEG_OFFER_MISMATCH');
    const byReference = await neg.onContractRequest(provider.deps, consumer.caller, body({ '@id': CATALOG_OFFER['@id'] }));
    expect(byReference.ok && byReference.value.negotiation.offer).toMatchObject({ target: DATASET, permission: CATALOG_OFFER.permission });
    expect(provider.repo.records.size).toBe(1);
  });

  it('refuses an agreement that differs from the offer or whose proof does not verify', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider);
    const entry = provider.repo.outbox.shift()!;
    const agreement = entry.body.agreement as dsp.OdrlAgreement;
    const tampered = { ...entry, body: { ...entry.body, agreement: { ...agreement, permission: [{ action: 'use' }] } } };
    expect(code(await route(tampered, consumer, provider))).toBe('SOV_NEG_AGREEMENT_INVALID');
    const forged = await digestSigner('did:web:mallory.example').sign(agreement);
    const badProof = { ...entry, body: { ...entry.body, [dsp.SOV_AGREEMENT_PROOF]: forged } };
    expect(code(await route(badProof, consumer, provider))).toBe('SOV_NEG_SIGNATURE_INVALID');
    const unsigned = { ...entry.body };
    delete unsigned[dsp.SOV_AGREEMENT_PROOF];
    consumer.deps.requireCounterpartyProof = true;
    expect(code(await route({ ...entry, body: unsigned }, consumer, provider))).toBe('SOV_NEG_SIGNATURE_INVALID');
    expect((await only(consumer)).state).toBe('REQUESTED');
    expect(code(await route(entry, consumer, provider))).toBe('ok');
  });

  it('is busy while a message awaits acknowledgement, except for termination', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider);
    await deliverNext(provider, consumer); // consumer AGREED, verification pending
    const c = await only(consumer);
    expect(code(await neg.acceptOffer(consumer.deps, c.id))).toBe('SOV_NEG_BUSY');
    expect(code(await neg.terminateNegotiation(consumer.deps, c.id, { code: 'CHANGED_MIND' }))).toBe('ok');
  });

  it('ends the negotiation when the worker gives up on a message, and tells the other side', async () => {
    const { provider, consumer } = await started();
    await deliverNext(consumer, provider);
    const agreement = provider.repo.outbox.shift()!;
    const result = await neg.abandonDelivery(provider.deps, agreement.localPid, agreement.id, { code: 'SOV_UPSTREAM_UNAVAILABLE', detail: 'connection refused' });
    expect(result.ok && result.value?.state).toBe('TERMINATED');
    expect(provider.repo.outbox.map((e) => e.message)).toEqual(['ContractNegotiationTerminationMessage']);
    await deliverNext(provider, consumer);
    expect((await only(consumer)).termination).toMatchObject({ by: 'provider', code: 'SOV_UPSTREAM_UNAVAILABLE' });
  });
});

type Stop = 'REQUESTED' | 'OFFERED' | 'ACCEPTED' | 'AGREED' | 'VERIFIED';

/** Drives a fresh pair until both sides are in `stop` (nothing left in flight). */
async function driveTo(stop: Stop) {
  const { provider, consumer } = makeSides();
  if (stop === 'REQUESTED') {
    const proposal = { ...offer, permission: [{ action: 'use' }] };
    await neg.requestContract(consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer: proposal });
    await deliverNext(consumer, provider);
    return { provider, consumer };
  }
  await neg.offerContract(provider.deps, { consumerDid: CONSUMER_DID, consumerAddress: 'https://ca.example/dsp', offer });
  await deliverNext(provider, consumer);
  if (stop === 'OFFERED') return { provider, consumer };
  await neg.acceptOffer(consumer.deps, (await only(consumer)).id);
  await deliverNext(consumer, provider);
  if (stop === 'ACCEPTED') return { provider, consumer, inFlight: provider };
  await deliverNext(provider, consumer);
  if (stop === 'AGREED') return { provider, consumer, inFlight: consumer };
  await deliverNext(consumer, provider);
  return { provider, consumer, inFlight: provider };
}

describe('termination by either side in every non-terminal state', () => {
  const cases = (['REQUESTED', 'OFFERED', 'ACCEPTED', 'AGREED', 'VERIFIED'] as Stop[]).flatMap((state) =>
    (['consumer', 'provider'] as const).map((by) => ({ state, by })),
  );

  it.each(cases)('$state terminated by the $by', async ({ state, by }) => {
    const { provider, consumer, inFlight } = await driveTo(state);
    if (inFlight) inFlight.repo.outbox.length = 0; // the auto-reply is lost; termination overtakes it
    const [self, other] = by === 'consumer' ? [consumer, provider] : [provider, consumer];
    const mine = await only(self);
    expect((await only(other)).state ?? mine.state).toBe(state);
    expect(code(await neg.terminateNegotiation(self.deps, mine.id, { code: 'ADMIN', reason: ['no longer needed'] }))).toBe('ok');
    await deliverNext(self, other);
    expect([(await only(self)).state, (await only(other)).state]).toEqual(['TERMINATED', 'TERMINATED']);
    expect((await only(other)).termination).toMatchObject({ by, code: 'ADMIN', reason: ['no longer needed'] });
  });
});
