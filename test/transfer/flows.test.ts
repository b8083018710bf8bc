import { describe, expect, it } from 'vitest';
import * as dsp from '../../src/dsp/index.js';
import * as tp from '../../src/transfer/index.js';
import { CONSUMER_DID } from '../negotiation/harness.js';
import { deliverTransfer, finalizedPair, onlyTransfer, routeTransfer, settleTransfers, SINK, SOURCE, type TSide } from './harness.js';

function code(result: { ok: boolean; code?: string }) {
  return result.ok ? 'ok' : result.code;
}

async function started(format = 'HttpData-PULL', options = {}) {
  const pair = await finalizedPair(options);
  const requested = await tp.requestTransfer(pair.consumer.deps, { agreementId: pair.agreementId, format, ...(format.endsWith('PUSH') ? { dataAddress: SINK } : {}) });
  if (!requested.ok) throw new Error(requested.detail);
  return pair;
}

const states = async (a: TSide, b: TSide) => [(await onlyTransfer(a)).state, (await onlyTransfer(b)).state];

describe('transfer process flows', () => {
  it('pull: request → start with the provider data address → completion', async () => {
    const { provider, consumer } = await started();
    expect(consumer.repo.outbox[0]?.url).toBe('https://uk.example/dsp/transfers/request');
    const ack = await deliverTransfer(consumer, provider);
    expect(ack.ok && [ack.value.status, ack.value.ack.state]).toEqual([201, 'REQUESTED']);
    await deliverTransfer(provider, consumer);
    const c = await onlyTransfer(consumer);
    expect([c.state, c.dataAddress]).toEqual(['STARTED', SOURCE]);
    expect((await tp.completeTransfer(consumer.deps, c.id)).ok).toBe(true);
    await deliverTransfer(consumer, provider);
    expect(await states(consumer, provider)).toEqual(['COMPLETED', 'COMPLETED']);
    const p = await onlyTransfer(provider);
    expect(provider.dataPlaneCalls).toEqual([`start:${p.id}`, `stop:completed:${p.id}`]);
    expect(p.decision?.permitted).toBe(true);
  });

  it('push: the consumer sink travels in the request and the start carries no address', async () => {
    const { provider, consumer } = await started('HttpData-PUSH');
    await settleTransfers(consumer, provider);
    expect((await onlyTransfer(provider)).dataAddress).toEqual(SINK);
    expect(await states(consumer, provider)).toEqual(['STARTED', 'STARTED']);
  });

  it('suspends (provider), resumes (consumer via the provider start endpoint) and completes (provider)', async () => {
    const { provider, consumer } = await started();
    await settleTransfers(consumer, provider);
    const p = await onlyTransfer(provider);
    expect((await tp.suspendTransfer(provider.deps, p.id, { code: 'MAINTENANCE', reason: ['window'] })).ok).toBe(true);
    await deliverTransfer(provider, consumer);
    expect((await onlyTransfer(consumer)).suspension).toMatchObject({ by: 'provider', code: 'MAINTENANCE' });
    expect((await tp.resumeTransfer(consumer.deps, (await onlyTransfer(consumer)).id)).ok).toBe(true);
    expect(consumer.repo.outbox[0]?.url).toBe(`https://uk.example/dsp/transfers/${encodeURIComponent(p.id)}/start`);
    await deliverTransfer(consumer, provider);
    expect(await states(consumer, provider)).toEqual(['STARTED', 'STARTED']);
    await tp.completeTransfer(provider.deps, p.id);
    await deliverTransfer(provider, consumer);
    expect(await states(consumer, provider)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(provider.dataPlaneCalls.map((c) => c.split(':').slice(0, 2).join(':'))).toEqual(['start:urn', 'stop:suspended', 'start:urn', 'stop:completed']);
  });

  it('lets the provider resume with a fresh start message', async () => {
    const { provider, consumer } = await started();
    await settleTransfers(consumer, provider);
    await tp.suspendTransfer(consumer.deps, (await onlyTransfer(consumer)).id);
    await deliverTransfer(consumer, provider);
    await tp.resumeTransfer(provider.deps, (await onlyTransfer(provider)).id);
    expect(provider.repo.outbox[0]?.body.dataAddress).toEqual(SOURCE);
    await deliverTransfer(provider, consumer);
    expect(await states(consumer, provider)).toEqual(['STARTED', 'STARTED']);
  });

  const terminations = (['REQUESTED', 'STARTED', 'SUSPENDED'] as const).flatMap((state) => (['consumer', 'provider'] as const).map((by) => ({ state, by })));

  it.each(terminations)('terminates in $state by the $by', async ({ state, by }) => {
    const { provider, consumer } = await started();
    await deliverTransfer(consumer, provider);
    if (state === 'REQUESTED') provider.repo.outbox.length = 0;
    else await deliverTransfer(provider, consumer);
    if (state === 'SUSPENDED') {
      await tp.suspendTransfer(provider.deps, (await onlyTransfer(provider)).id);
      await deliverTransfer(provider, consumer);
    }
    const [self, other] = by === 'consumer' ? [consumer, provider] : [provider, consumer];
    expect((await tp.terminateTransfer(self.deps, (await onlyTransfer(self)).id, { code: 'STOP', reason: ['enough'] })).ok).toBe(true);
    await deliverTransfer(self, other);
    expect(await states(self, other)).toEqual(['TERMINATED', 'TERMINATED']);
    expect((await onlyTransfer(other)).termination).toMatchObject({ by, code: 'STOP' });
  });
});

describe('transfer refusals', () => {
  it('refuses a request under an agreement the caller does not hold, with the reason', async () => {
    const { provider, consumer, agreementId } = await finalizedPair();
    const request = (id: string, format = 'HttpData-PULL') =>
      dsp.transferRequestMessage({ consumerPid: 'urn:uuid:c-x', agreementId: id, format, callbackAddress: 'https://ca.example/dsp' });
    expect(code(await tp.onTransferRequest(provider.deps, consumer.neg.caller, request('urn:uuid:none')))).toBe('SOV_TRANSFER_AGREEMENT_NOT_HELD');
    const stranger = { did: 'did:web:stranger.example', claims: {} };
    expect(code(await tp.onTransferRequest(provider.deps, stranger, request(agreementId)))).toBe('SOV_TRANSFER_AGREEMENT_NOT_HELD');
    const unsupported = await tp.onTransferRequest(provider.deps, consumer.neg.caller, request(agreementId, 'Kafka-PUSH'));
    expect(unsupported.ok ? null : [unsupported.code, unsupported.data?.supported]).toEqual(['SOV_TRANSFER_FORMAT_UNSUPPORTED', ['HttpData-PULL', 'HttpData-PUSH']]);
    expect(code(await tp.onTransferRequest(provider.deps, consumer.neg.caller, request(agreementId, 'HttpData-PUSH')))).toBe('SOV_TRANSFER_DATA_ADDRESS_REQUIRED');
    expect(provider.repo.records.size).toBe(0);
  });

  it('refuses a request once the agreement policy no longer holds, naming the constraint', async () => {
    const { provider, consumer, agreementId } = await finalizedPair({ limit: 1 });
    await tp.requestTransfer(consumer.deps, { agreementId, format: 'HttpData-PULL' });
    await settleTransfers(consumer, provider);
    await tp.requestTransfer(consumer.deps, { agreementId, format: 'HttpData-PULL' });
    const refused = await deliverTransfer(consumer, provider);
    expect(refused.ok ? null : refused.code).toBe('SOV_TRANSFER_POLICY_REFUSED');
    expect(refused.ok ? null : refused.data?.reasons).toEqual([expect.objectContaining({ code: 'ODRL_COUNT_EXCEEDED', constraint: 'permission[0].constraint[0]' })]);
  });

  it('will not request under an agreement we do not hold, nor push without a sink', async () => {
    const { consumer, agreementId } = await finalizedPair();
    expect(code(await tp.requestTransfer(consumer.deps, { agreementId: 'urn:uuid:none', format: 'HttpData-PULL' }))).toBe('SOV_TRANSFER_AGREEMENT_NOT_HELD');
    expect(code(await tp.requestTransfer(consumer.deps, { agreementId, format: 'HttpData-PUSH' }))).toBe('SOV_TRANSFER_DATA_ADDRESS_REQUIRED');
  });

  it('refuses a pull start without a data address', async () => {
    const { provider, consumer } = await started('HttpData-PULL', { pullWithoutAddress: true });
    await deliverTransfer(consumer, provider).then((r) => expect(code(r)).toBe('SOV_TRANSFER_DATA_PLANE_FAILED'));
    const c = await onlyTransfer(consumer);
    const start = dsp.transferStartMessage({ providerPid: 'urn:uuid:p', consumerPid: c.id });
    await tp.confirmTransferDelivery(consumer.deps, c.id, c.pending!.outboxId, { providerPid: 'urn:uuid:p', consumerPid: c.id });
    const result = await tp.onConsumerTransferStart(consumer.deps, provider.neg.caller, start, c.id);
    expect(code(result)).toBe('SOV_TRANSFER_DATA_ADDRESS_REQUIRED');
  });

  it('answers illegal messages with 400 and unknown or foreign processes with 404, changing nothing', async () => {
    const { provider, consumer } = await started();
    await settleTransfers(consumer, provider);
    await tp.suspendTransfer(consumer.deps, (await onlyTransfer(consumer)).id);
    await deliverTransfer(consumer, provider);
    const p = await onlyTransfer(provider);
    const pids = { providerPid: p.id, consumerPid: p.consumerPid! };
    const commits = provider.repo.commits;
    const completion = await tp.onProviderTransferCompletion(provider.deps, consumer.neg.caller, dsp.transferCompletionMessage(pids));
    expect(completion.ok ? null : completion.data).toMatchObject({ from: 'SUSPENDED', message: 'TransferCompletionMessage', sender: 'consumer' });
    expect(code(await tp.onProviderTransferSuspension(provider.deps, consumer.neg.caller, dsp.transferSuspensionMessage({ ...pids, code: 'again' })))).toBe('SOV_TRANSFER_ILLEGAL_TRANSITION');
    const stranger = { did: 'did:web:stranger.example', claims: {} };
    expect(code(await tp.onProviderTransferTermination(provider.deps, stranger, dsp.transferTerminationMessage(pids)))).toBe('SOV_TRANSFER_NOT_FOUND');
    expect(code(await tp.onProviderTransferTermination(provider.deps, consumer.neg.caller, dsp.transferTerminationMessage(pids), 'urn:uuid:x'))).toBe('SOV_TRANSFER_PID_MISMATCH');
    expect(code(await tp.transferStateFor(provider.deps, stranger, 'provider', p.id))).toBe('SOV_TRANSFER_NOT_FOUND');
    expect(code(await tp.transferStateFor(provider.deps, { did: CONSUMER_DID, claims: {} }, 'provider', p.id))).toBe('ok');
    expect(provider.repo.commits).toBe(commits);
    expect(code(await tp.onProviderTransferTermination(provider.deps, consumer.neg.caller, dsp.transferTerminationMessage(pids)))).toBe('ok');
    const restart = await tp.onProviderTransferStart(provider.deps, consumer.neg.caller, dsp.transferStartMessage(pids));
    expect(restart.ok ? null : restart.data).toMatchObject({ from: 'TERMINATED', message: 'TransferStartMessage' });
  });

  it('takes a completion as proof of our start only once the start has left the outbox', async () => {
    const { provider, consumer } = await started();
    await deliverTransfer(consumer, provider);
    const p = await onlyTransfer(provider);
    expect([p.state, p.pending?.message]).toEqual(['REQUESTED', 'TransferStartMessage']);
    const completion = dsp.transferCompletionMessage({ providerPid: p.id, consumerPid: p.consumerPid! });
    const commits = provider.repo.commits;
    expect(code(await tp.onProviderTransferCompletion(provider.deps, consumer.neg.caller, completion))).toBe('SOV_TRANSFER_ILLEGAL_TRANSITION');
    expect(provider.repo.commits).toBe(commits);
    // The start is sent and the consumer acts on it, but its ACK is not recorded yet: the completion implies it.
    expect((await routeTransfer(provider.repo.outbox.shift()!, consumer, provider)).ok).toBe(true);
    expect(code(await tp.onProviderTransferCompletion(provider.deps, consumer.neg.caller, completion))).toBe('ok');
    expect((await onlyTransfer(provider)).state).toBe('COMPLETED');
  });

  it('answers a repeated request with the same ACK and, once started, the start message again', async () => {
    const { provider, consumer } = await started();
    const request = consumer.repo.outbox[0]!;
    await deliverTransfer(consumer, provider);
    await deliverTransfer(provider, consumer);
    const again = await routeTransfer(request, provider, consumer);
    expect(again.ok && [again.value.status, again.value.replayed, again.value.ack.state]).toEqual([201, true, 'STARTED']);
    expect(provider.repo.records.size).toBe(1);
    const resent = await deliverTransfer(provider, consumer);
    expect(resent.ok && resent.value.replayed).toBe(true);
    expect((await onlyTransfer(consumer)).state).toBe('STARTED');
  });
});
