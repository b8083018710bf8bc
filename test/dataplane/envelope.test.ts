import { beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import {
  issueKeyEnvelope, loadBulkCrypto, openContainer, openKeyEnvelope,
  type BulkCrypto, type IssueEnvelopeOptions, type KeyEnvelope, type OpenEnvelopeOptions,
} from '../../src/dataplane/index.js';
import { collect, makeParty, pattern, pieces, seal, type Party, type Sealed } from './support.js';

let crypto: BulkCrypto;
let uk: Party;
let ca: Party;
let au: Party;
let mallory: Party;
let sealed: Sealed;
const data = pattern(5000, 3);
const HOUR = 3_600_000;

beforeAll(async () => {
  crypto = await loadBulkCrypto();
  [uk, ca, au, mallory] = (await Promise.all(['uk', 'ca', 'au', 'mallory'].map((name) => makeParty(name)))) as [Party, Party, Party, Party];
  sealed = await seal(uk, crypto, data);
});

function issueOpts(overrides: Partial<IssueEnvelopeOptions> = {}): IssueEnvelopeOptions {
  const agreementKey = ca.kms.activeAgreementKey();
  return {
    kms: uk.kms, clock: uk.clock, issuerDid: uk.did, dataKeyId: sealed.dataKeyId,
    recipient: { did: ca.did, keyId: `${ca.did}#${agreementKey.keyId}`, publicKey: agreementKey.publicKey },
    transferId: 'urn:uuid:transfer-1', agreementId: 'urn:uuid:agreement-1', datasetId: 'urn:uuid:ds-1',
    containerDigest: sealed.summary.digest, release: 'handover', ttlMs: HOUR, ...overrides,
  };
}

function openOpts(party: Party, overrides: Partial<OpenEnvelopeOptions> = {}): OpenEnvelopeOptions {
  return {
    kms: party.kms, crypto, clock: party.clock, issuerPublicKey: uk.kms.activeSigningKey().publicKey,
    expected: { transferId: 'urn:uuid:transfer-1', agreementId: 'urn:uuid:agreement-1', recipientDid: party.did, issuerDid: uk.did, containerDigest: sealed.summary.digest },
    ...overrides,
  };
}

const issue = async (overrides: Partial<IssueEnvelopeOptions> = {}) => unwrap(await issueKeyEnvelope(issueOpts(overrides)));
const reopen = (envelope: KeyEnvelope) => JSON.parse(JSON.stringify(envelope)) as unknown;

describe('key envelope: handover', () => {
  it('imports the data key into the recipient kms, which then decrypts the container', async () => {
    const envelope = await issue();
    expect(JSON.stringify(envelope)).not.toContain(Buffer.from(data.subarray(0, 16)).toString('base64url'));
    const opened = unwrap(await openKeyEnvelope(reopen(envelope), openOpts(ca)));
    expect(opened.release).toBe('handover');
    if (opened.release !== 'handover') return;
    expect(ca.kms.listKeys().find((k) => k.keyId === opened.dataKey.keyId)?.kind).toBe('data');
    const plaintext = await collect(openContainer(pieces(sealed.bytes), {
      crypto, dek: (use) => ca.kms.withDataKey(opened.dataKey.keyId, use), expectedSignerKey: uk.kms.activeSigningKey().publicKey,
    }));
    expect(plaintext.equals(data)).toBe(true);
  });
});

describe('key envelope: one-time release (owner-held)', () => {
  it('lends the key for a single open and never stores it', async () => {
    const before = ca.kms.listKeys().length;
    const opened = unwrap(await openKeyEnvelope(reopen(await issue({ release: 'one-time' })), openOpts(ca)));
    if (opened.release !== 'one-time') throw new Error('expected a one-time release');
    const plaintext = await collect(openContainer(pieces(sealed.bytes), { crypto, dek: opened.dek, expectedSignerKey: uk.kms.activeSigningKey().publicKey }));
    expect(plaintext.equals(data)).toBe(true);
    expect(ca.kms.listKeys().length).toBe(before);
    const again = await opened.dek(async () => 'used twice');
    expect(!again.ok && again.code).toBe('SOV_DATAPLANE_KEY_RELEASE_SPENT');
  });
});

describe('key envelope refusals', () => {
  it('refuses an envelope addressed to another recipient', async () => {
    const forAu = await issue({ recipient: { did: au.did, keyId: `${au.did}#k`, publicKey: au.kms.activeAgreementKey().publicKey } });
    const result = await openKeyEnvelope(reopen(forAu), openOpts(ca));
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_RECIPIENT');
  });

  it('cannot be opened by another party even if it claims to be the recipient', async () => {
    const envelope = await issue();
    const result = await openKeyEnvelope(reopen(envelope), openOpts(au, { expected: { ...openOpts(au).expected, recipientDid: ca.did } }));
    expect(!result.ok && result.code).toBe('SOV_KMS_SEALED_BOX_INVALID');
  });

  it('refuses an envelope for another transfer or agreement', async () => {
    const other = await openKeyEnvelope(reopen(await issue({ transferId: 'urn:uuid:transfer-2' })), openOpts(ca));
    expect(!other.ok && other.code).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_TRANSFER');
    const otherAgreement = await openKeyEnvelope(reopen(await issue({ agreementId: 'urn:uuid:agreement-9' })), openOpts(ca));
    expect(!otherAgreement.ok && otherAgreement.code).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_AGREEMENT');
  });

  it('refuses an envelope for another container', async () => {
    const result = await openKeyEnvelope(reopen(await issue({ containerDigest: new Uint8Array(32) })), openOpts(ca));
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_CONTAINER');
  });

  it('refuses an expired envelope (injected clock)', async () => {
    const envelope = await issue({ ttlMs: HOUR });
    ca.clock.set(uk.clock.now() + HOUR);
    const result = await openKeyEnvelope(reopen(envelope), openOpts(ca));
    ca.clock.set(uk.clock.now());
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_ENVELOPE_EXPIRED');
    expect((await openKeyEnvelope(reopen(envelope), openOpts(ca))).ok).toBe(true);
  });

  it('refuses an envelope signed by another key, even one naming the right issuer', async () => {
    const forged = unwrap(await issueKeyEnvelope({ ...issueOpts(), kms: mallory.kms, dataKeyId: (await mallory.kms.createDataKey('x')).keyId }));
    const result = await openKeyEnvelope(reopen(forged), openOpts(ca));
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_ENVELOPE_SIGNATURE_INVALID');
    const named = await openKeyEnvelope(reopen(unwrap(await issueKeyEnvelope({ ...issueOpts(), issuerDid: mallory.did }))), openOpts(ca));
    expect(!named.ok && named.code).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_ISSUER');
  });

  it.each([
    ['expiresAt', '2099-01-01T00:00:00.000Z'],
    ['transferId', 'urn:uuid:transfer-1 '],
    ['release', 'one-time'],
    ['sealedKey', 'A'.repeat(107)],
  ])('refuses an envelope whose %s was altered after signing', async (field, value) => {
    const tampered = { ...(reopen(await issue()) as Record<string, unknown>), [field]: value };
    const result = await openKeyEnvelope(tampered, openOpts(ca, { expected: { ...openOpts(ca).expected, transferId: tampered.transferId as string } }));
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_ENVELOPE_SIGNATURE_INVALID');
  });

  it('refuses a malformed envelope with the failing fields named', async () => {
    const { signature: _s, ...unsigned } = reopen(await issue()) as Record<string, unknown>;
    const result = await openKeyEnvelope({ ...unsigned, extra: 1 }, openOpts(ca));
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_ENVELOPE_MALFORMED');
    expect(!result.ok && result.detail).toContain('signature');
  });
});
