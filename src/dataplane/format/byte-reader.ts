/**
 * Reads exact byte counts from an async iterable of arbitrarily sized pieces, pulling only
 * what it needs (constant memory, the producer's backpressure is respected).
 */
export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);
  private ended = false;
  /** Bytes handed out so far. */
  offset = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Exactly `n` bytes, or fewer only when the source ended first. */
  async read(n: number): Promise<Uint8Array> {
    if (this.pending.length >= n) return this.take(n);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.pending.length === 0 && !(await this.fill())) break;
      const piece = this.take(Math.min(n - filled, this.pending.length));
      out.set(piece, filled);
      filled += piece.length;
    }
    return filled === n ? out : out.subarray(0, filled);
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return this.pending.length === 0 && !(await this.fill());
  }

  private take(n: number): Uint8Array {
    const piece = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    this.offset += n;
    return piece;
  }

  private async fill(): Promise<boolean> {
    while (!this.ended && this.pending.length === 0) {
      const next = await this.iterator.next();
      if (next.done === true) this.ended = true;
      else this.pending = next.value;
    }
    return this.pending.length > 0;
  }
}

/** Concatenates async iterables (e.g. a stored prefix, then the resumed remainder). */
export async function* concatSources(...sources: AsyncIterable<Uint8Array>[]): AsyncGenerator<Uint8Array> {
  for (const source of sources) yield* source;
}
