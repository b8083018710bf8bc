/**
 * Resuming by chunk index (docs/format.md §6). Every record before the last has the same
 * size, so chunk i starts at a computable offset; a broken transfer keeps the whole chunks it
 * has and asks for the rest from the next index.
 */
import { fail, type Result } from '../../errors/index.js';
import { readAll } from '../format/read-all.js';
import { FIXED_HEADER_BYTES, chunkCount, chunkOffset, decodeHeader, decodeHeaderLength, fullRecordBytes, type ContainerHeader } from '../format/layout.js';
import type { CiphertextStore } from '../ports.js';

/** Reads and decodes the header of stored object `id`. */
export async function readStoredHeader(store: CiphertextStore, id: string): Promise<Result<ContainerHeader>> {
  const fixed = await store.get(id, { start: 0, end: FIXED_HEADER_BYTES });
  if (!fixed.ok) return fixed;
  const length = decodeHeaderLength(await readAll(fixed.value));
  if (!length.ok) return length;
  const whole = await store.get(id, { start: 0, end: length.value });
  if (!whole.ok) return whole;
  return decodeHeader(await readAll(whole.value));
}

/**
 * The stored container from chunk record `fromChunk` to its end (trailer included), or the
 * whole container when `fromChunk` is undefined (the reader has not even the header yet).
 */
export async function readFromChunk(store: CiphertextStore, id: string, fromChunk: number | undefined): Promise<Result<AsyncIterable<Uint8Array>>> {
  if (fromChunk === undefined) return store.get(id);
  if (!Number.isSafeInteger(fromChunk) || fromChunk < 0) return fail('SOV_DATAPLANE_RANGE_INVALID', `chunk index ${fromChunk} is not a natural number`);
  const header = await readStoredHeader(store, id);
  if (!header.ok) return header;
  const known = header.value.plaintextLength;
  if (known !== undefined && fromChunk >= chunkCount(known, header.value.chunkSize)) {
    return fail('SOV_DATAPLANE_RANGE_INVALID', `the container has ${chunkCount(known, header.value.chunkSize)} chunks, chunk ${fromChunk} asked`);
  }
  return store.get(id, { start: chunkOffset(header.value, fromChunk) });
}

export interface ResumePoint {
  /** First chunk to fetch; undefined = fetch the whole container (no complete header stored). */
  fromChunk: number | undefined;
  /** Stored bytes to keep: the header plus the whole chunk records before `fromChunk`. */
  keepBytes: number;
}

/** Where to resume when `storedBytes` of a container arrived. */
export function resumePoint(header: ContainerHeader | undefined, storedBytes: number): ResumePoint {
  if (header === undefined || storedBytes < header.headerLength) return { fromChunk: undefined, keepBytes: 0 };
  const chunk = Math.floor((storedBytes - header.headerLength) / fullRecordBytes(header.chunkSize));
  return { fromChunk: chunk, keepBytes: chunkOffset(header, chunk) };
}


/** The resume point of an interrupted put of `id` in `store`, from its pending bytes. */
export async function planResume(store: CiphertextStore, id: string): Promise<ResumePoint> {
  const stored = (await store.pendingSize(id)) ?? 0;
  if (stored < FIXED_HEADER_BYTES) return resumePoint(undefined, stored);
  const fixed = await store.readPending(id, { start: 0, end: FIXED_HEADER_BYTES });
  const length = fixed.ok ? decodeHeaderLength(await readAll(fixed.value)) : fixed;
  if (!length.ok || length.value > stored) return resumePoint(undefined, stored);
  const whole = await store.readPending(id, { start: 0, end: length.value });
  const header = whole.ok ? decodeHeader(await readAll(whole.value)) : whole;
  return resumePoint(header.ok ? header.value : undefined, stored);
}
