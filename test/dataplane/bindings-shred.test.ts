import { beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import {
  createLibsodiumWrappersCrypto, createSodiumNativeCrypto, issueKeyEnvelope, loadBulkCrypto, type BulkCrypto,
} from '../../src/dataplane/index.js';
import { makeParty, pattern, seal, tryOpen, tryVerify, type Party } from './support.js';

let native: BulkCrypto;
let wasm: BulkCrypto;
let uk: Party;

beforeAll(async () => {
  native = createSodiumNativeCrypto();
  wasm = await createLibsodiumWrappersCrypto();
  uk = await makeParty('uk');
});

describe('either libsodium binding opens the other one\'s containers', () => {
  it.each([
    ['sodium-native', 'libsodium-wrappers'],
    ['libsodium-wrappers', 'sodium-native'],
  ])('written with %s, decrypted and verified with %s', async (writer, reader) => {
    const [w, r] = writer === 'sodium-native' ? [native, wasm] : [wasm, native];
    const data = pattern(10 * 1024 + 3, 11);
    const sealed = await seal(uk, w, data);
    const opened = await tryOpen(uk, r, sealed.bytes, sealed.dataKeyId);
    expect(opened.ok && opened.plaintext.equals(data)).toBe(true);
    expect((await tryVerify(r, sealed.bytes, uk.kms.activeSigningKey().publicKey)).ok).toBe(true);
    expect(r.binding).toBe(reader);
  });

  it('prefers the native binding and can be told to use the WebAssembly one', async () => {
    expect((await loadBulkCrypto()).binding).toBe('sodium-native');
    expect((await loadBulkCrypto({ prefer: 'libsodium-wrappers' })).binding).toBe('libsodium-wrappers');
  });

  it('falls back to libsodium-wrappers when the native module cannot load', async () => {
    const unloadable = () => {
      throw new Error('Cannot find module sodium-native prebuild for this platform');
    };
    const fallback = await loadBulkCrypto({ loadNative: unloadable });
    expect(fallback.binding).toBe('libsodium-wrappers');
    await expect(loadBulkCrypto({ prefer: 'sodium-native', loadNative: unloadable })).rejects.toThrow('prebuild');
    const data = pattern(3000, 5);
    const sealed = await seal(uk, fallback, data);
    const opened = await tryOpen(uk, native, sealed.bytes, sealed.dataKeyId);
    expect(opened.ok && opened.plaintext.equals(data)).toBe(true);
  });
});

describe('crypto-shredding', () => {
  it('leaves a stored container unopenable once its data key is destroyed, and no envelope can be issued', async () => {
    const data = pattern(5000, 2);
    const sealed = await seal(uk, native, data);
    expect((await tryOpen(uk, native, sealed.bytes, sealed.dataKeyId)).ok).toBe(true);

    unwrap(await uk.kms.destroyDataKey(sealed.dataKeyId));

    const opened = await tryOpen(uk, native, sealed.bytes, sealed.dataKeyId);
    expect(!opened.ok && opened.failure.code).toBe('SOV_KMS_KEY_DESTROYED');
    const ca = await makeParty('ca');
    const envelope = await issueKeyEnvelope({
      kms: uk.kms, clock: uk.clock, issuerDid: uk.did, dataKeyId: sealed.dataKeyId,
      recipient: { did: ca.did, keyId: `${ca.did}#enc-1`, publicKey: ca.kms.activeAgreementKey().publicKey },
      transferId: 't', agreementId: 'a', datasetId: 'urn:uuid:ds-1', containerDigest: sealed.summary.digest, release: 'one-time', ttlMs: 60_000,
    });
    expect(!envelope.ok && envelope.code).toBe('SOV_KMS_KEY_DESTROYED');
    // The ciphertext itself is still intact and signed: only the key is gone.
    expect((await tryVerify(native, sealed.bytes, uk.kms.activeSigningKey().publicKey)).ok).toBe(true);
  });
});
