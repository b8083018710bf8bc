/**
 * Feeds a store from a producer (verification of a container arriving, encryption) with up to
 * `bytes` (default WRITE_BYTES, about one store write) of pieces pulled ahead, so producing
 * overlaps the store's writes.
 * The pieces go on as they came: the store gathers its own writes (the directory store writes
 * them with one writev), and copying them into fresh 1 MiB buffers here cost a pull about half
 * as much CPU as its BLAKE2b digest. When the source throws, the pieces pulled before are
 * handed on first and the error passed on after them: a store fed through it keeps every byte
 * its source released (a resume then skips them) and still never commits, because the put
 * fails with the error.
 */
/** The default read-ahead window: about one gathered store write. */
export const WRITE_BYTES = 256 * 1024;

export async function* coalesce(source: AsyncIterable<Uint8Array>, bytes = WRITE_BYTES, onPiece?: (piece: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  const ahead = new ReadAhead(source, bytes, onPiece);
  try {
    for (;;) {
      const piece = await ahead.take();
      if (piece === undefined) return;
      yield piece;
    }
  } finally {
    await ahead.stop();
  }
}

/** Pulls `source` into a queue while fewer than `window` bytes wait in it. */
class ReadAhead {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private outcome: { error: unknown } | 'done' | undefined;
  private pulling: Promise<void> | undefined;
  private wakeTaker: (() => void) | undefined;
  private stopped = false;

  constructor(source: AsyncIterable<Uint8Array>, private readonly window: number, private readonly onPiece?: (piece: Uint8Array) => void) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** The next piece; undefined at the end; throws the source's error once the pieces before it are taken. */
  async take(): Promise<Uint8Array | undefined> {
    for (;;) {
      this.pullMore();
      const piece = this.queue.shift();
      if (piece !== undefined) {
        this.queued -= piece.length;
        this.pullMore();
        return piece;
      }
      if (this.outcome === 'done') return undefined;
      if (this.outcome !== undefined) throw this.outcome.error;
      await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    }
  }

  /** The taker is gone (done, or failed writing): no more pulls, and an unfinished source is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pulling;
    if (this.outcome === undefined) await this.iterator.return?.();
  }

  /** Starts pulling (one `next()` at a time) while there is room and the source has not ended. */
  private pullMore(): void {
    if (this.stopped || this.pulling !== undefined || this.outcome !== undefined || this.queued >= this.window) return;
    this.pulling = (async () => {
      try {
        const next = await this.iterator.next();
        if (next.done === true) this.outcome = 'done';
        else {
          this.onPiece?.(next.value);
          this.queue.push(next.value);
          this.queued += next.value.length;
        }
      } catch (error) {
        this.outcome = { error };
      }
      this.pulling = undefined;
      this.wakeTaker?.();
      this.wakeTaker = undefined;
      this.pullMore();
    })();
  }
}
