/**
 * Push transfers that outlive their credentials, a stop at each step, and a termination in the
 * middle of a delivery (docs/format.md §6): whatever happens, the consumer ends holding the
 * data with its container and key, or nothing, and neither side stays STARTED. Stops are
 * crash points in the consumer's database (crash-points.ts), never timing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatasetRecord } from '../../src/dataplane/index.js';
import { unwrap } from '../../src/errors/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import { crashAt, sinkSaved } from '../dataplane/transfer/crash-points.js';
import { agree, dataPlaneFederation, offer, restartParty, type DataPlaneFederation } from '../dataplane/transfer/federation.js';
import { pushFixture } from '../dataplane/transfer/push-fixture.js';

let federation: DataPlaneFederation;
const HOUR = 60 * 60_000;

beforeAll(async () => {
  federation = await dataPlaneFederation();
}, 60_000);
afterAll(() => federation.stopAll());

const { dataKeys, stateOf, receivedOf, prepared, push, expectNothingKept, expectReceivedIntact } = pushFixture(() => federation);

/** Audit entries of `party` about `subject` of `type`. */
const entriesOf = async (party: 'uk' | 'eu', type: string, subject: string) => (await federation[party].connector.audit.tail(500)).filter((e) => e.type === type && e.subjects.includes(subject));

/**
 * Runs `act` once around the first outbound call whose URL ends with `suffix` (global fetch:
 * the data planes' JSON calls) — `before` it is sent, or `after` its answer came back.
 */
function aroundCall(suffix: string, when: 'before' | 'after', act: () => Promise<void>) {
  const realFetch = globalThis.fetch;
  let done = false;
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    if (done || !String(input).endsWith(suffix)) return realFetch(input, init);
    done = true;
    if (when === 'before') await act();
    const answer = await realFetch(input, init);
    if (when === 'after') await act();
    return answer;
  });
}

/** The consumer terminates transfer `id`, and the provider's acknowledgement makes it TERMINATED on both sides (its sink closes). */
async function consumerTerminates(id: string): Promise<void> {
  unwrap(await federation.eu.connector.dsp.transfers.terminate(id, { code: 'SOV_TEST_ABANDONED', reason: ['the consumer gave up'] }));
  await federation.settle();
}

