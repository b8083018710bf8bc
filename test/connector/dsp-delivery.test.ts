import { describe, expect, it } from 'vitest';
import { deliveryOf, type DeliveryCallbacks } from '../../src/connector/dsp-delivery.js';
import type { OutboxEntry } from '../../src/dsp/index.js';
import { ok } from '../../src/errors/index.js';

const callbacks: DeliveryCallbacks = {
  current: async () => ({ pending: { outboxId: 'o-1' } }),
  confirm: async () => ok({ delivered: true }),
  abandon: async () => ok(undefined),
};

const entry: OutboxEntry = {
  id: 'o-1', process: 'negotiation', localPid: 'urn:uuid:c-1', message: 'ContractRequestMessage',
  url: 'http://127.0.0.1:1/dsp/negotiations/request', recipient: 'did:web:provider.example', body: {}, createdAt: '2026-11-30T00:00:00Z',
};

/** What the worker decides after the peer answered `status` with `answer`. */
async function verdict(status: number, answer: unknown): Promise<'retry' | 'give up'> {
  const delivery = deliveryOf({
    client: { post: async () => ok({ status, headers: new Headers(), body: answer }) },
    callbacks: { negotiation: callbacks, transfer: callbacks },
  });
  const sent = await delivery.deliver(entry);
  if (sent.ok) throw new Error(`a ${status} was taken as delivered`);
  return delivery.isPermanent(sent) ? 'give up' : 'retry';
}

const refusal = (code: string) => ({ '@type': 'ContractNegotiationError', code, reason: ['…'] });

describe('DSP delivery: which refusals end a process', () => {
  it('retries a caller the peer does not authorize yet, as DSP answers it (404) or as a 403', async () => {
    expect(await verdict(404, refusal('SOV_TRUST_NOT_A_MEMBER'))).toBe('retry');
    expect(await verdict(404, refusal('SOV_TRUST_MEMBERSHIP_UNVERIFIABLE'))).toBe('retry');
    expect(await verdict(403, refusal('SOV_TRUST_MEMBERSHIP_REVOKED'))).toBe('retry');
  });

  it('gives up on an unknown process, an invalid transition and a policy refusal', async () => {
    expect(await verdict(404, refusal('SOV_NEG_NOT_FOUND'))).toBe('give up');
    expect(await verdict(404, undefined)).toBe('give up');
    expect(await verdict(400, refusal('SOV_NEG_ILLEGAL_TRANSITION'))).toBe('give up');
    expect(await verdict(403, refusal('SOV_TRANSFER_POLICY_REFUSED'))).toBe('give up');
  });

  it('retries an unreachable or failing peer', async () => {
    expect(await verdict(503, undefined)).toBe('retry');
    expect(await verdict(409, refusal('SOV_CONFLICT'))).toBe('retry');
  });
});
