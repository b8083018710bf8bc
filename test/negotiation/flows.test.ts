import { describe, expect, it } from 'vitest';
import * as neg from '../../src/negotiation/index.js';
import { CATALOG_OFFER, CONSUMER_DID, DATASET, deliverNext, makeSides, PROVIDER_DID, settle, type Side } from './harness.js';

const offer = { ...CATALOG_OFFER, target: DATASET };

async function start(consumer: Side) {
  const started = await neg.requestContract(consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp/', offer });
  if (!started.ok) throw new Error(started.detail);
  return started.value.id;
}

async function only(side: Side) {
  const [record] = [...side.repo.records.values()];
  if (!record) throw new Error('no record');
  return (await side.repo.get(record.id))!;
}

describe('contract negotiation flows', () => {
  it('runs request → agreement → verification → FINALIZED, both sides holding the same signed agreement', async () => {
    const { provider, consumer } = makeSides();
    const consumerPid = await start(consumer);
    expect(consumer.repo.outbox[0]?.url).toBe('https://uk.example/dsp/negotiations/request');
    await settle(consumer, provider);
    const c = await consumer.repo.get(consumerPid);
    const p = await only(provider);
    expect([c?.state, p.state]).toEqual(['FINALIZED', 'FINALIZED']);
    expect(c?.providerPid).toBe(p.id);
    expect(c?.agreement).toEqual(p.agreement);
    expect(p.agreement).toMatchObject({
      '@type': 'Agreement',
      target: DATASET,
      assigner: PROVIDER_DID,
      assignee: CONSUMER_DID,
      timestamp: '2026-01-01T00:00:00.000Z',
      permission: CATALOG_OFFER.permission,
    });
    expect(p.proofs.provider).toBeDefined();
    expect(p.proofs.consumer).toEqual(c?.proofs.consumer);
    expect(p.decision).toMatchObject({ stage: 'verification', permitted: true });
  });

  it('terminates a refused request with the policy reasons, which the consumer keeps', async () => {
    const { provider, consumer } = makeSides();
    consumer.caller = { did: CONSUMER_DID, claims: {} };
    const consumerPid = await start(consumer);
    await settle(consumer, provider);
    const c = await consumer.repo.get(consumerPid);
    expect(c?.state).toBe('TERMINATED');
    expect(c?.termination).toMatchObject({
      by: 'provider',
      code: 'SOV_NEG_POLICY_REFUSED',
      reason: [{ code: 'POLICY_CLAIM_MISSING', rule: 'permission[0]', message: expect.stringContaining('membership') }],
    });
    const p = await only(provider);
    expect(p.state).toBe('TERMINATED');
    expect(p.decision).toMatchObject({ stage: 'request', permitted: false, report: { failed: 'member' } });
    expect(p.decision?.reportDigest).toMatch(/^sha256:/);
  });

  it('evaluates again at verification and terminates when the claims no longer satisfy the policy', async () => {
    const { provider, consumer } = makeSides();
    await start(consumer);
    await deliverNext(consumer, provider); // request
    await deliverNext(provider, consumer); // agreement
    consumer.caller = { did: CONSUMER_DID, claims: {} };
    await settle(consumer, provider);
    expect((await only(provider)).state).toBe('TERMINATED');
    expect((await only(consumer)).termination?.code).toBe('SOV_NEG_POLICY_REFUSED');
  });

  it('handles a counter-proposal, a counter-offer and acceptance through to FINALIZED', async () => {
    const { provider, consumer } = makeSides();
    const proposal = { ...offer, permission: [{ action: 'use' }] };
    await neg.requestContract(consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer: proposal });
    await deliverNext(consumer, provider);
    const waiting = await only(provider);
    expect(waiting).toMatchObject({ state: 'REQUESTED', awaitingDecision: true, offerBy: 'consumer' });
    expect(provider.repo.outbox).toHaveLength(0);

    const counter = { ...offer, '@id': 'urn:sov:offer:counter' };
    expect((await neg.counterOffer(provider.deps, waiting.id, counter)).ok).toBe(true);
    await deliverNext(provider, consumer);
    const offered = await only(consumer);
    expect([offered.state, offered.offer['@id']]).toEqual(['OFFERED', 'urn:sov:offer:counter']);

    expect((await neg.acceptOffer(consumer.deps, offered.id)).ok).toBe(true);
    await settle(consumer, provider);
    expect([(await only(consumer)).state, (await only(provider)).state]).toEqual(['FINALIZED', 'FINALIZED']);
    expect((await only(consumer)).agreement?.permission).toEqual(CATALOG_OFFER.permission);
  });

  it('lets an admin agree to proposed terms', async () => {
    const { provider, consumer } = makeSides();
    const proposal = { ...offer, permission: [{ action: 'use' }] };
    await neg.requestContract(consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer: proposal });
    await deliverNext(consumer, provider);
    expect((await neg.agreeToTerms(provider.deps, (await only(provider)).id)).ok).toBe(true);
    await settle(provider, consumer);
    expect((await only(consumer)).agreement?.permission).toEqual([{ action: 'use' }]);
    expect((await only(provider)).state).toBe('FINALIZED');
  });

  it('starts from a provider offer sent first', async () => {
    const { provider, consumer } = makeSides();
    const sent = await neg.offerContract(provider.deps, { consumerDid: CONSUMER_DID, consumerAddress: 'https://ca.example/dsp', offer });
    expect(provider.repo.outbox[0]?.url).toBe('https://ca.example/dsp/negotiations/offers');
    const first = await deliverNext(provider, consumer);
    expect(first.ok && [first.value.status, first.value.ack.state]).toEqual([201, 'OFFERED']);
    expect((await provider.repo.get(sent.ok ? sent.value.id : ''))?.consumerPid).toBe((await only(consumer)).id);
    await neg.acceptOffer(consumer.deps, (await only(consumer)).id);
    await settle(consumer, provider);
    expect((await only(provider)).state).toBe('FINALIZED');
  });
});
