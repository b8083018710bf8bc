/**
 * No private key, key-encryption key or data key leaves kms in clear: not through any member
 * of the kms object, not through what its read operations return, and not onto disk.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms, type PublicKey } from '../../src/kms/index.js';

interface Sodium {
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
  crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): void;
}
const sodium = createRequire(import.meta.url)('sodium-native') as Sodium;

const EXPECTED_SURFACE = [
  'activeAgreementKey', 'activeSigningKey', 'agreementKeys', 'close', 'createDataKey', 'destroyDataKey', 'destroyRetiredKey',
  'importSealedDataKey', 'keyedHasher', 'listKeys', 'rotate', 'sealDataKeyTo', 'sign', 'verificationKeys', 'withDataKey', 'withSealedKey',
];

/** Every byte array and string reachable from `root` (own properties, any depth). */
function reachable(root: unknown, seen = new Set<unknown>()): Array<Uint8Array | string> {
  if (root === null || root === undefined || seen.has(root)) return [];
  seen.add(root);
  if (typeof root === 'string' || root instanceof Uint8Array) return [root];
  if (typeof root !== 'object' && typeof root !== 'function') return [];
  return Reflect.ownKeys(root as object).flatMap((key) => reachable((root as Record<string | symbol, unknown>)[key], seen));
}

/** Whether any 32-byte window of `bytes` is a private key whose public half is one of `publics`. */
function containsPrivateKeyOf(bytes: Uint8Array, publics: PublicKey[]): boolean {
  const known = new Set(publics.map((p) => Buffer.from(p.publicKey).toString('hex')));
  const pk = new Uint8Array(32);
  const sk = new Uint8Array(64);
  for (let i = 0; i + 32 <= bytes.length; i++) {
    const window = bytes.subarray(i, i + 32);
    sodium.crypto_sign_seed_keypair(pk, sk, window);
    if (known.has(Buffer.from(pk).toString('hex'))) return true;
    sodium.crypto_scalarmult_base(pk, window);
    if (known.has(Buffer.from(pk).toString('hex'))) return true;
  }
  return false;
}

function leaks(value: Uint8Array | string, secret: Buffer, publics: PublicKey[]): boolean {
  if (typeof value === 'string') {
    return [secret.toString('base64'), secret.toString('base64url'), secret.toString('hex')].some((encoded) => value.includes(encoded));
  }
  return Buffer.from(value).includes(secret) || containsPrivateKeyOf(value, publics);
}

async function populatedKms(path: string): Promise<{ kms: FileKms; dataKey: Buffer; dataKeyId: string }> {
  const opened = await createFileKms({ path, passphrase: 'pass', clock: new SimulatedClock(), kdf: MINIMUM_KDF_PARAMS });
  if (!opened.ok) throw new Error(opened.detail);
  const kms = opened.value;
  await kms.rotate('signing');
  await kms.rotate('agreement');
  const dek = await kms.createDataKey('dataset');
  const learned = await kms.withDataKey(dek.keyId, async (key) => Buffer.from(key));
  if (!learned.ok) throw new Error(learned.detail);
  return { kms, dataKey: learned.value, dataKeyId: dek.keyId };
}

describe('no key leaves kms in clear', () => {
  it('offers only operations: the surface is exactly the reviewed list of methods', async () => {
    const { kms } = await populatedKms(join(mkdtempSync(join(tmpdir(), 'kms-surface-')), 'keystore.sealed'));
    expect(Reflect.ownKeys(kms).map(String).sort()).toEqual(EXPECTED_SURFACE);
    expect(Object.values(kms).every((member) => typeof member === 'function')).toBe(true);
    expect(Object.getPrototypeOf(kms)).toBe(Object.prototype);
  });

  it('returns no private key or data key from any read operation or signature', async () => {
    const { kms, dataKey, dataKeyId } = await populatedKms(join(mkdtempSync(join(tmpdir(), 'kms-reads-')), 'keystore.sealed'));
    const publics = [...kms.verificationKeys(), ...kms.agreementKeys()];
    const outputs = [
      kms, kms.listKeys(), kms.activeSigningKey(), kms.activeAgreementKey(), kms.verificationKeys(), kms.agreementKeys(),
      await kms.sign(new Uint8Array(64)), (await kms.keyedHasher('ctx'))(new Uint8Array(32)),
      await kms.sealDataKeyTo(dataKeyId, kms.activeAgreementKey().publicKey),
    ];
    const values = outputs.flatMap((output) => reachable(output));
    expect(values.length).toBeGreaterThan(20);
    expect(values.filter((value) => leaks(value, dataKey, publics))).toEqual([]);
  });

  it('writes no private key and no data key in clear to the keystore file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kms-disk-')), 'keystore.sealed');
    const { kms, dataKey } = await populatedKms(path);
    const publics = [...kms.verificationKeys(), ...kms.agreementKeys()];
    const file = readFileSync(path);
    expect(leaks(file, dataKey, publics)).toBe(false);
    expect(leaks(file.toString('latin1'), dataKey, publics)).toBe(false);
  });

  it('detects a leak when there is one (the checks above can fail)', async () => {
    const { kms, dataKey } = await populatedKms(join(mkdtempSync(join(tmpdir(), 'kms-probe-')), 'keystore.sealed'));
    const seed = new Uint8Array(32).fill(7);
    const pk = new Uint8Array(32);
    sodium.crypto_sign_seed_keypair(pk, new Uint8Array(64), seed);
    const planted: PublicKey = { keyId: 'probe', publicKey: pk, publicKeyMultibase: '' };
    expect(leaks(Buffer.concat([Buffer.alloc(5), seed]), dataKey, [planted])).toBe(true);
    expect(leaks(`{"k":"${dataKey.toString('base64')}"}`, dataKey, kms.verificationKeys())).toBe(true);
  });
});
