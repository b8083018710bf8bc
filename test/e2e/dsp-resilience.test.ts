import { afterEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import type { TargetedOffer } from '../../src/negotiation/index.js';
import { bothSides, dspFederation, offerDataset, type Federation, type Node } from './dsp-support.js';

let federation: Federation | undefined;
afterEach(async () => {
  await federation?.stopAll();
  federation = undefined;
});

async function setUp(): Promise<{ fed: Federation; uk: Node; eu: Node; offer: TargetedOffer }> {
  const fed = await dspFederation(['uk', 'eu']);
  federation = fed;
  const uk = fed.node('uk');
  return { fed, uk, eu: fed.node('eu'), offer: await offerDataset(uk, 'coalition-open') };
}

async function stateEntries(node: Node, pid: string): Promise<string[]> {
  return (await node.connector.audit.tail(500))
    .filter((e) => e.type === 'negotiation.state' && e.subjects.includes(pid))
    .map((e) => (e.details as { to: string }).to);
}

/** Exactly one record per side, FINALIZED, and each state reached once in each audit trail. */
async function finishedOnce(uk: Node, eu: Node, consumerPid: string): Promise<void> {
  const sides = await bothSides(eu, uk, consumerPid);
  expect([sides.consumer.state, sides.provider.state]).toEqual(['FINALIZED', 'FINALIZED']);
  const onProvider = unwrap(await uk.connector.dsp.negotiations.list({ counterpartyDid: eu.connector.did, limit: 500 }));
  expect(onProvider.items.filter((n) => n.consumerPid === consumerPid)).toHaveLength(1);
  expect(await stateEntries(uk, sides.provider.id)).toEqual(['REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED']);
  expect(await stateEntries(eu, consumerPid)).toEqual(['REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED']);
}

describe('kill and restart: a stopped connector finishes the process after restart, exactly once', () => {
  it('provider stopped with its agreement still in the outbox', async () => {
    const { fed, uk, eu, offer } = await setUp();
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await fed.step(eu);
    expect((await bothSides(eu, uk, started.id)).provider.pending?.message).toBe('ContractAgreementMessage');
    await uk.stop();
    await uk.restart();
    await fed.settle();
    await finishedOnce(uk, eu, started.id);
  });

  it('consumer stopped after the agreement arrived, its verification not yet sent', async () => {
    const { fed, uk, eu, offer } = await setUp();
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await fed.step(eu);
    await fed.step(uk);
    expect((await bothSides(eu, uk, started.id)).consumer).toMatchObject({ state: 'AGREED', pending: { message: 'ContractAgreementVerificationMessage' } });
    await eu.stop();
    await eu.restart();
    await fed.settle();
    await finishedOnce(uk, eu, started.id);
  });

  it('provider down while the consumer sends: the outbox retries with back-off after the restart', async () => {
    const { fed, uk, eu, offer } = await setUp();
    // Version discovery happened earlier (e.g. when the catalogue was fetched); the address is kept.
    unwrap(await eu.connector.dsp.discover({ did: uk.connector.did }));
    await uk.stop();
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    const failed = await eu.connector.dsp.worker.drain();
    expect(failed).toMatchObject({ delivered: 0, retried: 1 });
    await uk.restart();
    expect(await eu.connector.dsp.worker.drain()).toMatchObject({ delivered: 0, retried: 0 });
    fed.clock.advance(2_000);
    await fed.settle();
    await finishedOnce(uk, eu, started.id);
  });
});

describe('concurrency', () => {
  it('runs 200 negotiations at once between two connectors: all FINALIZED, none lost or duplicated', async () => {
    const { fed, uk, eu, offer } = await setUp();
    const started = await Promise.all(Array.from({ length: 200 }, () => eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } })));
    const ids = started.map((s) => unwrap(s).id);
    await fed.settle();
    const consumerSide = unwrap(await eu.connector.dsp.negotiations.list({ state: 'FINALIZED', limit: 500 }));
    const providerSide = unwrap(await uk.connector.dsp.negotiations.list({ limit: 500 }));
    expect(consumerSide.items.map((n) => n.id).sort()).toEqual([...ids].sort());
    expect(providerSide.items).toHaveLength(200);
    expect(providerSide.items.every((n) => n.state === 'FINALIZED')).toBe(true);
    expect(new Set(providerSide.items.map((n) => n.consumerPid)).size).toBe(200);
    expect(new Set(providerSide.items.map((n) => n.agreement?.['@id'])).size).toBe(200);
  }, 120_000);
});
