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

export function refuse(failure: Failure): never {
  throw new DomainError(failure);
}

async function readHeader(reader: ByteReader): Promise<{ header: ContainerHeader; raw: Uint8Array }> {
  const fixed = await reader.read(FIXED_HEADER_BYTES);
  const length = decodeHeaderLength(fixed);
  if (!length.ok) refuse(length);
  const rest = await reader.read(length.value - FIXED_HEADER_BYTES);
  if (rest.length < length.value - FIXED_HEADER_BYTES) refuse(fail('SOV_DATAPLANE_TRUNCATED', 'the container ends inside its header'));
  const raw = new Uint8Array(length.value);
  raw.set(fixed, 0);
  raw.set(rest, FIXED_HEADER_BYTES);
  const header = decodeHeader(raw);
  if (!header.ok) refuse(header);
  return { header: header.value, raw };
}

async function readPrefix(reader: ByteReader, index: number): Promise<{ prefix: Uint8Array; length: number }> {
  const prefix = await reader.read(LENGTH_PREFIX_BYTES);
  if (prefix.length === 0) refuse(fail('SOV_DATAPLANE_TRUNCATED', `the container ends before chunk ${index} or its trailer`, { chunk: index }));
  if (prefix.length < LENGTH_PREFIX_BYTES) refuse(fail('SOV_DATAPLANE_TRUNCATED', `the container ends inside the length of chunk ${index}`, { chunk: index }));
  const copy = Uint8Array.from(prefix);
  return { prefix: copy, length: new DataView(copy.buffer).getUint32(0) };
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
    if (lastWasShort) refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `chunk ${index} follows a short (final) chunk`, { chunk: index }));
    // Only a lone chunk may be empty: the writer's lookahead never emits an empty last chunk.
    if (length < ABYTES || length > full || (length === ABYTES && index > 0)) {
      refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `chunk ${index} has length ${length}`, { chunk: index }));
    }
    const ciphertext = await reader.read(length);
    if (ciphertext.length < length) refuse(fail('SOV_DATAPLANE_TRUNCATED', `the container ends inside chunk ${index}`, { chunk: index }));
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
): Promise<ContainerPart> {
  if (seen.chunks === 0) refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', 'the end marker comes before any chunk'));
  const declared = seen.header.plaintextLength;
  if (declared !== undefined && declared !== seen.plaintextLength) {
    refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `the chunks hold ${seen.plaintextLength} bytes, the header declares ${declared}`));
  }
  hash.update(new Uint8Array(LENGTH_PREFIX_BYTES));
  const tail = await reader.read(DIGEST_BYTES + SIGNATURE_BYTES);
  if (tail.length < DIGEST_BYTES + SIGNATURE_BYTES) refuse(fail('SOV_DATAPLANE_TRUNCATED', 'the container ends inside its trailer'));
  if (!(await reader.atEnd())) refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', 'bytes follow the trailer'));
  const raw = new Uint8Array(LENGTH_PREFIX_BYTES + tail.length);
  raw.set(tail, LENGTH_PREFIX_BYTES);
  return {
    kind: 'trailer',
    raw,
    computedDigest: hash.digest(),
    statedDigest: raw.slice(LENGTH_PREFIX_BYTES, LENGTH_PREFIX_BYTES + DIGEST_BYTES),
    signature: raw.slice(LENGTH_PREFIX_BYTES + DIGEST_BYTES),
    chunks: seen.chunks,
    plaintextLength: seen.plaintextLength,
    size: reader.offset,
  };
}
