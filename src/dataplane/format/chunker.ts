/**
 * Cuts a plaintext stream into fixed-size chunks and marks the last one, looking one chunk
 * ahead so that a plaintext of an exact multiple of the chunk size still ends on a FINAL
 * chunk (docs/format.md §3). An empty plaintext is one empty final chunk. Two chunk buffers
 * take turns: a chunk's `data` is valid only until the next chunk is asked for (the container
 * writer seals each at once), so a dataset of any size allocates two chunks, not one per chunk.
 */
export interface PlainChunk {
  data: Uint8Array;
  final: boolean;
}

export async function* chunkPlaintext(source: AsyncIterable<Uint8Array>, chunkSize: number): AsyncGenerator<PlainChunk> {
  let held: Uint8Array | undefined;
  let current: Uint8Array = new Uint8Array(chunkSize);
  let filled = 0;
  for await (const piece of source) {
    let at = 0;
    while (at < piece.length) {
      // A full chunk is only released once more bytes exist, so it is known not to be the last.
      if (filled === chunkSize) {
        // The chunk handed out is spent once the next is asked for: it takes the next bytes.
        const spent = held;
        if (spent !== undefined) yield { data: spent, final: false };
        held = current;
        current = spent ?? new Uint8Array(chunkSize);
        filled = 0;
      }
      const n = Math.min(chunkSize - filled, piece.length - at);
      current.set(piece.subarray(at, at + n), filled);
      filled += n;
      at += n;
    }
  }
  if (held !== undefined) yield { data: held, final: false };
  yield { data: current.subarray(0, filled), final: true };
}
