/**
 * Issue 6, kill-and-restart: a connector stopped between any two steps finishes the process
 * after its restart, exactly once (conventions §5: intent is recorded with its outbox entry in
 * one commit, and the worker delivers it after the restart), for the negotiation's messages and
 * the transfer process's; and 200 negotiations at once, none lost or duplicated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import type { TargetedOffer } from '../../src/negotiation/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { bothSides, dataPlaneCalls, dspFederation, finalized, offerDataset, type Federation, type Node } from './dsp-support.js';

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

/** Stops `node` and builds it again from its config and data dir (a process restart). */
async function killAndRestart(node: Node): Promise<void> {
  await node.stop();
  await node.restart();
}

/** The `details.to` of every `type` audit entry about `pid`, oldest first. */
async function stateChanges(node: Node, type: 'negotiation.state' | 'transfer.state', pid: string): Promise<string[]> {
  return (await node.connector.audit.tail(500))
    .filter((e) => e.type === type && e.subjects.includes(pid))
    .map((e) => (e.details as { to: string }).to);
}

const NEGOTIATED = ['REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED'];

/** One negotiation record per side, both FINALIZED, each state change audited once per side. */
async function negotiationFinishedOnce(consumer: Node, provider: Node, consumerPid: string): Promise<void> {
  const sides = await bothSides(consumer, provider, consumerPid);
  expect([sides.consumer.state, sides.provider.state]).toEqual(['FINALIZED', 'FINALIZED']);
  expect([sides.consumer.pending, sides.provider.pending]).toEqual([undefined, undefined]);
  const onProvider = unwrap(await provider.connector.dsp.negotiations.list({ counterpartyDid: consumer.connector.did, limit: 500 }));
  expect(onProvider.items.filter((n) => n.consumerPid === consumerPid)).toHaveLength(1);
  const onConsumer = unwrap(await consumer.connector.dsp.negotiations.list({ counterpartyDid: provider.connector.did, limit: 500 }));
  expect(onConsumer.items.filter((n) => n.id === consumerPid)).toHaveLength(1);
  expect(await stateChanges(provider, 'negotiation.state', sides.provider.id)).toEqual(NEGOTIATED);
  expect(await stateChanges(consumer, 'negotiation.state', consumerPid)).toEqual(NEGOTIATED);
}

