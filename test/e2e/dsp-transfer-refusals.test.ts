/**
 * The transfer process machine's refusals and terminations over real loopback HTTP between
 * whole connectors (dsp.md §4 "shared rules", §6): an invalid transition is a 400 TransferError,
 * an unknown or foreign process a 404, a broken or unauthenticated message the same status and
 * code as on the negotiation routes; none of them changes the stored record. Every refusal is
 * sent once the receiver's own messages are delivered (`settle()`), so no message of ours is
 * still queued when it arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../src/clock/index.js';
import {
  transferCompletionMessage,
  transferRequestMessage,
  transferStartMessage,
  transferSuspensionMessage,
  transferTerminationMessage,
} from '../../src/dsp/index.js';
import { unwrap } from '../../src/errors/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { issueCallerToken } from '../../src/trust/index.js';
import { dspBase as base, dspFederation, finalized, offerDataset, rawPost, signedPost as post, type Federation, type Node } from './dsp-support.js';

let federation: Federation;
let uk: Node;
let eu: Node;
let ca: Node;
let agreementId: string;

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu', 'ca']);
  [uk, eu, ca] = [federation.node('uk'), federation.node('eu'), federation.node('ca')];
  const sides = await finalized(federation, eu, uk, await offerDataset(uk, 'coalition-open'));
  agreementId = sides.provider.agreement?.['@id'] as string;
});
afterAll(() => federation.stopAll());

const ILLEGAL = { '@type': 'TransferError', code: 'SOV_TRANSFER_ILLEGAL_TRANSITION' };

interface Sides {
  consumer: TransferProcess;
  provider: TransferProcess;
  pids: { consumerPid: string; providerPid: string };
}

async function sides(consumerPid: string): Promise<Sides> {
  const consumer = await eu.connector.dsp.transfers.get(consumerPid);
  const provider = consumer?.providerPid === undefined ? undefined : await uk.connector.dsp.transfers.get(consumer.providerPid);
  if (consumer === undefined || provider === undefined) throw new Error(`transfer ${consumerPid} is missing on one side`);
  return { consumer, provider, pids: { consumerPid, providerPid: provider.id } };
}

async function states(consumerPid: string): Promise<string[]> {
  const both = await sides(consumerPid);
  return [String(both.consumer.state), String(both.provider.state)];
}

/** eu (consumer) requests a pull from uk (provider); both STARTED once the outboxes settle. */
async function startedTransfer(): Promise<Sides> {
  const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
  await federation.settle();
  expect(await states(requested.id)).toEqual(['STARTED', 'STARTED']);
  return sides(requested.id);
}


const toProvider = (s: Sides, suffix: string) => `/transfers/${encodeURIComponent(s.pids.providerPid)}/${suffix}`;
const toConsumer = (s: Sides, suffix: string) => `/transfers/${encodeURIComponent(s.pids.consumerPid)}/${suffix}`;

/** Posts every message of `sends`, expecting each refused as an invalid transition (400 + TransferError naming the process). */
async function expectIllegal(s: Sides, sends: Array<[from: Node, to: Node, path: string, body: unknown]>) {
  for (const [from, to, path, body] of sends) {
    const answer = await post(from, to, path, body);
    expect({ path, status: answer.status }).toEqual({ path, status: 400 });
    expect(answer.body).toMatchObject({ ...ILLEGAL, ...s.pids });
  }
}

/** The records on both sides are exactly what they were (state, version, received digests). */
async function expectUnchanged(before: Sides) {
  const after = await sides(before.pids.consumerPid);
  expect(after.consumer).toEqual(before.consumer);
  expect(after.provider).toEqual(before.provider);
}

