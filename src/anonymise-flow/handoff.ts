/**
 * A one-slot handoff between a writer that pushes (the anonymiser's `write`) and a reader
 * that pulls (the container writer's source). `write` resolves only once the reader came back
 * for more, so at most one chunk is in flight and backpressure reaches the anonymiser.
 */
export interface Handoff {
  write(chunk: Uint8Array): Promise<void>;
  end(): void;
  /** Makes the reader throw `error` (the container writer then fails its put). */
  abort(error: Error): void;
  readonly source: AsyncIterable<Uint8Array>;
}

export function handoff(): Handoff {
  const items: Array<{ chunk: Uint8Array; taken: () => void }> = [];
  const state: { ended: boolean; error?: Error; wake?: () => void } = { ended: false };
  const wake = (): void => {
    const resume = state.wake;
    state.wake = undefined;
    resume?.();
  };
  async function* read(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (state.error !== undefined) throw state.error;
      const item = items.shift();
      if (item !== undefined) {
        yield item.chunk;
        // The reader is back for more: it has consumed (the chunker copied) this chunk.
        item.taken();
        continue;
      }
      if (state.ended) return;
      await new Promise<void>((resume) => (state.wake = resume));
    }
  }
  return {
    write: (chunk) =>
      new Promise<void>((taken) => {
        items.push({ chunk, taken });
        wake();
      }),
    end() {
      state.ended = true;
      wake();
    },
    abort(error) {
      state.error = error;
      wake();
    },
    source: { [Symbol.asyncIterator]: read },
  };
}
