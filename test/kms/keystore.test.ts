import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import {
  createFileKms, initKms, keystoreExists, MINIMUM_KDF_PARAMS, nodeKeystoreFileSystem, openKms, verifySignature,
  type FileKmsOptions, type KeystoreFileSystem,
} from '../../src/kms/index.js';
import { openKeystoreFile } from '../../src/kms/keystore/envelope.js';
import { decodeBody } from '../../src/kms/keystore/body.js';
import { sodiumPrimitives } from '../../src/kms/sodium/primitives.js';
import { decryptWithDataKey, encryptWithDataKey } from './kms-contract.js';

const sodium = createRequire(import.meta.url)('sodium-native') as { crypto_generichash(out: Uint8Array, input: Uint8Array): void };
const clock = new SimulatedClock();

function options(overrides: Partial<FileKmsOptions> = {}): FileKmsOptions {
  const dir = mkdtempSync(join(tmpdir(), 'kms-keystore-'));
  return { path: join(dir, 'keystore.sealed'), passphrase: 'correct horse battery staple', clock, kdf: MINIMUM_KDF_PARAMS, ...overrides };
}

async function created(opts: FileKmsOptions) {
  const result = await createFileKms(opts);
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

function flipByte(path: string, at: (length: number) => number): Buffer {
  const bytes = readFileSync(path);
  const index = at(bytes.length);
  bytes[index] = (bytes[index] as number) ^ 0x01;
  writeFileSync(path, bytes);
  return bytes;
}

describe('sealed keystore file', () => {
  it('keeps keys across a reopen from disk', async () => {
    const opts = options();
    const first = await created(opts);
    const dek = await first.createDataKey('dataset');
    const signer = first.activeSigningKey();
    first.close();
    expect(await keystoreExists(opts.path)).toBe(true);
    const again = await openKms(opts);
    if (!again.ok) throw new Error(again.detail);
    expect(again.value.activeSigningKey()).toEqual(signer);
    expect(again.value.listKeys().map((k) => k.keyId)).toContain(dek.keyId);
    const signed = await again.value.sign(new Uint8Array([1, 2, 3]));
    expect(verifySignature(new Uint8Array([1, 2, 3]), signed.signature, signer.publicKey)).toBe(true);
  });

  it('is readable by its owner only, and unusable once closed', async () => {
    const opts = options();
    const kms = await created(opts);
    expect(statSync(opts.path).mode & 0o777).toBe(0o600);
    kms.close();
    expect(() => kms.listKeys()).toThrow(/closed/);
    await expect(kms.createDataKey('after close')).rejects.toThrow(/closed/);
  });

  it('refuses a wrong passphrase with a clear error and leaves the file untouched', async () => {
    const opts = options();
    (await created(opts)).close();
    const before = readFileSync(opts.path);
    const result = await createFileKms({ ...opts, passphrase: 'wrong' });
    expect(result).toMatchObject({ ok: false, code: 'SOV_KMS_WRONG_PASSPHRASE' });
    expect(readFileSync(opts.path).equals(before)).toBe(true);
  });

  it.each([
    ['a header byte', (length: number) => Math.min(20, length - 1)],
    ['a body byte', (length: number) => Math.floor(length * 0.8)],
    ['the last byte', (length: number) => length - 1],
  ])('reports a keystore with %s flipped as corrupt, naming the file, and never rewrites it', async (_what, at) => {
    const opts = options();
    (await created(opts)).close();
    const tampered = flipByte(opts.path, at);
    const result = await createFileKms(opts);
    expect(result).toMatchObject({ ok: false, code: 'SOV_KMS_KEYSTORE_CORRUPT' });
    expect(!result.ok && result.detail).toContain(opts.path);
    expect(readFileSync(opts.path).equals(tampered)).toBe(true);
  });

  it('reports a forged body (checksum recomputed to match) as corrupt rather than opening it', async () => {
    const opts = options();
    (await created(opts)).close();
    const bytes = readFileSync(opts.path);
    const content = bytes.subarray(0, bytes.length - 32);
    content[content.length - 40] = (content[content.length - 40] as number) ^ 0x01;
    sodium.crypto_generichash(bytes.subarray(bytes.length - 32), content);
    writeFileSync(opts.path, bytes);
    expect(await openKms(opts)).toMatchObject({ ok: false, code: 'SOV_KMS_KEYSTORE_CORRUPT' });
    expect(readFileSync(opts.path).equals(bytes)).toBe(true);
  });

  it('reports a truncated keystore as corrupt and keeps it as it is', async () => {
    const opts = options();
    (await created(opts)).close();
    const truncated = readFileSync(opts.path).subarray(0, 100);
    writeFileSync(opts.path, truncated);
    expect(await openKms(opts)).toMatchObject({ ok: false, code: 'SOV_KMS_KEYSTORE_CORRUPT' });
    expect(readFileSync(opts.path).equals(truncated)).toBe(true);
  });

  it('refuses to create over an existing keystore, and to open a missing one', async () => {
    const opts = options();
    (await created(opts)).close();
    const before = readFileSync(opts.path);
    expect(await initKms(opts)).toMatchObject({ ok: false, code: 'SOV_KMS_KEYSTORE_EXISTS' });
    expect(readFileSync(opts.path).equals(before)).toBe(true);
    expect(await openKms(options())).toMatchObject({ ok: false, code: 'SOV_KMS_KEYSTORE_NOT_FOUND' });
    expect(await createFileKms({ ...options(), passphrase: '' })).toMatchObject({ ok: false, code: 'SOV_KMS_PASSPHRASE_MISSING' });
  });

  it('follows the file when only the final directory fsync fails: the change is on disk and in memory', async () => {
    let failSync = false;
    const files: KeystoreFileSystem = {
      ...nodeKeystoreFileSystem,
      syncParentDirectory: async (path) => {
        if (failSync) throw new Error('simulated EIO on directory fsync');
        return nodeKeystoreFileSystem.syncParentDirectory(path);
      },
    };
    const opts = options({ files });
    const kms = await created(opts);
    const dek = await kms.createDataKey('to shred');
    failSync = true;
    await expect(kms.destroyDataKey(dek.keyId)).rejects.toThrow('simulated EIO');
    expect(await kms.withDataKey(dek.keyId, async () => 'usable')).toMatchObject({ ok: false, code: 'SOV_KMS_KEY_DESTROYED' });
    const reopened = await openKms({ ...opts, files: nodeKeystoreFileSystem });
    expect(reopened.ok && reopened.value.listKeys().find((k) => k.keyId === dek.keyId)?.status).toBe('destroyed');
  });

  it.each(['writeNewFile', 'rename'] as const)('survives a crash during %s: the previous keystore stays intact and openable', async (step) => {
    let crash = false;
    const crashing: KeystoreFileSystem = {
      ...nodeKeystoreFileSystem,
      [step]: async (...args: [string, never]) => {
        if (crash) throw new Error(`simulated crash in ${step}`);
        return (nodeKeystoreFileSystem[step] as (...a: [string, never]) => Promise<void>)(...args);
      },
    };
    const opts = options({ files: crashing });
    const kms = await created(opts);
    const kept = await kms.createDataKey('kept');
    const before = readFileSync(opts.path);
    crash = true;
    await expect(kms.createDataKey('lost in the crash')).rejects.toThrow('simulated crash');
    await expect(kms.rotate('signing')).rejects.toThrow('simulated crash');
    expect(readFileSync(opts.path).equals(before)).toBe(true);
    expect(kms.listKeys().map((k) => k.label)).not.toContain('lost in the crash');
    const reopened = await openKms({ ...opts, files: nodeKeystoreFileSystem });
    if (!reopened.ok) throw new Error(reopened.detail);
    expect(reopened.value.listKeys().map((k) => k.keyId)).toContain(kept.keyId);
    expect(reopened.value.activeSigningKey()).toEqual(kms.activeSigningKey());
  });
});

describe('what the sealed body keeps', () => {
  it('drops the private half of a retired signing key but keeps a retired agreement key able to open', async () => {
    const opts = options();
    const kms = await created(opts);
    await kms.rotate('signing');
    await kms.rotate('agreement');
    const opened = await openKeystoreFile(sodiumPrimitives, readFileSync(opts.path), opts.passphrase, opts.path);
    if (!opened.ok) throw new Error(opened.detail);
    const ring = decodeBody(sodiumPrimitives, opened.value.body, opts.path);
    if (!ring.ok) throw new Error(ring.detail);
    const secretHeld = Object.fromEntries(ring.value.keys.map((k) => [k.info.keyId, k.secret !== undefined]));
    expect(secretHeld).toEqual({ 'sig-1': false, 'enc-1': true, 'root-1': true, 'sig-2': true, 'enc-2': true });
  });
});

describe('crypto-shredding', () => {
  it('makes data encrypted under a destroyed key unrecoverable, even after reopening from disk', async () => {
    const opts = options();
    const kms = await created(opts);
    const dek = await kms.createDataKey('personal data');
    let rawKey = Buffer.alloc(0);
    const ciphertext = await kms.withDataKey(dek.keyId, async (key) => {
      rawKey = Buffer.from(key);
      return encryptWithDataKey(key, new TextEncoder().encode('name=Ada; diagnosis=…'));
    });
    if (!ciphertext.ok) throw new Error(ciphertext.detail);
    await kms.createDataKey('another dataset');
    expect((await kms.destroyDataKey(dek.keyId)).ok).toBe(true);
    kms.close();

    const reopened = await openKms(opts);
    if (!reopened.ok) throw new Error(reopened.detail);
    const after = reopened.value;
    expect(await after.withDataKey(dek.keyId, async (key) => decryptWithDataKey(key, ciphertext.value))).toMatchObject({
      ok: false, code: 'SOV_KMS_KEY_DESTROYED',
    });
    expect(await after.sealDataKeyTo(dek.keyId, after.activeAgreementKey().publicKey)).toMatchObject({ ok: false, code: 'SOV_KMS_KEY_DESTROYED' });
    expect(after.listKeys().find((k) => k.keyId === dek.keyId)).toMatchObject({ status: 'destroyed', label: 'personal data' });
    // No other key in the store decrypts the ciphertext.
    const others = after.listKeys().filter((k) => k.kind === 'data' && k.status === 'active');
    expect(others).toHaveLength(1);
    for (const other of others) {
      await expect(after.withDataKey(other.keyId, async (key) => decryptWithDataKey(key, ciphertext.value))).rejects.toThrow(/authenticate/);
    }
    expect(readFileSync(opts.path).includes(rawKey)).toBe(false);
  });
});