describe('DSP transfer refusals over HTTP: invalid transitions are 400 + TransferError and change nothing', () => {
  it('refuses completion, suspension, start and a new termination once COMPLETED, on both sides', async () => {
    const { pids } = await startedTransfer();
    unwrap(await eu.connector.dsp.transfers.complete(pids.consumerPid));
    await federation.settle();
    const done = await sides(pids.consumerPid);
    expect([done.consumer.state, done.provider.state]).toEqual(['COMPLETED', 'COMPLETED']);
    await expectIllegal(done, [
      [uk, eu, toConsumer(done, 'completion'), transferCompletionMessage(pids)],
      [uk, eu, toConsumer(done, 'suspension'), transferSuspensionMessage({ ...pids, code: 'LATE' })],
      [uk, eu, toConsumer(done, 'start'), transferStartMessage(pids)],
      [uk, eu, toConsumer(done, 'termination'), transferTerminationMessage({ ...pids, code: 'AFTER_THE_END' })],
      [eu, uk, toProvider(done, 'suspension'), transferSuspensionMessage(pids)],
      [eu, uk, toProvider(done, 'start'), transferStartMessage(pids)],
      [eu, uk, toProvider(done, 'termination'), transferTerminationMessage({ ...pids, code: 'AFTER_THE_END', reason: ['too late'] })],
    ]);
    // A message already acknowledged, delivered again byte for byte, is a replay (at-least-once delivery): the
    // ACK with the current state, nothing moves.
    const again = await post(eu, uk, toProvider(done, 'completion'), transferCompletionMessage(pids));
    expect(again).toMatchObject({ status: 200, body: { '@type': 'TransferProcess', state: 'COMPLETED', ...pids } });
    const startAgain = await post(uk, eu, toConsumer(done, 'start'), transferStartMessage({ ...pids, dataAddress: done.consumer.dataAddress }));
    expect(startAgain).toMatchObject({ status: 200, body: { '@type': 'TransferProcess', state: 'COMPLETED', ...pids } });
    await expectUnchanged(done);
  });

  it('refuses completion, suspension, start and a termination with another reason once TERMINATED', async () => {
    const { pids } = await startedTransfer();
    unwrap(await uk.connector.dsp.transfers.terminate(pids.providerPid, { code: 'ADMIN_STOP' }));
    await federation.settle();
    const ended = await sides(pids.consumerPid);
    expect([ended.consumer.state, ended.provider.state]).toEqual(['TERMINATED', 'TERMINATED']);
    await expectIllegal(ended, [
      [eu, uk, toProvider(ended, 'completion'), transferCompletionMessage(pids)],
      [eu, uk, toProvider(ended, 'suspension'), transferSuspensionMessage(pids)],
      [eu, uk, toProvider(ended, 'start'), transferStartMessage(pids)],
      [eu, uk, toProvider(ended, 'termination'), transferTerminationMessage({ ...pids, code: 'CONSUMER_STOP' })],
      [uk, eu, toConsumer(ended, 'completion'), transferCompletionMessage(pids)],
      [uk, eu, toConsumer(ended, 'suspension'), transferSuspensionMessage(pids)],
      [uk, eu, toConsumer(ended, 'start'), transferStartMessage(pids)],
      [uk, eu, toConsumer(ended, 'termination'), transferTerminationMessage({ ...pids, code: 'SECOND_THOUGHTS' })],
    ]);
    await expectUnchanged(ended);
  });

  it('refuses a start sent to the provider of a STARTED transfer, and completion or a second suspension while SUSPENDED', async () => {
    const running = await startedTransfer();
    await expectIllegal(running, [[eu, uk, toProvider(running, 'start'), transferStartMessage(running.pids)]]);
    await expectUnchanged(running);
    unwrap(await uk.connector.dsp.transfers.suspend(running.pids.providerPid, { code: 'MAINTENANCE' }));
    await federation.settle();
    const paused = await sides(running.pids.consumerPid);
    expect([paused.consumer.state, paused.provider.state]).toEqual(['SUSPENDED', 'SUSPENDED']);
    await expectIllegal(paused, [
      [eu, uk, toProvider(paused, 'completion'), transferCompletionMessage(paused.pids)],
      [uk, eu, toConsumer(paused, 'completion'), transferCompletionMessage(paused.pids)],
      [eu, uk, toProvider(paused, 'suspension'), transferSuspensionMessage({ ...paused.pids, code: 'ME_TOO' })],
    ]);
    await expectUnchanged(paused);
  });

  it('refuses a transfer request repeated with another body for an existing consumerPid', async () => {
    const running = await startedTransfer();
    const request = transferRequestMessage({ consumerPid: running.pids.consumerPid, agreementId, format: 'HttpData-PULL', callbackAddress: `${base(eu)}/elsewhere` });
    const answer = await post(eu, uk, '/transfers/request', request);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ...ILLEGAL, consumerPid: running.pids.consumerPid });
    await expectUnchanged(running);
    const listed = unwrap(await uk.connector.dsp.transfers.list({ counterpartyDid: eu.connector.did }));
    expect(listed.items.filter((t) => t.consumerPid === running.pids.consumerPid)).toHaveLength(1);
  });
});

