/**
 * The contract every Kms backend must meet (conventions §9). A backend's test file calls
 * `runKmsContract` with a factory; the suite uses only the Kms port and the public helpers.
 */
import { describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kms } from '../../src/kms/index.js';
import { decodeMultikey, sealTo, verifySignature } from '../../src/kms/index.js';

export interface KmsFixture {
  kms: Kms;
  /** A second, independent kms (another partner). */
  other: Kms;
}

const message = new TextEncoder().encode('agreement urn:uuid:1234 between uk and ca');

function encrypt(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(key: Uint8Array, sealed: Uint8Array): Uint8Array {
  const decipher = createDecipheriv('chacha20-poly1305', key, sealed.subarray(0, 12), { authTagLength: 16 });
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}

export { encrypt as encryptWithDataKey, decrypt as decryptWithDataKey };

export function runKmsContract(backend: string, setup: () => Promise<KmsFixture>): void {
  describe(`Kms contract: ${backend}`, () => {
    it('signs with the active Ed25519 key, verifiable with its public key only', async () => {
      const { kms } = await setup();
      const { keyId, signature } = await kms.sign(message);
      const active = kms.activeSigningKey();
      expect(keyId).toBe(active.keyId);
      expect(verifySignature(message, signature, active.publicKey)).toBe(true);
      expect(verifySignature(new TextEncoder().encode('another message'), signature, active.publicKey)).toBe(false);
    });

    it('publishes Multikey public keys (z6Mk… Ed25519, z6LS… X25519) that decode to the raw keys', async () => {
      const { kms } = await setup();
      const signing = kms.activeSigningKey();
      const agreement = kms.activeAgreementKey();
      expect(signing.publicKeyMultibase).toMatch(/^z6Mk/);
      expect(agreement.publicKeyMultibase).toMatch(/^z6LS/);
      expect(decodeMultikey(signing.publicKeyMultibase)).toEqual({ ok: true, value: { type: 'Ed25519', publicKey: signing.publicKey } });
      expect(decodeMultikey(agreement.publicKeyMultibase)).toEqual({ ok: true, value: { type: 'X25519', publicKey: agreement.publicKey } });
    });

    it('encrypts and decrypts with a data key lent to a callback', async () => {
      const { kms } = await setup();
      const dek = await kms.createDataKey('dataset-1');
      expect(dek).toMatchObject({ kind: 'data', status: 'active', label: 'dataset-1', algorithm: 'XChaCha20-Poly1305' });
      const sealed = await kms.withDataKey(dek.keyId, async (key) => encrypt(key, message));
      if (!sealed.ok) throw new Error(sealed.detail);
      const opened = await kms.withDataKey(dek.keyId, async (key) => decrypt(key, sealed.value));
      expect(opened.ok && new TextDecoder().decode(opened.value)).toBe(new TextDecoder().decode(message));
    });

    it('hands a data key to another partner only sealed to its X25519 key', async () => {
      const { kms, other } = await setup();
      const dek = await kms.createDataKey('dataset-2');
      const ciphertext = await kms.withDataKey(dek.keyId, async (key) => encrypt(key, message));
      const envelope = await kms.sealDataKeyTo(dek.keyId, other.activeAgreementKey().publicKey);
      if (!envelope.ok || !ciphertext.ok) throw new Error('setup failed');
      const imported = await other.importSealedDataKey(envelope.value, { label: 'received dataset-2' });
      if (!imported.ok) throw new Error(imported.detail);
      const opened = await other.withDataKey(imported.value.keyId, async (key) => decrypt(key, ciphertext.value));
      expect(opened.ok && Buffer.from(opened.value).equals(Buffer.from(message))).toBe(true);
      const wrongRecipient = await kms.importSealedDataKey(envelope.value, { label: 'not ours' });
      expect(wrongRecipient).toMatchObject({ ok: false, code: 'SOV_KMS_SEALED_BOX_INVALID' });
    });

    it('opens a key sealed with sealTo once, for the duration of a callback (owner-held release)', async () => {
      const { kms } = await setup();
      const released = randomBytes(32);
      const sealed = sealTo(kms.activeAgreementKey().publicKey, released);
      const seen = await kms.withSealedKey(sealed, async (key) => Buffer.from(key).toString('hex'));
      expect(seen).toEqual({ ok: true, value: released.toString('hex') });
      const tampered = Uint8Array.from(sealed);
      tampered[40] = (tampered[40] as number) ^ 1;
      expect(await kms.withSealedKey(tampered, async () => 'opened')).toMatchObject({ ok: false, code: 'SOV_KMS_SEALED_BOX_INVALID' });
    });

    it('refuses unknown and destroyed data keys with distinct codes', async () => {
      const { kms } = await setup();
      expect(await kms.withDataKey('dek-unknown', async () => 1)).toMatchObject({ ok: false, code: 'SOV_KMS_KEY_NOT_FOUND' });
      const dek = await kms.createDataKey('to shred');
      const destroyed = await kms.destroyDataKey(dek.keyId);
      expect(destroyed).toMatchObject({ ok: true, value: { keyId: dek.keyId, status: 'destroyed' } });
      expect(await kms.withDataKey(dek.keyId, async () => 1)).toMatchObject({ ok: false, code: 'SOV_KMS_KEY_DESTROYED' });
      expect(await kms.sealDataKeyTo(dek.keyId, kms.activeAgreementKey().publicKey)).toMatchObject({ ok: false, code: 'SOV_KMS_KEY_DESTROYED' });
      expect(await kms.destroyDataKey(dek.keyId)).toMatchObject({ ok: false, code: 'SOV_KMS_KEY_DESTROYED' });
      expect(kms.listKeys().find((k) => k.keyId === dek.keyId)).toMatchObject({ status: 'destroyed', destroyedAt: expect.any(String) });
    });

    it('rotates: the new key signs, the old one still verifies and still opens sealed boxes', async () => {
      const { kms } = await setup();
      const oldSigning = kms.activeSigningKey();
      const oldAgreement = kms.activeAgreementKey();
      const oldSignature = await kms.sign(message);
      const sealedToOld = sealTo(oldAgreement.publicKey, randomBytes(32));
      const newSigning = await kms.rotate('signing');
      const newAgreement = await kms.rotate('agreement');
      expect(newSigning.keyId).not.toBe(oldSigning.keyId);
      expect(kms.activeSigningKey().keyId).toBe(newSigning.keyId);
      expect(kms.activeAgreementKey().keyId).toBe(newAgreement.keyId);
      expect((await kms.sign(message)).keyId).toBe(newSigning.keyId);
      const verifier = kms.verificationKeys().find((k) => k.keyId === oldSignature.keyId);
      expect(verifier && verifySignature(message, oldSignature.signature, verifier.publicKey)).toBe(true);
      expect(kms.agreementKeys().map((k) => k.keyId)).toEqual([newAgreement.keyId, oldAgreement.keyId]);
      expect((await kms.importSealedDataKey(sealedToOld, { label: 'old envelope' })).ok).toBe(true);
      expect(kms.listKeys().find((k) => k.keyId === oldSigning.keyId)).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });
    });

    it('derives keyed hashes stable within a context and unlinkable across contexts', async () => {
      const { kms, other } = await setup();
      const id = new TextEncoder().encode('patient-42');
      const a1 = (await kms.keyedHasher('agreement-a'))(id);
      const a2 = (await kms.keyedHasher('agreement-a'))(id);
      const b = (await kms.keyedHasher('agreement-b'))(id);
      const elsewhere = (await other.keyedHasher('agreement-a'))(id);
      expect(a1).toHaveLength(32);
      expect(Buffer.from(a1).equals(Buffer.from(a2))).toBe(true);
      expect(Buffer.from(a1).equals(Buffer.from(b))).toBe(false);
      expect(Buffer.from(a1).equals(Buffer.from(elsewhere))).toBe(false);
    });

    it('refuses malformed sealed boxes, unknown agreement keys and malformed recipient keys', async () => {
      const { kms } = await setup();
      const notAKey = sealTo(kms.activeAgreementKey().publicKey, new Uint8Array(31));
      expect(await kms.importSealedDataKey(notAKey, { label: 'x' })).toMatchObject({ ok: false, code: 'SOV_KMS_SEALED_BOX_INVALID' });
      expect(await kms.importSealedDataKey(new Uint8Array(10), { label: 'x' })).toMatchObject({ ok: false, code: 'SOV_KMS_SEALED_BOX_INVALID' });
      const sealed = sealTo(kms.activeAgreementKey().publicKey, randomBytes(32));
      expect(await kms.importSealedDataKey(sealed, { label: 'x', agreementKeyId: 'enc-99' })).toMatchObject({ ok: false, code: 'SOV_KMS_KEY_NOT_FOUND' });
      expect(kms.listKeys().filter((k) => k.kind === 'data')).toEqual([]);
      const dek = await kms.createDataKey('d');
      expect(await kms.sealDataKeyTo(dek.keyId, new Uint8Array(31))).toMatchObject({ ok: false, code: 'SOV_KMS_PUBLIC_KEY_INVALID' });
    });

    it('signs only with the active signing key', async () => {
      const { kms } = await setup();
      const old = kms.activeSigningKey();
      await kms.rotate('signing');
      await expect(kms.sign(message, old.keyId)).rejects.toThrow(/not an active signing key/);
      await expect(kms.sign(message, 'enc-1')).rejects.toThrow(/not an active signing key/);
    });

    it('loses no data key when many are created concurrently', async () => {
      const { kms } = await setup();
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) => kms.createDataKey(`concurrent-${i}`)));
      const listed = new Set(kms.listKeys().map((k) => k.keyId));
      expect(created.every((k) => listed.has(k.keyId))).toBe(true);
      expect(new Set(created.map((k) => k.keyId)).size).toBe(20);
    });
  });
}
