import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import {
  createDirectoryStore, planResume, readFromChunk, verifyContainerStream,
  type BulkCrypto, type CiphertextStore,
} from '../../src/dataplane/index.js';
import { collect, pattern, pieces, storedContainer, tryOpen, type Party, type Sealed } from './support.js';

let crypto: BulkCrypto;
let uk: Party;
let ca: Party;
let sealed: Sealed;
let provider: CiphertextStore;

beforeAll(async () => {
  ({ crypto, uk, ca, sealed, provider } = await storedContainer('urn:uuid:ds-1', 5));
});

/** A connection that drops after `limit` bytes. */
async function* cutAfter(source: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const piece of source) {
    const room = limit - sent;
    if (piece.length >= room) {
      if (room > 0) yield piece.subarray(0, room);
      throw new Error('connection reset');
    }
    sent += piece.length;
    yield piece;
  }
}

describe('directory ciphertext store', () => {
  it('stores, lists, serves byte ranges and deletes objects', async () => {
    const store = await createDirectoryStore({ dir: join(ca.dir, 'store-basic') });
    const stored = unwrap(await store.put('obj-1', pieces(sealed.bytes)));
    expect(stored).toEqual({ id: 'obj-1', size: sealed.bytes.length });
    expect((await readFile(join(ca.dir, 'store-basic', 'objects', 'obj-1'))).equals(sealed.bytes)).toBe(true);
    expect(await store.has('obj-1')).toBe(true);
    expect(await store.list()).toEqual(['obj-1']);
    const range = await collect(unwrap(await store.get('obj-1', { start: 10, end: 20 })));
    expect(range.equals(sealed.bytes.subarray(10, 20))).toBe(true);
    expect(await store.delete('obj-1')).toBe(true);
    expect(await store.has('obj-1')).toBe(false);
    expect((await store.get('obj-1')).ok).toBe(false);
  });

  it('stores exactly what arrived, in pieces of any size and over several gathered writes', async () => {
    const store = await createDirectoryStore({ dir: join(ca.dir, 'store-gathered') });
    const big = pattern(3 * 1024 * 1024 + 123, 9);
    for (const [id, bytes, size] of [['tiny-pieces', sealed.bytes, 3], ['big', big, 65_557], ['one-piece', big, big.length]] as const) {
      expect(unwrap(await store.put(id, pieces(bytes, size))).size).toBe(bytes.length);
      expect((await readFile(join(ca.dir, 'store-gathered', 'objects', id))).equals(bytes)).toBe(true);
    }
  });

  it('keeps the bytes that arrived before a source broke off, pending', async () => {
    const store = await createDirectoryStore({ dir: join(ca.dir, 'store-broken') });
    const big = pattern(2 * 1024 * 1024 + 5, 3);
    await expect(store.put('obj', cutAfter(pieces(big, 4096), 1_500_000))).rejects.toThrow('connection reset');
    expect(await store.pendingSize('obj')).toBe(1_500_000);
    expect((await readFile(join(ca.dir, 'store-broken', 'pending', 'obj'))).equals(big.subarray(0, 1_500_000))).toBe(true);
  });

  it('refuses to overwrite, path-like ids and out-of-range reads', async () => {
    const store = await createDirectoryStore({ dir: join(ca.dir, 'store-refusals') });
    unwrap(await store.put('a', pieces(Buffer.from('x'))));
    const again = await store.put('a', pieces(Buffer.from('y')));
    expect(!again.ok && again.code).toBe('SOV_DATAPLANE_OBJECT_EXISTS');
    const escape = await store.put('../escape', pieces(Buffer.from('y')));
    expect(!escape.ok && escape.code).toBe('SOV_DATAPLANE_OBJECT_ID_INVALID');
    const outside = await store.get('a', { start: 0, end: 2 });
    expect(!outside.ok && outside.code).toBe('SOV_DATAPLANE_RANGE_INVALID');
    const missing = await store.get('b');
    expect(!missing.ok && missing.code).toBe('SOV_DATAPLANE_OBJECT_NOT_FOUND');
  });

  it('never commits a container that fails verification, and says why', async () => {
    const store = await createDirectoryStore({ dir: join(ca.dir, 'store-verify') });
    const tampered = Buffer.from(sealed.bytes);
    tampered[500]! ^= 1;
    const result = await store.put('obj', verifyContainerStream(pieces(tampered), { crypto, expectedSignerKey: uk.kms.activeSigningKey().publicKey }));
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_DIGEST_MISMATCH');
    expect(await store.has('obj')).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('keeps the bytes of an interrupted put pending, never under the final name', async () => {
    const store = await createDirectoryStore({ dir: join(ca.dir, 'store-cut') });
    await expect(store.put('obj', cutAfter(pieces(sealed.bytes), 3000))).rejects.toThrow('connection reset');
    expect(await store.has('obj')).toBe(false);
    expect(await store.pendingSize('obj')).toBe(3000);
  });
});

describe('resume by chunk index', () => {
  const header = () => sealed.summary.header;
  it.each([
    ['inside the header', 20],
    ['mid-chunk', 2500],
    ['exactly at a chunk boundary', 0],
    ['inside the trailer', -30],
  ])('continues a transfer cut %s into a byte-identical, verified copy', async (_where, cut) => {
    const at = cut < 0 ? sealed.bytes.length + cut : cut === 0 ? header().headerLength + 3 * (4 + 1024 + 17) : cut;
    const consumer = await createDirectoryStore({ dir: join(ca.dir, `resume-${at}`) });
    const expectation = { crypto, expectedSignerKey: uk.kms.activeSigningKey().publicKey };
    const first = unwrap(await provider.get('urn:uuid:ds-1'));
    await expect(consumer.put('ds', verifyContainerStream(cutAfter(first, at), expectation))).rejects.toThrow('connection reset');

    const point = await planResume(consumer, 'ds');
    expect(point.keepBytes).toBeLessThanOrEqual(at);
    expect(point.fromChunk).toBe(at < header().headerLength ? undefined : Math.floor((at - header().headerLength) / (4 + 1024 + 17)));
    const rest = unwrap(await readFromChunk(provider, 'urn:uuid:ds-1', point.fromChunk));
    const prefix = unwrap(await consumer.readPending('ds', { end: point.keepBytes }));
    const stored = unwrap(await consumer.put('ds', verifyContainerStream(rest, { ...expectation, storedPrefix: prefix }), { resumeAt: point.keepBytes }));

    const copy = await readFile(join(ca.dir, `resume-${at}`, 'objects', 'ds'));
    expect(copy.equals(sealed.bytes)).toBe(true);
    expect(stored.size).toBe(sealed.bytes.length);
    const opened = await tryOpen(uk, crypto, copy, sealed.dataKeyId);
    expect(opened.ok).toBe(true);
  });

  it('resumes at the chunk that was cut: whole chunks already stored are not sent again', async () => {
    const consumer = await createDirectoryStore({ dir: join(ca.dir, 'resume-count') });
    const cut = header().headerLength + 2 * (4 + 1024 + 17) + 100;
    await expect(consumer.put('ds', cutAfter(pieces(sealed.bytes), cut))).rejects.toThrow();
    expect(await planResume(consumer, 'ds')).toEqual({ fromChunk: 2, keepBytes: cut - 100 });
    const rest = await collect(unwrap(await readFromChunk(provider, 'urn:uuid:ds-1', 2)));
    expect(rest.length).toBe(sealed.bytes.length - (cut - 100));
  });

  it('refuses a chunk index past the end', async () => {
    const result = await readFromChunk(provider, 'urn:uuid:ds-1', 7);
    expect(!result.ok && result.code).toBe('SOV_DATAPLANE_RANGE_INVALID');
  });
});
