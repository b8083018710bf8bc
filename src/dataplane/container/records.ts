/**
 * Splits container bytes into header, chunk records and trailer (docs/format.md §2–§4) and
 * computes the BLAKE2b-256 digest on the way. Checks framing only; decryption and signature
 * checks are the callers'. Every failure is a DomainError carrying a SOV_DATAPLANE_* code.
 */
import { DomainError, fail, type Failure } from '../../errors/index.js';
import { ByteReader } from '../format/byte-reader.js';
import {
  ABYTES, DIGEST_BYTES, FIXED_HEADER_BYTES, LENGTH_PREFIX_BYTES, SIGNATURE_BYTES,
  decodeHeader, decodeHeaderLength, type ContainerHeader,
} from '../format/layout.js';
import type { BulkCrypto } from '../ports.js';

export type ContainerPart =
  | { kind: 'header'; header: ContainerHeader; raw: Uint8Array }
  | { kind: 'chunk'; index: number; prefix: Uint8Array; ciphertext: Uint8Array }
  | { kind: 'trailer'; raw: Uint8Array; computedDigest: Uint8Array; statedDigest: Uint8Array; signature: Uint8Array; chunks: number; plaintextLength: number; size: number };

export type TrailerPart = Extract<ContainerPart, { kind: 'trailer' }>;

export function refuse(failure: Failure): never {
  throw new DomainError(failure);
}

async function readHeader(reader: ByteReader): Promise<{ header: ContainerHeader; raw: Uint8Array }> {
  const fixed = await reader.read(FIXED_HEADER_BYTES);
  const length = decodeHeaderLength(fixed);
  if (!length.ok) refuse(length);
  const rest = await reader.read(length.value - FIXED_HEADER_BYTES);
  if (rest.length < length.value - FIXED_HEADER_BYTES) refuse(ENDS_INSIDE_HEADER());
  const raw = new Uint8Array(length.value);
  raw.set(fixed, 0);
  raw.set(rest, FIXED_HEADER_BYTES);
  const header = decodeHeader(raw);
  if (!header.ok) refuse(header);
  return { header: header.value, raw };
}

async function readPrefix(reader: ByteReader, index: number): Promise<{ prefix: Uint8Array; length: number }> {
  const prefix = await reader.read(LENGTH_PREFIX_BYTES);
  if (prefix.length < LENGTH_PREFIX_BYTES) refuse(endsInsidePrefix(index, prefix.length));
  const copy = Uint8Array.from(prefix);
  return { prefix: copy, length: new DataView(copy.buffer).getUint32(0) };
}

/*
 * The framing rules (§3), shared by readContainerParts and the verify-only ContainerScanner
 * (scanner.ts) so both readers refuse the same containers with the same codes.
 */

/** Cut before the 4-byte length of record `index` (`have` = 0) or inside it (1–3). */
export function endsInsidePrefix(index: number, have: number): Failure {
  return have === 0
    ? fail('SOV_DATAPLANE_TRUNCATED', `the container ends before chunk ${index} or its trailer`, { chunk: index })
    : fail('SOV_DATAPLANE_TRUNCATED', `the container ends inside the length of chunk ${index}`, { chunk: index });
}

export function endsInsideChunk(index: number): Failure {
  return fail('SOV_DATAPLANE_TRUNCATED', `the container ends inside chunk ${index}`, { chunk: index });
}

export const ENDS_INSIDE_HEADER = (): Failure => fail('SOV_DATAPLANE_TRUNCATED', 'the container ends inside its header');
export const ENDS_INSIDE_TRAILER = (): Failure => fail('SOV_DATAPLANE_TRUNCATED', 'the container ends inside its trailer');
export const BYTES_AFTER_TRAILER = (): Failure => fail('SOV_DATAPLANE_FRAMING_INVALID', 'bytes follow the trailer');

/**
 * Every record before the last is full size, only the last may be shorter, and only a lone
 * chunk may be empty (the writer's lookahead never emits an empty last chunk).
 */
export function checkRecordLength(index: number, length: number, full: number, lastWasShort: boolean): void {
  if (lastWasShort) refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `chunk ${index} follows a short (final) chunk`, { chunk: index }));
  if (length < ABYTES || length > full || (length === ABYTES && index > 0)) {
    refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `chunk ${index} has length ${length}`, { chunk: index }));
  }
}

/** At the end marker: at least one chunk, and as many plaintext bytes as the header declares. */
export function checkEndMarker(header: ContainerHeader, chunks: number, plaintextLength: number): void {
  if (chunks === 0) refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', 'the end marker comes before any chunk'));
  const declared = header.plaintextLength;
  if (declared !== undefined && declared !== plaintextLength) {
    refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `the chunks hold ${plaintextLength} bytes, the header declares ${declared}`));
  }
}

/**
 * Yields the parts of a container in order. Framing rules (§3): every record before the last
 * is full size, only the last may be shorter, the end marker follows it, and the declared
 * plaintext length (if any) must match.
 */
export async function* readContainerParts(source: AsyncIterable<Uint8Array>, crypto: BulkCrypto): AsyncGenerator<ContainerPart> {
  const reader = new ByteReader(source);
  const hash = crypto.createHash();
  const { header, raw } = await readHeader(reader);
  hash.update(raw);
  yield { kind: 'header', header, raw };
  const full = header.chunkSize + ABYTES;
  let index = 0;
  let plaintextLength = 0;
  let lastWasShort = false;
  for (;;) {
    const { prefix, length } = await readPrefix(reader, index);
    if (length === 0) break;
    checkRecordLength(index, length, full, lastWasShort);
    const ciphertext = await reader.read(length);
    if (ciphertext.length < length) refuse(endsInsideChunk(index));
    hash.update(prefix);
    hash.update(ciphertext);
    lastWasShort = length < full;
    plaintextLength += length - ABYTES;
    yield { kind: 'chunk', index, prefix, ciphertext };
    index += 1;
  }
  yield await readTrailer(reader, hash, { header, chunks: index, plaintextLength });
}

async function readTrailer(
  reader: ByteReader,
  hash: ReturnType<BulkCrypto['createHash']>,
  seen: { header: ContainerHeader; chunks: number; plaintextLength: number },
): Promise<TrailerPart> {
  checkEndMarker(seen.header, seen.chunks, seen.plaintextLength);
  hash.update(new Uint8Array(LENGTH_PREFIX_BYTES));
  const tail = await reader.read(TAIL_BYTES);
  if (tail.length < TAIL_BYTES) refuse(ENDS_INSIDE_TRAILER());
  if (!(await reader.atEnd())) refuse(BYTES_AFTER_TRAILER());
  return trailerPart(tail, hash.digest(), { chunks: seen.chunks, plaintextLength: seen.plaintextLength, size: reader.offset });
}

/** Digest and signature after the end marker. */
export const TAIL_BYTES = DIGEST_BYTES + SIGNATURE_BYTES;

/** The trailer part from its `tail` (digest || signature) and the digest computed up to it. */
export function trailerPart(tail: Uint8Array, computedDigest: Uint8Array, seen: { chunks: number; plaintextLength: number; size: number }): TrailerPart {
  const raw = new Uint8Array(LENGTH_PREFIX_BYTES + TAIL_BYTES);
  raw.set(tail, LENGTH_PREFIX_BYTES);
  return {
    kind: 'trailer',
    raw,
    computedDigest,
    statedDigest: raw.slice(LENGTH_PREFIX_BYTES, LENGTH_PREFIX_BYTES + DIGEST_BYTES),
    signature: raw.slice(LENGTH_PREFIX_BYTES + DIGEST_BYTES),
    ...seen,
  };
}
