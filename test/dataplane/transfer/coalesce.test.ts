import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../src/dataplane/format/coalesce.js';

async function* source(pieces: number, size: number, failAfter?: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < pieces; i += 1) {
    if (i === failAfter) throw new Error('connection reset');
    yield new Uint8Array(size).fill(i);
  }
}

describe('coalesced store writes', () => {
  it('gathers pieces into writes of the given size, in order, losing nothing', async () => {
    const writes: Uint8Array[] = [];
    for await (const write of coalesce(source(10, 300), 1000)) writes.push(write);
    expect(writes.map((w) => w.length)).toEqual([1200, 1200, 600]);
    expect(Buffer.concat(writes).equals(Buffer.concat([...Array(10).keys()].map((i) => new Uint8Array(300).fill(i))))).toBe(true);
  });

  it('writes what arrived before a broken source, then fails with its error', async () => {
    const writes: number[] = [];
    const seen: number[] = [];
    await expect(async () => {
      for await (const write of coalesce(source(10, 300, 5), 1000, (p) => seen.push(p.length))) writes.push(write.length);
    }).rejects.toThrow('connection reset');
    expect(writes).toEqual([1200, 300]);
    expect(seen).toHaveLength(5);
  });
});