describe('kill and restart: a stopped connector finishes the process after restart, exactly once', () => {
  it('provider stopped with its agreement still in the outbox', async () => {
    const { fed, uk, eu, offer } = await setUp();
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await fed.step(eu);
    expect((await bothSides(eu, uk, started.id)).provider.pending?.message).toBe('ContractAgreementMessage');
    await killAndRestart(uk);
    await fed.settle();
    await negotiationFinishedOnce(eu, uk, started.id);
  });

  it('consumer stopped after the agreement arrived, its verification not yet sent', async () => {
    const { fed, uk, eu, offer } = await setUp();
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await fed.step(eu);
    await fed.step(uk);
    expect((await bothSides(eu, uk, started.id)).consumer).toMatchObject({ state: 'AGREED', pending: { message: 'ContractAgreementVerificationMessage' } });
    await killAndRestart(eu);
    await fed.settle();
    await negotiationFinishedOnce(eu, uk, started.id);
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
    await negotiationFinishedOnce(eu, uk, started.id);
  });

  it('consumer stopped with its initial ContractRequestMessage still in the outbox', async () => {
    const { fed, uk, eu, offer } = await setUp();
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    expect((await eu.connector.dsp.negotiations.get(started.id))?.pending?.message).toBe('ContractRequestMessage');
    await killAndRestart(eu);
    const onProvider = unwrap(await uk.connector.dsp.negotiations.list({ counterpartyDid: eu.connector.did, limit: 500 }));
    expect(onProvider.items).toHaveLength(0); // nothing left before the stop
    expect((await eu.connector.dsp.negotiations.get(started.id))?.pending?.message).toBe('ContractRequestMessage');
    await fed.settle();
    await negotiationFinishedOnce(eu, uk, started.id);
  });

  it('provider stopped with its FINALIZED event still in the outbox', async () => {
    const { fed, uk, eu, offer } = await setUp();
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await fed.step(eu); // request
    await fed.step(uk); // agreement
    await fed.step(eu); // verification
    const before = await bothSides(eu, uk, started.id);
    expect(before.consumer.state).toBe('VERIFIED');
    expect(before.provider).toMatchObject({ state: 'VERIFIED', pending: { message: 'ContractNegotiationEventMessage:FINALIZED' } });
    await killAndRestart(uk);
    expect((await eu.connector.dsp.negotiations.get(started.id))?.state).toBe('VERIFIED');
    await fed.settle();
    await negotiationFinishedOnce(eu, uk, started.id);
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

interface TransferScene {
  fed: Federation;
  uk: Node;
  eu: Node;
  agreementId: string;
}

/** A federation where eu (consumer) holds a FINALIZED agreement for a uk (provider) dataset. */
async function agreed(): Promise<TransferScene> {
  const { fed, uk, eu, offer } = await setUp();
  const sides = await finalized(fed, eu, uk, offer);
  return { fed, uk, eu, agreementId: sides.provider.agreement?.['@id'] as string };
}

async function transferSides(scene: TransferScene, consumerPid: string): Promise<{ consumer: TransferProcess; provider: TransferProcess }> {
  const consumer = await scene.eu.connector.dsp.transfers.get(consumerPid);
  const provider = consumer?.providerPid === undefined ? undefined : await scene.uk.connector.dsp.transfers.get(consumer.providerPid);
  if (consumer === undefined || provider === undefined) throw new Error(`transfer ${consumerPid} is missing on one side`);
  return { consumer, provider };
}

/** A transfer STARTED on both sides; returns both records. */
async function startedTransfer(scene: TransferScene): Promise<{ consumer: TransferProcess; provider: TransferProcess }> {
  const requested = unwrap(await scene.eu.connector.dsp.transfers.start({ agreementId: scene.agreementId, format: 'HttpData-PULL' }));
  await scene.fed.settle();
  const sides = await transferSides(scene, requested.id);
  expect([sides.consumer.state, sides.provider.state]).toEqual(['STARTED', 'STARTED']);
  return sides;
}

/**
 * One transfer record per side for this process, both in `state` with nothing pending, and
 * the audited state changes of each side equal to `changes` (so the final one is recorded once).
 */
async function transferFinishedOnce(scene: TransferScene, consumerPid: string, state: string, changes: string[]): Promise<TransferProcess[]> {
  const { uk, eu } = scene;
  const sides = await transferSides(scene, consumerPid);
  expect([sides.consumer.state, sides.provider.state]).toEqual([state, state]);
  expect([sides.consumer.pending, sides.provider.pending]).toEqual([undefined, undefined]);
  const onProvider = unwrap(await uk.connector.dsp.transfers.list({ counterpartyDid: eu.connector.did, limit: 500 }));
  expect(onProvider.items.filter((t) => t.consumerPid === consumerPid)).toHaveLength(1);
  const onConsumer = unwrap(await eu.connector.dsp.transfers.list({ counterpartyDid: uk.connector.did, limit: 500 }));
  expect(onConsumer.items.filter((t) => t.id === consumerPid)).toHaveLength(1);
  expect(await stateChanges(uk, 'transfer.state', sides.provider.id)).toEqual(changes);
  expect(await stateChanges(eu, 'transfer.state', consumerPid)).toEqual(changes);
  return [sides.consumer, sides.provider];
}

/** The data-plane calls the provider `uk` made for its transfer `providerPid`. */
function dataPlaneCallsFor(uk: Node, providerPid: string): string[] {
  return (dataPlaneCalls.get(uk.connector.config.publicBaseUrl) ?? []).filter((c) => c.transfer === providerPid).map((c) => c.call);
}

describe('kill and restart during a transfer process (issue 6)', () => {
  it('provider stopped with its TransferStartMessage still in the outbox', async () => {
    const scene = await agreed();
    const { fed, uk, eu, agreementId } = scene;
    const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
    await fed.step(eu); // request
    const before = await transferSides(scene, requested.id);
    expect(before.consumer.state).toBe('REQUESTED');
    expect(before.provider).toMatchObject({ state: 'REQUESTED', pending: { message: 'TransferStartMessage' } });
    await killAndRestart(uk);
    expect((await eu.connector.dsp.transfers.get(requested.id))?.state).toBe('REQUESTED');
    await fed.settle();
    const [consumer, provider] = await transferFinishedOnce(scene, requested.id, 'STARTED', ['REQUESTED', 'STARTED']);
    expect(consumer?.dataAddress).toMatchObject({ '@type': 'DataAddress', endpoint: expect.stringContaining(encodeURIComponent(provider?.id ?? '-')) as unknown });
    expect(dataPlaneCallsFor(uk, provider?.id ?? '-')).toEqual(['start']);
  });

  it('consumer stopped with its TransferCompletionMessage still in the outbox', async () => {
    const scene = await agreed();
    const { fed, uk, eu } = scene;
    const { consumer } = await startedTransfer(scene);
    unwrap(await eu.connector.dsp.transfers.complete(consumer.id));
    expect((await eu.connector.dsp.transfers.get(consumer.id))?.pending?.message).toBe('TransferCompletionMessage');
    await killAndRestart(eu);
    expect((await uk.connector.dsp.transfers.get(consumer.providerPid ?? '-'))?.state).toBe('STARTED');
    await fed.settle();
    const [, provider] = await transferFinishedOnce(scene, consumer.id, 'COMPLETED', ['REQUESTED', 'STARTED', 'COMPLETED']);
    expect(dataPlaneCallsFor(uk, provider?.id ?? '-')).toEqual(['start', 'completed']);
  });

  it('provider stopped with a suspension queued, then resumed after the restart', async () => {
    const scene = await agreed();
    const { fed, uk } = scene;
    const { consumer, provider } = await startedTransfer(scene);
    unwrap(await uk.connector.dsp.transfers.suspend(provider.id, { code: 'MAINTENANCE', reason: ['disk swap'] }));
    expect((await uk.connector.dsp.transfers.get(provider.id))?.pending?.message).toBe('TransferSuspensionMessage');
    await killAndRestart(uk);
    expect((await scene.eu.connector.dsp.transfers.get(consumer.id))?.state).toBe('STARTED');
    await fed.settle();
    const [suspended] = await transferFinishedOnce(scene, consumer.id, 'SUSPENDED', ['REQUESTED', 'STARTED', 'SUSPENDED']);
    expect(suspended?.suspension).toMatchObject({ by: 'provider', code: 'MAINTENANCE', reason: ['disk swap'] });
    unwrap(await uk.connector.dsp.transfers.resume(provider.id));
    await fed.settle();
    await transferFinishedOnce(scene, consumer.id, 'STARTED', ['REQUESTED', 'STARTED', 'SUSPENDED', 'STARTED']);
    expect(dataPlaneCallsFor(uk, provider.id)).toEqual(['start', 'suspended', 'start']);
  });

  it('consumer stopped with a termination queued', async () => {
    const scene = await agreed();
    const { fed, uk, eu } = scene;
    const { consumer, provider } = await startedTransfer(scene);
    unwrap(await eu.connector.dsp.transfers.terminate(consumer.id, { code: 'NO_LONGER_NEEDED' }));
    expect((await eu.connector.dsp.transfers.get(consumer.id))?.pending?.message).toBe('TransferTerminationMessage');
    await killAndRestart(eu);
    expect((await uk.connector.dsp.transfers.get(provider.id))?.state).toBe('STARTED');
    await fed.settle();
    const [, onProvider] = await transferFinishedOnce(scene, consumer.id, 'TERMINATED', ['REQUESTED', 'STARTED', 'TERMINATED']);
    expect(onProvider?.termination).toMatchObject({ by: 'consumer', code: 'NO_LONGER_NEEDED' });
    expect(dataPlaneCallsFor(uk, provider.id)).toEqual(['start', 'terminated']);
  });
});
