import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase58btc, decodeMultikey, encodeBase58btc, encodeMultikey, sealTo, verifySignature } from '../../src/kms/index.js';

// Untyped packages, loaded by a computed specifier: used here only as independent references.
const base58Universal = (await import('base58-universal' as string)) as { encode(bytes: Uint8Array): string };
const ed25519Multikey = (await import('@digitalbazaar/ed25519-multikey' as string)) as {
  generate(options: { controller: string }): Promise<{
    publicKey: Uint8Array;
    publicKeyMultibase: string;
    signer(): { sign(options: { data: Uint8Array }): Promise<Uint8Array> };
  }>;
};

describe('Multikey and base58btc', () => {
  it('encodes base58btc exactly as base58-universal does, leading zeros included', () => {
    const samples = [new Uint8Array([]), new Uint8Array([0]), new Uint8Array([0, 0, 1, 2]), new Uint8Array([255, 255])];
    for (let i = 0; i < 50; i++) samples.push(Uint8Array.from([...new Array<number>(i % 3).fill(0), ...randomBytes(1 + i)]));
    for (const bytes of samples) {
      const encoded = encodeBase58btc(bytes);
      expect(encoded).toBe(base58Universal.encode(bytes));
      expect(decodeBase58btc(encoded)).toEqual(bytes);
    }
    expect(decodeBase58btc('0OIl')).toBeUndefined();
  });

  it('matches @digitalbazaar/ed25519-multikey, and verifies signatures made by it', async () => {
    const keyPair = await ed25519Multikey.generate({ controller: 'did:web:example.org' });
    expect(encodeMultikey('Ed25519', new Uint8Array(keyPair.publicKey))).toBe(keyPair.publicKeyMultibase);
    const data = new TextEncoder().encode('canonical document');
    const signature = await keyPair.signer().sign({ data });
    expect(verifySignature(data, signature, new Uint8Array(keyPair.publicKey))).toBe(true);
    expect(verifySignature(data, signature.slice(0, 10), new Uint8Array(keyPair.publicKey))).toBe(false);
  });

  it('rejects Multikeys that are not base58btc, of another codec, or of the wrong length', () => {
    const x25519 = encodeMultikey('X25519', new Uint8Array(32).fill(9));
    expect(x25519.startsWith('z6LS')).toBe(true);
    expect(decodeMultikey(`u${x25519.slice(1)}`)).toMatchObject({ ok: false, code: 'SOV_KMS_PUBLIC_KEY_INVALID' });
    expect(decodeMultikey(`z${encodeBase58btc(new Uint8Array([0xe7, 0x01, ...new Array<number>(33).fill(1)]))}`)).toMatchObject({
      ok: false, code: 'SOV_KMS_PUBLIC_KEY_INVALID', detail: expect.stringContaining('neither Ed25519'),
    });
    expect(decodeMultikey(`z${encodeBase58btc(new Uint8Array([0xed, 0x01, 1, 2, 3]))}`)).toMatchObject({
      ok: false, detail: expect.stringContaining('got 3'),
    });
    expect(() => sealTo(new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
  });
});