describe('DSP transfer refusals over HTTP: a message answering ours that was never sent', () => {
  it('refuses a completion or suspension while the provider\'s start is still queued (400), then takes them once it went out', async () => {
    const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
    await federation.step(eu); // the request only: the provider has queued its start, not sent it
    const queued = await sides(requested.id);
    expect([queued.consumer.state, queued.provider.state, queued.provider.pending?.message]).toEqual(['REQUESTED', 'REQUESTED', 'TransferStartMessage']);
    await expectIllegal(queued, [
      [eu, uk, toProvider(queued, 'completion'), transferCompletionMessage(queued.pids)],
      [eu, uk, toProvider(queued, 'suspension'), transferSuspensionMessage({ ...queued.pids, code: 'EARLY' })],
    ]);
    await expectUnchanged(queued);
    await federation.settle();
    expect(await states(requested.id)).toEqual(['STARTED', 'STARTED']);
    unwrap(await eu.connector.dsp.transfers.complete(requested.id));
    await federation.settle();
    expect(await states(requested.id)).toEqual(['COMPLETED', 'COMPLETED']);
  });
});

describe('DSP transfer refusals over HTTP: which process, and who asks', () => {
  it('answers 404 for an unknown pid and for the transfer of another participant, changing nothing', async () => {
    const running = await startedTransfer();
    const unknown = 'urn:uuid:00000000-0000-4000-8000-00000000dead';
    const missing = await post(eu, uk, `/transfers/${encodeURIComponent(unknown)}/completion`, transferCompletionMessage({ providerPid: unknown, consumerPid: running.pids.consumerPid }));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRANSFER_NOT_FOUND' });
    // Canada is a member too, but not the counterparty: it learns nothing, not even that the process exists.
    const foreignGet = unwrap(await ca.connector.trust.client.get(`${base(uk)}/transfers/${encodeURIComponent(running.pids.providerPid)}`, uk.connector.did));
    expect(foreignGet.status).toBe(404);
    expect(foreignGet.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRANSFER_NOT_FOUND' });
    for (const [path, body] of [
      [toProvider(running, 'termination'), transferTerminationMessage({ ...running.pids, code: 'HIJACK' })],
      [toProvider(running, 'suspension'), transferSuspensionMessage(running.pids)],
      [toProvider(running, 'completion'), transferCompletionMessage(running.pids)],
    ] as const) {
      const foreign = await post(ca, uk, path, body);
      expect({ path, status: foreign.status }).toEqual({ path, status: 404 });
      expect(foreign.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRANSFER_NOT_FOUND' });
    }
    const foreignToConsumer = await post(ca, eu, toConsumer(running, 'termination'), transferTerminationMessage(running.pids));
    expect(foreignToConsumer).toMatchObject({ status: 404, body: { '@type': 'TransferError', code: 'SOV_TRANSFER_NOT_FOUND' } });
    // The counterparty, naming our process with a consumerPid that is not its own, is no better off.
    const wrongPartner = await post(eu, uk, toProvider(running, 'suspension'), transferSuspensionMessage({ ...running.pids, consumerPid: 'urn:uuid:not-this-one' }));
    expect(wrongPartner).toMatchObject({ status: 404, body: { '@type': 'TransferError', code: 'SOV_TRANSFER_NOT_FOUND' } });
    await expectUnchanged(running);
  });

  it('answers 400 SOV_TRANSFER_PID_MISMATCH when the path pid contradicts the body, changing nothing', async () => {
    const one = await startedTransfer();
    const other = await startedTransfer();
    // The path names `one`, the body names `other`: neither moves.
    const crossed = await post(eu, uk, toProvider(one, 'completion'), transferCompletionMessage(other.pids));
    expect(crossed.status).toBe(400);
    expect(crossed.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRANSFER_PID_MISMATCH', ...other.pids });
    const toConsumerSide = await post(uk, eu, toConsumer(one, 'suspension'), transferSuspensionMessage(other.pids));
    expect(toConsumerSide).toMatchObject({ status: 400, body: { '@type': 'TransferError', code: 'SOV_TRANSFER_PID_MISMATCH' } });
    await expectUnchanged(one);
    await expectUnchanged(other);
  });

  it('answers 400 for malformed JSON, a wrong @type and a missing DSP context; 413 for an oversized body', async () => {
    const running = await startedTransfer();
    const completion = toProvider(running, 'completion');
    const malformed = await rawPost(eu, uk, completion, '{"@context": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_HTTP_MALFORMED_JSON' });
    const malformedRequest = await rawPost(eu, uk, '/transfers/request', '{"@type": "TransferRequestMessage",');
    expect(malformedRequest).toMatchObject({ status: 400, body: { '@type': 'TransferError', code: 'SOV_HTTP_MALFORMED_JSON' } });
    const wrongType = await post(eu, uk, completion, { ...transferCompletionMessage(running.pids), '@type': 'TransferSuspensionMessage' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_DSP_WRONG_TYPE', ...running.pids });
    const { '@context': _context, ...contextless } = transferCompletionMessage(running.pids);
    const missingContext = await post(eu, uk, completion, contextless);
    expect(missingContext.status).toBe(400);
    expect(missingContext.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_DSP_MISSING_CONTEXT', ...running.pids });
    const request = transferRequestMessage({ consumerPid: 'urn:uuid:oversized-transfer', agreementId, format: 'HttpData-PULL', callbackAddress: base(eu) });
    const huge = JSON.stringify({ ...request, padding: 'x'.repeat(uk.connector.config.limits.dspBodyBytes) });
    const oversized = await rawPost(eu, uk, '/transfers/request', huge);
    expect(oversized.status).toBe(413);
    expect(oversized.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_PAYLOAD_TOO_LARGE' });
    await expectUnchanged(running);
    const listed = unwrap(await uk.connector.dsp.transfers.list({ counterpartyDid: eu.connector.did }));
    expect(listed.items.map((t) => t.consumerPid)).not.toContain('urn:uuid:oversized-transfer');
  });

  it('answers 401 for a missing, a replayed and a wrong-audience token, and neither creates nor moves a transfer', async () => {
    const running = await startedTransfer();
    const completion = toProvider(running, 'completion');
    const completionBody = JSON.stringify(transferCompletionMessage(running.pids));
    const missing = await rawPost(eu, uk, completion, completionBody, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body).toMatchObject({ '@type': 'TransferError', code: 'SOV_TRUST_TOKEN_MISSING' });
    const wrongAudience = await rawPost(eu, uk, completion, completionBody, { audience: ca.connector.did });
    expect(wrongAudience).toMatchObject({ status: 401, body: { '@type': 'TransferError', code: 'SOV_TRUST_TOKEN_WRONG_AUDIENCE' } });
    await expectUnchanged(running);

    const consumerPid = 'urn:uuid:transfer-token-tests';
    const requestBody = JSON.stringify(transferRequestMessage({ consumerPid, agreementId, format: 'HttpData-PULL', callbackAddress: base(eu) }));
    const noToken = await rawPost(eu, uk, '/transfers/request', requestBody, { token: null });
    expect(noToken).toMatchObject({ status: 401, body: { '@type': 'TransferError', code: 'SOV_TRUST_TOKEN_MISSING' } });
    const url = `${base(uk)}/transfers/request`;
    const token = await issueCallerToken({ signer: eu.connector.kms, callerDid: eu.connector.did, audienceDid: uk.connector.did, request: { method: 'POST', url, body: requestBody }, clock: federation.clock, ids: uuidGenerator });
    const first = await rawPost(eu, uk, '/transfers/request', requestBody, { token });
    expect(first).toMatchObject({ status: 201, body: { '@type': 'TransferProcess', consumerPid, state: 'REQUESTED' } });
    const replayed = await rawPost(eu, uk, '/transfers/request', requestBody, { token });
    expect(replayed).toMatchObject({ status: 401, body: { '@type': 'TransferError', code: 'SOV_TRUST_TOKEN_REPLAYED' } });
    const listed = unwrap(await uk.connector.dsp.transfers.list({ counterpartyDid: eu.connector.did }));
    expect(listed.items.filter((t) => t.consumerPid === consumerPid)).toHaveLength(1);
  });
});

type Terminator = 'consumer' | 'provider';

/** Brings a fresh transfer to `state` with nothing of either side's left in the outbox (REQUESTED: see the provider case). */
async function transferIn(state: 'STARTED' | 'SUSPENDED'): Promise<Sides> {
  const running = await startedTransfer();
  if (state === 'STARTED') return running;
  unwrap(await eu.connector.dsp.transfers.suspend(running.pids.consumerPid, { code: 'PAUSE' }));
  await federation.settle();
  expect(await states(running.pids.consumerPid)).toEqual(['SUSPENDED', 'SUSPENDED']);
  return sides(running.pids.consumerPid);
}

async function terminateBy(who: Terminator, s: Sides, why: { code: string; reason: string[] }) {
  const done = who === 'consumer' ? await eu.connector.dsp.transfers.terminate(s.pids.consumerPid, why) : await uk.connector.dsp.transfers.terminate(s.pids.providerPid, why);
  unwrap(done);
  await federation.settle();
}

async function expectTerminatedBy(who: Terminator, consumerPid: string, why: { code: string; reason: string[] }) {
  const ended = await sides(consumerPid);
  expect([ended.consumer.state, ended.provider.state]).toEqual(['TERMINATED', 'TERMINATED']);
  const receiver = who === 'consumer' ? ended.provider : ended.consumer;
  expect(receiver.termination).toMatchObject({ by: who, ...why });
  expect(receiver.pending).toBeUndefined();
  expect((who === 'consumer' ? ended.consumer : ended.provider).termination).toMatchObject({ by: who, code: why.code });
}

describe('DSP transfer termination by either side over HTTP', () => {
  it.each([
    ['consumer', 'STARTED'],
    ['provider', 'STARTED'],
    ['consumer', 'SUSPENDED'],
    ['provider', 'SUSPENDED'],
  ] as const)('the %s terminates in %s: both sides end TERMINATED with its code and reason', async (who, state) => {
    const s = await transferIn(state);
    const why = { code: `${who.toUpperCase()}_ENDS_${state}`, reason: [`${who} ended it while ${state}`] };
    await terminateBy(who, s, why);
    await expectTerminatedBy(who, s.pids.consumerPid, why);
  });

  it('the consumer terminates in REQUESTED (the provider\'s start still queued): both sides end TERMINATED, the start is never delivered', async () => {
    const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
    await federation.step(eu);
    const s = await sides(requested.id);
    expect([s.consumer.state, s.provider.state, s.provider.pending?.message]).toEqual(['REQUESTED', 'REQUESTED', 'TransferStartMessage']);
    const why = { code: 'CONSUMER_ENDS_REQUESTED', reason: ['no longer needed'] };
    await terminateBy('consumer', s, why);
    await expectTerminatedBy('consumer', requested.id, why);
    expect((await sides(requested.id)).consumer.dataAddress).toBeUndefined();
  });

  it('the provider terminates in REQUESTED (before its start is sent): both sides end TERMINATED, the start is never delivered', async () => {
    const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
    await federation.step(eu); // the request only: the provider has queued its start, not sent it
    const s = await sides(requested.id);
    expect([s.consumer.state, s.provider.state]).toEqual(['REQUESTED', 'REQUESTED']);
    const why = { code: 'PROVIDER_ENDS_REQUESTED', reason: ['dataset withdrawn'] };
    await terminateBy('provider', s, why);
    await expectTerminatedBy('provider', requested.id, why);
    expect((await sides(requested.id)).consumer.dataAddress).toBeUndefined();
  });
});
