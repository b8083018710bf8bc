import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkOffset, encryptToContainer, lendDataKey, loadBulkCrypto, openContainer, verifyContainerStream, type BulkCrypto } from '../../src/dataplane/index.js';
import { makeParty, pattern, pieces, seal, tryOpen, tryVerify, type Party } from './support.js';

let crypto: BulkCrypto;
let uk: Party;

beforeAll(async () => {
  crypto = await loadBulkCrypto();
  uk = await makeParty('uk');
});

describe('container round trip', () => {
  it.each([
    ['empty', 0, 1],
    ['small', 100, 1],
    ['one byte under a chunk', 1023, 1],
    ['exactly one chunk', 1024, 1],
    ['an exact multiple of the chunk size', 4 * 1024, 4],
    ['one byte over a multiple', 4 * 1024 + 1, 5],
  ])('returns the same bytes for %s plaintext', async (_name, length, chunks) => {
    const data = pattern(length, length + 1);
    const sealed = await seal(uk, crypto, data, { plaintextLength: length });
    const opened = await tryOpen(uk, crypto, sealed.bytes, sealed.dataKeyId);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.plaintext.equals(data)).toBe(true);
    expect(opened.summary.chunks).toBe(chunks);
    expect(opened.summary.plaintextLength).toBe(length);
    expect(Buffer.from(opened.summary.digest).equals(sealed.summary.digest)).toBe(true);
    expect(sealed.summary.size).toBe(sealed.bytes.length);
  });

  it('round-trips a few MB with the default 64 KiB chunks and no declared length', async () => {
    const data = pattern(3 * 1024 * 1024 + 12345, 7);
    const sealed = await seal(uk, crypto, data, { chunkSize: undefined });
    expect(sealed.summary.header.chunkSize).toBe(64 * 1024);
    expect(sealed.summary.header.plaintextLength).toBeUndefined();
    const opened = await tryOpen(uk, crypto, sealed.bytes, sealed.dataKeyId);
    expect(opened.ok && opened.plaintext.equals(data)).toBe(true);
  });

  it('names the dataset, its version and the signer key in the header', async () => {
    const sealed = await seal(uk, crypto, pattern(10));
    const { header } = sealed.summary;
    expect(header.datasetId).toBe('urn:uuid:ds-1');
    expect(header.datasetVersion).toBe('3');
    expect(header.signer).toBe(`did:web:uk.example#${uk.kms.activeSigningKey().keyId}`);
  });

  it('encrypts the same plaintext twice into unrelated ciphertext (fresh stream header)', async () => {
    const data = pattern(3000);
    const a = await seal(uk, crypto, data);
    const b = await seal(uk, crypto, data, { dataKeyId: a.dataKeyId });
    expect(a.bytes.equals(b.bytes)).toBe(false);
    expect(a.bytes.includes(data.subarray(0, 64))).toBe(false);
  });

  it('places chunk i at chunkOffset(i): every record before the last is full size', async () => {
    const sealed = await seal(uk, crypto, pattern(5000));
    const { header } = sealed.summary;
    for (let i = 0; i < 5; i += 1) {
      const at = chunkOffset(header, i);
      expect(sealed.bytes.readUInt32BE(at)).toBe(i < 4 ? 1024 + 17 : 5000 - 4 * 1024 + 17);
    }
  });

  it('refuses to write more or fewer bytes than declared', async () => {
    await expect(seal(uk, crypto, pattern(100), { plaintextLength: 99 })).rejects.toMatchObject({ failure: { code: 'SOV_DATAPLANE_SOURCE_LENGTH_MISMATCH' } });
    await expect(seal(uk, crypto, pattern(100), { plaintextLength: 101 })).rejects.toMatchObject({ failure: { code: 'SOV_DATAPLANE_SOURCE_LENGTH_MISMATCH' } });
  });
});

