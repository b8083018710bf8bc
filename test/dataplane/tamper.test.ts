import { beforeAll, describe, expect, it } from 'vitest';
import { chunkOffset, loadBulkCrypto, verifyContainerStream, type BulkCrypto } from '../../src/dataplane/index.js';
import { makeParty, pattern, pieces, seal, tryOpen, tryVerify, type Party, type Sealed } from './support.js';

let crypto: BulkCrypto;
let uk: Party;
let mallory: Party;
let sealed: Sealed;
const RECORD = 4 + 1024 + 17;

beforeAll(async () => {
  crypto = await loadBulkCrypto();
  uk = await makeParty('uk');
  mallory = await makeParty('mallory');
  sealed = await seal(uk, crypto, pattern(4 * 1024 + 500), { plaintextLength: 4 * 1024 + 500 });
});

const record = (i: number) => sealed.bytes.subarray(chunkOffset(sealed.summary.header, i), chunkOffset(sealed.summary.header, i) + RECORD);
const headerBytes = () => sealed.bytes.subarray(0, sealed.summary.header.headerLength);
const trailerBytes = () => sealed.bytes.subarray(sealed.bytes.length - 100);
const lastRecord = () => sealed.bytes.subarray(chunkOffset(sealed.summary.header, 4), sealed.bytes.length - 100);
const flip = (at: number) => {
  const copy = Buffer.from(sealed.bytes);
  copy[at]! ^= 0x01;
  return copy;
};

async function refusedBoth(bytes: Uint8Array) {
  const opened = await tryOpen(uk, crypto, bytes, sealed.dataKeyId);
  const verified = await tryVerify(crypto, bytes, uk.kms.activeSigningKey().publicKey);
  if (opened.ok || verified.ok) throw new Error('tampered container accepted');
  expect(opened.verified).toBeUndefined();
  return { open: opened.failure, verify: verified.failure };
}

describe('truncation', () => {
  it.each([
    ['inside the header', 30, 'inside its header'],
    ['mid-chunk', chunkOffset({ headerLength: 0, chunkSize: 1024 }, 2) + 600, 'inside chunk 2'],
    ['at a chunk boundary', 2 * RECORD, 'before chunk 2'],
    ['before the end marker', 4 * RECORD + 500 + 17 + 4, 'before chunk 5'],
    ['inside the trailer', -10, 'inside its trailer'],
  ])('is refused when the container is cut %s', async (_where, cut, detail) => {
    const end = cut < 0 ? sealed.bytes.length + cut : cut < 48 ? cut : sealed.summary.header.headerLength + cut;
    const failures = await refusedBoth(sealed.bytes.subarray(0, end));
    expect(failures.open.code).toBe('SOV_DATAPLANE_TRUNCATED');
    expect(failures.verify.code).toBe('SOV_DATAPLANE_TRUNCATED');
    expect(failures.open.detail).toContain(detail);
  });

  it('is refused when the FINAL chunk is dropped and the trailer re-attached', async () => {
    const cut = Buffer.concat([sealed.bytes.subarray(0, chunkOffset(sealed.summary.header, 4)), trailerBytes()]);
    const failures = await refusedBoth(cut);
    expect(failures.open.code).toBe('SOV_DATAPLANE_FRAMING_INVALID'); // 4 chunks hold fewer bytes than declared
    const undeclared = await seal(uk, crypto, pattern(3000));
    const h = undeclared.summary.header;
    const dropped = Buffer.concat([undeclared.bytes.subarray(0, chunkOffset(h, 2)), undeclared.bytes.subarray(undeclared.bytes.length - 100)]);
    const opened = await tryOpen(uk, crypto, dropped, undeclared.dataKeyId);
    expect(!opened.ok && opened.failure.code).toBe('SOV_DATAPLANE_TRUNCATED');
    expect(!opened.ok && opened.failure.detail).toContain('not tagged FINAL');
  });
});

