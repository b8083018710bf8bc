/**
 * Builders for repository tests: a negotiation record as the domain would commit it, and an
 * outbox entry for it.
 */
import type { OutboxEntry } from '../../../src/dsp/index.js';
import type { ContractNegotiation } from '../../../src/negotiation/index.js';

export const PEER = 'did:web:ca.example';

export function negotiation(id: string, overrides: Partial<ContractNegotiation> = {}): ContractNegotiation {
  return {
    id,
    role: 'provider',
    providerPid: id,
    consumerPid: `urn:uuid:consumer-of-${id}`,
    state: 'REQUESTED',
    counterpartyDid: PEER,
    counterpartyAddress: 'https://ca.example/dsp/callback',
    offer: { '@id': 'urn:sov:offer:one', '@type': 'Offer', target: 'urn:uuid:dataset-1', permission: [{ action: 'use' }] },
    offerBy: 'provider',
    proofs: {},
    received: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export function outboxEntry(id: string, localPid: string, createdAt = '2026-01-01T00:00:00.000Z'): OutboxEntry {
  return {
    id,
    process: 'negotiation',
    localPid,
    message: 'ContractAgreementMessage',
    url: `https://ca.example/dsp/callback/negotiations/${localPid}/agreement`,
    recipient: PEER,
    body: { '@type': 'ContractAgreementMessage', providerPid: localPid, nested: { list: [1, 'two', null] } },
    createdAt,
  };
}