describe('verifying ciphertext without the key', () => {
  it('passes the container through unchanged and reports the signed digest', async () => {
    const sealed = await seal(uk, crypto, pattern(10_000));
    const verified = await tryVerify(crypto, sealed.bytes, uk.kms.activeSigningKey().publicKey);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.passed.equals(sealed.bytes)).toBe(true);
    expect(Buffer.from(verified.summary.digest).equals(sealed.summary.digest)).toBe(true);
    expect(verified.summary.plaintextLength).toBe(10_000);
  });

  it.each([1, 3, 4, 1045, 1049, 4099])('verifies whatever the piece boundaries (pieces of %i bytes), passing the pieces on uncopied', async (size) => {
    const sealed = await seal(uk, crypto, pattern(3 * 1024 + 7));
    const arrived: Uint8Array[] = [...(function* () {
      for (let at = 0; at < sealed.bytes.length; at += size) yield sealed.bytes.subarray(at, Math.min(sealed.bytes.length, at + size));
    })()];
    const output = verifyContainerStream((async function* () { yield* arrived; })(), { crypto, expectedSignerKey: uk.kms.activeSigningKey().publicKey });
    const passed: Uint8Array[] = [];
    for await (const piece of output) passed.push(piece);
    expect(Buffer.concat(passed).equals(sealed.bytes)).toBe(true);
    expect(Buffer.from(output.verified!.digest).equals(sealed.summary.digest)).toBe(true);
    // Every piece but those around the trailer is the one that arrived, not a copy of it.
    const untouched = passed.filter((piece) => arrived.includes(piece)).length;
    expect(untouched).toBeGreaterThanOrEqual(arrived.length - Math.ceil(100 / size) - 1);
  });

  it('holds the digest and signature back until they checked out', async () => {
    const sealed = await seal(uk, crypto, pattern(2000));
    const output = verifyContainerStream(pieces(sealed.bytes, 512), { crypto, expectedSignerKey: uk.kms.activeSigningKey().publicKey });
    let before = 0;
    for await (const piece of output) {
      if (output.verified !== undefined) break;
      before += piece.length;
    }
    expect(before).toBe(sealed.bytes.length - 96);
  });
});

describe('streaming behaviour', () => {
  it('pulls the plaintext source only as fast as container bytes are consumed (backpressure)', async () => {
    let produced = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1000; i += 1) {
        produced += 1;
        yield pattern(1024, i);
      }
    }
    const dataKeyId = (await uk.kms.createDataKey('dataset:stream')).keyId;
    const output = encryptToContainer(source(), { crypto, kms: uk.kms, dataKeyId, datasetId: 'd', datasetVersion: '1', signerDid: uk.did, chunkSize: 1024 });
    const iterator = output[Symbol.asyncIterator]();
    for (let i = 0; i < 11; i += 1) await iterator.next(); // header + 10 records
    expect(produced).toBeLessThanOrEqual(12); // one chunk of lookahead, never the whole source
    await iterator.return?.();
    expect(output.summary).toBeUndefined();
  });

  it('hands out plaintext before the trailer but throws, never completes, when the signature fails', async () => {
    const data = pattern(5000, 4);
    const sealed = await seal(uk, crypto, data);
    const forged = Buffer.from(sealed.bytes);
    forged[forged.length - 1]! ^= 1;
    const output = openContainer(pieces(forged), { crypto, dek: lendDataKey(uk.kms, sealed.dataKeyId), expectedSignerKey: uk.kms.activeSigningKey().publicKey });
    const received: Uint8Array[] = [];
    await expect((async () => { for await (const piece of output) received.push(Uint8Array.from(piece)); })()).rejects.toMatchObject({ failure: { code: 'SOV_DATAPLANE_SIGNATURE_INVALID' } });
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect(output.verified).toBeUndefined();
  });

  it('works with Node stream pipelines from a file-like Readable to a Writable', async () => {
    const data = pattern(200_000, 8);
    const sealed = await seal(uk, crypto, data);
    const sink: Buffer[] = [];
    const output = openContainer(Readable.from(pieces(sealed.bytes, 16_384)), { crypto, dek: lendDataKey(uk.kms, sealed.dataKeyId), expectedSignerKey: uk.kms.activeSigningKey().publicKey });
    await pipeline(output, new Writable({ highWaterMark: 1, write(chunk: Buffer, _enc, done) { sink.push(Buffer.from(chunk)); done(); } }));
    expect(Buffer.concat(sink).equals(data)).toBe(true);
    expect(output.verified?.chunks).toBe(196);
  });
});
