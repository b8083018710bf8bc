import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../src/dataplane/format/coalesce.js';

async function* source(pieces: number, size: number, failAfter?: number, pulled?: number[]): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < pieces; i += 1) {
    if (i === failAfter) throw new Error('connection reset');
    pulled?.push(i);
    yield new Uint8Array(size).fill(i);
  }
}

describe('feeding a store with read-ahead', () => {
  it('hands every piece on as it came, in order, losing nothing', async () => {
    const pieces: Uint8Array[] = [];
    for await (const piece of coalesce(source(10, 300), 1000)) pieces.push(piece);
    expect(pieces.map((p) => p.length)).toEqual(Array(10).fill(300));
    expect(Buffer.concat(pieces).equals(Buffer.concat([...Array(10).keys()].map((i) => new Uint8Array(300).fill(i))))).toBe(true);
  });

  it('pulls ahead of a busy store, but never more than its window', async () => {
    const pulled: number[] = [];
    const iterator = coalesce(source(100, 300, undefined, pulled), 1000)[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setImmediate(resolve)); // every pull the window allows has happened by then
    // One piece taken, then pulled until 1000 bytes wait: 1 + 4 pieces of 300.
    expect(pulled).toHaveLength(5);
    await iterator.return?.(undefined);
  });

  it('hands on what arrived before a broken source, then fails with its error', async () => {
    const taken: number[] = [];
    const seen: number[] = [];
    await expect(async () => {
      for await (const piece of coalesce(source(10, 300, 5), 1000, (p) => seen.push(p.length))) taken.push(piece[0]!);
    }).rejects.toThrow('connection reset');
    expect(taken).toEqual([0, 1, 2, 3, 4]);
    expect(seen).toHaveLength(5);
  });

  it('closes the source when the store stops taking', async () => {
    let closed = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield new Uint8Array(100);
      } finally {
        closed = true;
      }
    }
    for await (const _piece of coalesce(endless(), 1000)) break;
    expect(closed).toBe(true);
  });
});