describe('flipped bytes', () => {
  it('refuses a flipped byte in the header (dataset id): chunk 0 authenticates the header', async () => {
    const at = sealed.bytes.indexOf('urn:uuid:ds-1') + 4;
    const failures = await refusedBoth(flip(at));
    expect(failures.open).toMatchObject({ code: 'SOV_DATAPLANE_CHUNK_AUTH_FAILED', data: { chunk: 0 } });
    expect(failures.verify.code).toBe('SOV_DATAPLANE_DIGEST_MISMATCH');
  });

  it('refuses a flipped byte in a chunk body', async () => {
    const failures = await refusedBoth(flip(chunkOffset(sealed.summary.header, 2) + 100));
    expect(failures.open).toMatchObject({ code: 'SOV_DATAPLANE_CHUNK_AUTH_FAILED', data: { chunk: 2 } });
    expect(failures.verify.code).toBe('SOV_DATAPLANE_DIGEST_MISMATCH');
  });

  it('refuses a flipped byte in the trailer digest or signature', async () => {
    const digestFlip = await refusedBoth(flip(sealed.bytes.length - 90));
    expect(digestFlip.open.code).toBe('SOV_DATAPLANE_DIGEST_MISMATCH');
    const signatureFlip = await refusedBoth(flip(sealed.bytes.length - 5));
    expect(signatureFlip.open.code).toBe('SOV_DATAPLANE_SIGNATURE_INVALID');
    expect(signatureFlip.verify.code).toBe('SOV_DATAPLANE_SIGNATURE_INVALID');
  });

  it('refuses every single flipped byte, wherever it is, in both readers', async () => {
    const small = await seal(uk, crypto, pattern(1100));
    for (let at = 0; at < small.bytes.length; at += 1) {
      const copy = Buffer.from(small.bytes);
      copy[at]! ^= 0x80;
      const opened = await tryOpen(uk, crypto, copy, small.dataKeyId);
      const verified = await tryVerify(crypto, copy, uk.kms.activeSigningKey().publicKey);
      expect({ at, open: opened.ok, verify: verified.ok }).toEqual({ at, open: false, verify: false });
      if (!opened.ok) expect(opened.failure.code).toMatch(/^SOV_DATAPLANE_/);
    }
  });

  it('refuses bytes appended after the trailer', async () => {
    const failures = await refusedBoth(Buffer.concat([sealed.bytes, Buffer.of(0)]));
    expect(failures.open.code).toBe('SOV_DATAPLANE_FRAMING_INVALID');
  });
});

describe('reordered and duplicated chunks', () => {
  it('refuses two chunks swapped', async () => {
    const swapped = Buffer.concat([headerBytes(), record(0), record(2), record(1), record(3), lastRecord(), trailerBytes()]);
    const failures = await refusedBoth(swapped);
    expect(failures.open).toMatchObject({ code: 'SOV_DATAPLANE_CHUNK_AUTH_FAILED', data: { chunk: 1 } });
    expect(failures.verify.code).toBe('SOV_DATAPLANE_DIGEST_MISMATCH');
  });

  it('refuses a chunk duplicated', async () => {
    const duplicated = Buffer.concat([headerBytes(), record(0), record(1), record(1), record(2), record(3), lastRecord(), trailerBytes()]);
    const failures = await refusedBoth(duplicated);
    expect(failures.open).toMatchObject({ code: 'SOV_DATAPLANE_CHUNK_AUTH_FAILED', data: { chunk: 2 } });
  });
});

describe('signer', () => {
  it('refuses a container signed by another key, even when its digest is intact', async () => {
    const forged = await seal(mallory, crypto, pattern(2000), { signerDid: uk.did });
    const verified = await tryVerify(crypto, forged.bytes, uk.kms.activeSigningKey().publicKey);
    expect(!verified.ok && verified.failure.code).toBe('SOV_DATAPLANE_SIGNATURE_INVALID');
    const opened = await tryOpen(mallory, crypto, forged.bytes, forged.dataKeyId, uk.kms.activeSigningKey().publicKey);
    expect(!opened.ok && opened.failure.code).toBe('SOV_DATAPLANE_SIGNATURE_INVALID');
  });

  it('refuses a container naming an unexpected signer before reading its body', async () => {
    const output = verifyContainerStream(pieces(sealed.bytes.subarray(0, 200)), {
      crypto, expectedSignerKey: uk.kms.activeSigningKey().publicKey, expectedSigner: 'did:web:other.example#sig-1',
    });
    await expect((async () => { for await (const _ of output) { /* drain */ } })()).rejects.toMatchObject({ failure: { code: 'SOV_DATAPLANE_UNEXPECTED_SIGNER' } });
  });

  it('refuses bytes that are not a container, or a future version', async () => {
    const notOne = await refusedBoth(Buffer.from('PK\u0003\u0004 this is a zip file, not a container at all, padded to length'));
    expect(notOne.open.code).toBe('SOV_DATAPLANE_NOT_A_CONTAINER');
    const future = Buffer.from(sealed.bytes);
    future[4] = 2;
    expect((await refusedBoth(future)).open.code).toBe('SOV_DATAPLANE_UNSUPPORTED_FORMAT');
  });
});