describe('a stop at any step of a push loses nothing', () => {
  it('stopped after the dataset was kept, before the sink said so: the repeated delivery only finishes, the container and key stay', async () => {
    const data = pattern(150_000, 40);
    const { dataset, transfer, providerPid } = await prepared(data);
    const keysBefore = dataKeys();
    const crash = crashAt(federation.eu.connector.db, sinkSaved('received'), 'before');
    // The consumer fails (500) once the dataset is kept; the provider asks again where the push
    // stands (stored) and delivers again.
    expect(await push(providerPid)).toBe('accepted');
    expect(crash.reached()).toBe(true);
    await expectReceivedIntact(transfer, dataset, data);
    expect(dataKeys()).toBe(keysBefore + 1);
  });

  it('stopped after the sink said received, before the completion: at the next start the transfer completes on both sides', async () => {
    const data = pattern(90_000, 41);
    const { dataset, transfer, providerPid } = await prepared(data);
    const crash = crashAt(federation.eu.connector.db, sinkSaved('received'), 'after');
    // Asked again after the consumer's failure, the sink says received: the provider is done.
    expect(await push(providerPid)).toBe('accepted');
    expect(crash.reached()).toBe(true);
    expect(await stateOf(federation.eu, transfer.id)).toBe('STARTED');
    await restartParty(federation, federation.eu);
    await federation.settle();
    await expectReceivedIntact(transfer, dataset, data);
  });

  it('stopped after the request was committed, before its sink was bound: at the next start the sink is bound and the push goes through', async () => {
    const { eu } = federation;
    const data = pattern(70_000, 42);
    const offering = await offer(federation.uk, 'coalition-open');
    const dataset = unwrap(await federation.uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
    const agreementId = await agree(federation, offering);
    crashAt(eu.connector.db, sinkSaved('open'), 'before');
    await expect(eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PUSH' })).rejects.toThrow(/crash point/);
    const requested = unwrap(await eu.connector.dsp.transfers.list({})).items.find((t) => t.agreementId === agreementId) as TransferProcess;
    await restartParty(federation, federation.eu);
    await federation.settle();
    const transfer = (await federation.eu.connector.dsp.transfers.get(requested.id)) as TransferProcess;
    expect(transfer.state).toBe('STARTED');
    expect(await push(transfer.providerPid as string)).toBe('accepted');
    await expectReceivedIntact(transfer, dataset, data);
  });

  it('stopped after the container was committed, before the sink said stored: it is verified again and counts as stored, not sent again', async () => {
    const { eu } = federation;
    const data = pattern(600_000, 43);
    const { dataset, transfer, providerPid } = await prepared(data);
    const crash = crashAt(eu.connector.db, sinkSaved('stored'), 'before');
    const wireBefore = eu.proxy.captured().length;
    // Asked again after the consumer's failure, the sink verifies what it holds and says stored.
    expect(await push(providerPid)).toBe('accepted');
    expect(crash.reached()).toBe(true);
    expect(eu.proxy.captured().length - wireBefore).toBeLessThan(data.length + 40_000);
    await expectReceivedIntact(transfer, dataset, data);
  });
});

describe('closing a sink waits for the call in progress', () => {
  it('terminated once the provider took our receipt, before the dataset is recorded: what is kept keeps its container and key', async () => {
    const { eu } = federation;
    const data = pattern(120_000, 44);
    const { dataset, transfer, providerPid } = await prepared(data);
    const keysBefore = dataKeys();
    const spy = aroundCall('/receipt', 'after', () => consumerTerminates(transfer.id));
    try {
      expect(await push(providerPid)).not.toBe('accepted');
    } finally {
      spy.mockRestore();
    }
    // Queued behind the one the termination asked for: once it returns, that one has run.
    await eu.connector.dataPlane.closeSink(transfer.id);
    expect(await stateOf(eu, transfer.id)).toBe('TERMINATED');
    // Our receipt reached the provider before the close: we keep what we signed for, whole.
    const received = (await receivedOf(transfer)) as DatasetRecord;
    expect(received.containerDigest).toBe(dataset.containerDigest);
    expect(await eu.connector.dataPlane.store.has(transfer.id)).toBe(true);
    expect(dataKeys()).toBe(keysBefore + 1);
    expect((await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).equals(data)).toBe(true);
  });

  it('terminated mid-upload: the close waits for the upload, then nothing is kept', async () => {
    const { eu } = federation;
    const { transfer, providerPid } = await prepared(pattern(1_000_000, 45));
    const keysBefore = dataKeys();
    const paused = eu.proxy.pauseRequestAfter(400_000, () => consumerTerminates(transfer.id));
    expect(await push(providerPid)).toBe('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE');
    await paused;
    await eu.connector.dataPlane.closeSink(transfer.id);
    await expectNothingKept(transfer, keysBefore);
  });
});

describe('the key release is audited once per envelope', () => {
  it('a delivery retried after a broken connection records one release', async () => {
    const data = pattern(50_000, 46);
    const { dataset, transfer, providerPid } = await prepared(data);
    const spy = aroundCall('/delivery', 'before', async () => {
      throw new TypeError('fetch failed: the connection was reset');
    });
    try {
      expect(await push(providerPid)).toBe('accepted');
    } finally {
      spy.mockRestore();
    }
    await expectReceivedIntact(transfer, dataset, data);
    expect(await entriesOf('uk', 'key.released', providerPid)).toHaveLength(1);
  });
});

// Last: these move the shared clock on by hours.
describe('a push that outlives the token and envelope issued at its start', () => {
  it('gets fresh ones, under the policy checked again and audited, and completes', async () => {
    const { uk } = federation;
    const data = pattern(80_000, 47);
    const { dataset, transfer, providerPid } = await prepared(data);
    const issued = await uk.connector.dataPlane.provider.outbound(providerPid);
    federation.clock.advance(2 * HOUR);
    expect(await push(providerPid)).toBe('accepted');
    await expectReceivedIntact(transfer, dataset, data);
    const renewed = await uk.connector.dataPlane.provider.outbound(providerPid);
    expect(renewed?.token.jti).not.toBe(issued?.token.jti);
    expect(Date.parse(renewed?.envelope?.expiresAt as string)).toBeGreaterThan(federation.clock.now());
    const decisions = (await entriesOf('uk', 'policy.decision', providerPid)).filter((e) => e.details['renewed'] !== undefined);
    expect(decisions.map((e) => e.details)).toEqual([expect.objectContaining({ permitted: true, renewed: 'transfer token and key envelope' })]);
    expect((await entriesOf('uk', 'key.released', providerPid)).map((e) => e.details['policyDecisionDigest'])).toEqual([decisions[0]?.digest]);
  });

  it('is refused when the agreement no longer permits it: no key leaves and the refusal is audited', async () => {
    const { uk } = federation;
    const data = pattern(40_000, 48);
    const { transfer, providerPid, dataset } = await prepared(data, undefined, 'time-limited', { days: 1 });
    const keysBefore = dataKeys();
    federation.clock.advance(25 * HOUR);
    expect(await push(providerPid)).toBe('SOV_DATAPLANE_POLICY_REFUSED');
    await expectNothingKept(transfer, keysBefore);
    expect(await entriesOf('uk', 'key.released', providerPid)).toHaveLength(0);
    const refusals = (await uk.connector.audit.tail(50)).filter((e) => e.type === 'policy.decision' && e.subjects.includes(dataset.offeringId));
    expect(refusals.map((e) => e.details['stage'])).toContain('transfer');
  });
});
