import { describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../../src/clock/index.js';
import { issueTransferToken, keyReleaseOfPolicy, loadBulkCrypto, verifyTransferToken } from '../../../src/dataplane/index.js';
import { makeParty } from '../support.js';

const provider = 'did:web:uk.example';
const consumer = 'did:web:eu.example';

async function setup() {
  const party = await makeParty('uk');
  const crypto = await loadBulkCrypto();
  const issued = await issueTransferToken({ kms: party.kms, clock: party.clock, ids: uuidGenerator, issuerDid: provider, consumerDid: consumer, transferId: 'urn:uuid:t1', agreementId: 'urn:uuid:a1', ttlMs: 60_000 });
  const check = (over: Partial<Parameters<typeof verifyTransferToken>[1]> = {}, token = issued.token) =>
    verifyTransferToken(token, { crypto, keys: party.kms.verificationKeys(), clock: party.clock, issuerDid: provider, transferId: 'urn:uuid:t1', callerDid: consumer, ...over });
  return { party, issued, check };
}

const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'valid' : r.code);

describe('transfer token', () => {
  it('verifies for its transfer and holder, and names both', async () => {
    const { issued, check } = await setup();
    const verified = check();
    expect(verified.ok && verified.value).toMatchObject({ iss: provider, sub: consumer, tid: 'urn:uuid:t1', agr: 'urn:uuid:a1', jti: issued.claims.jti });
  });

  it('is refused for another transfer, another caller, another issuer, after expiry, or altered', async () => {
    const { party, issued, check } = await setup();
    expect(codeOf(check({ transferId: 'urn:uuid:t2' }))).toBe('SOV_DATAPLANE_TOKEN_FOREIGN');
    expect(codeOf(check({ callerDid: 'did:web:ca.example' }))).toBe('SOV_DATAPLANE_TOKEN_FOREIGN');
    expect(codeOf(check({ issuerDid: 'did:web:other.example' }))).toBe('SOV_DATAPLANE_TOKEN_INVALID');
    const [body, signature] = issued.token.split('.') as [string, string];
    const forgedClaims = Buffer.from(JSON.stringify({ ...issued.claims, sub: 'did:web:ca.example' })).toString('base64url');
    expect(codeOf(check({ callerDid: 'did:web:ca.example' }, `${forgedClaims}.${signature}`))).toBe('SOV_DATAPLANE_TOKEN_INVALID');
    const flipped = Buffer.from(signature, 'base64url');
    flipped[10] = (flipped[10] as number) ^ 0x01;
    expect(codeOf(check({}, `${body}.${flipped.toString('base64url')}`))).toBe('SOV_DATAPLANE_TOKEN_INVALID');
    expect(codeOf(check({}, 'not-a-token'))).toBe('SOV_DATAPLANE_TOKEN_INVALID');
    party.clock.advance(60_000);
    expect(codeOf(check())).toBe('SOV_DATAPLANE_TOKEN_EXPIRED');
  });

  it('a pull token never stands in for a push sink token, nor the other way round', async () => {
    const { party, issued, check } = await setup();
    expect(codeOf(check({ kind: 'sink' }))).toBe('SOV_DATAPLANE_TOKEN_INVALID');
    // The consumer's token for its sink: the same form, issued to the provider, of another type.
    const sink = await issueTransferToken({ kms: party.kms, clock: party.clock, ids: uuidGenerator, issuerDid: provider, consumerDid: consumer, transferId: 'urn:uuid:t1', agreementId: 'urn:uuid:a1', ttlMs: 60_000, kind: 'sink' });
    expect(sink.claims.typ).toBe('SovSinkToken');
    expect(codeOf(check({ kind: 'sink' }, sink.token))).toBe('valid');
    expect(codeOf(check({}, sink.token))).toBe('SOV_DATAPLANE_TOKEN_INVALID');
    expect(issued.claims.typ).toBe('SovTransferToken');
  });

  it('still verifies after the provider rotates its signing key', async () => {
    const { party, check } = await setup();
    await party.kms.rotate('signing');
    expect(codeOf(check({ keys: party.kms.verificationKeys() }))).toBe('valid');
  });
});

describe('key-release mode from the offer policy', () => {
  it('is owner-held only when the policy says so, in any of its spellings', () => {
    expect(keyReleaseOfPolicy(undefined)).toBe('handover');
    expect(keyReleaseOfPolicy({ permission: [] })).toBe('handover');
    expect(keyReleaseOfPolicy({ 'sov:keyRelease': 'owner-held' })).toBe('owner-held');
    expect(keyReleaseOfPolicy({ keyRelease: { '@value': 'owner-held' } })).toBe('owner-held');
    expect(keyReleaseOfPolicy({ 'https://w3id.org/sovereign-connector/vocab#keyRelease': 'owner-held' })).toBe('owner-held');
    expect(keyReleaseOfPolicy({ 'sov:keyRelease': 'something-else' })).toBe('handover');
  });
});
