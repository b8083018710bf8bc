/**
 * Push transfers that outlive the credentials issued at their start, and retried deliveries
 * (docs/format.md §6): fresh credentials only while the policy holds, one audited release per
 * envelope.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pattern } from '../dataplane/support.js';
import { dataPlaneFederation, type DataPlaneFederation } from '../dataplane/transfer/federation.js';
import { pushFixture } from '../dataplane/transfer/push-fixture.js';

let federation: DataPlaneFederation;
const HOUR = 60 * 60_000;

beforeAll(async () => {
  federation = await dataPlaneFederation();
}, 60_000);
afterAll(() => federation.stopAll());

const { dataKeys, prepared, push, expectNothingKept, expectReceivedIntact } = pushFixture(() => federation);

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
