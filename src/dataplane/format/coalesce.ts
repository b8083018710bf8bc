/**
 * Gathers small pieces into writes of about `bytes` (default 1 MiB): a container arrives as
 * 4-byte lengths and 64 KiB records, and one store write per piece costs more than the crypto.
 * When the source throws, what was gathered is written first and the error passed on: a
 * store fed through it keeps every byte its source released (a resume then skips them) and
 * still never commits, because the put fails with the error. The next write is gathered while
 * the current one is written (one batch of read-ahead), so producing (encryption,
 * verification) overlaps the disk.
 */
export const WRITE_BYTES = 1024 * 1024;

export async function* coalesce(source: AsyncIterable<Uint8Array>, bytes = WRITE_BYTES, onPiece?: (piece: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  yield* readAhead(gather(source, bytes, onPiece));
}

async function* gather(source: AsyncIterable<Uint8Array>, bytes: number, onPiece?: (piece: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  let gathered: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const piece of source) {
      onPiece?.(piece);
      gathered.push(piece);
      size += piece.length;
      if (size < bytes) continue;
      yield Buffer.concat(gathered, size);
      gathered = [];
      size = 0;
    }
  } catch (error) {
    // A broken connection: what arrived intact is still written, so a resume need not fetch it again.
    if (size > 0) yield Buffer.concat(gathered, size);
    throw error;
  }
  if (size > 0) yield Buffer.concat(gathered, size);
}

/** Keeps one `next()` of `source` in flight while the consumer works on the previous value. */
async function* readAhead(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  // Observed here so a failure while the consumer is busy is not reported as unhandled; it is rethrown below.
  pending.catch(() => undefined);
  try {
    for (;;) {
      const next = await pending;
      if (next.done === true) return;
      pending = iterator.next();
      pending.catch(() => undefined);
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
