/**
 * Byte layout of the container, version 1 (docs/format.md §2). Pure: encodes and decodes the
 * header and computes where chunk records sit, so a reader can seek to chunk i.
 */
import { fail, ok, type Result } from '../../errors/index.js';

export const MAGIC = Uint8Array.of(0x53, 0x4f, 0x56, 0x43); // "SOVC"
export const FORMAT_VERSION = 1;
/** Suite 1: secretstream-xchacha20poly1305 chunks, BLAKE2b-256 digest, Ed25519 signature. */
export const SUITE_ID = 1;
export const FIXED_HEADER_BYTES = 48;
export const STREAM_HEADER_BYTES = 24;
export const ABYTES = 17;
export const LENGTH_PREFIX_BYTES = 4;
export const DIGEST_BYTES = 32;
export const SIGNATURE_BYTES = 64;
/** End marker (a zero length prefix) + digest + signature. */
export const TRAILER_BYTES = LENGTH_PREFIX_BYTES + DIGEST_BYTES + SIGNATURE_BYTES;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
export const MIN_CHUNK_SIZE = 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const MAX_STRING_BYTES = 1024;
/** Domain-separation prefix of the signed message: the signing key signs other things too. */
export const SIGNATURE_CONTEXT = new TextEncoder().encode('sovc-container-v1:');

const FLAG_LENGTH_KNOWN = 1;

export interface ContainerHeader {
  chunkSize: number;
  /** Plaintext bytes, when the writer knew them up front. */
  plaintextLength: number | undefined;
  streamHeader: Uint8Array;
  datasetId: string;
  datasetVersion: string;
  /** DID URL of the Ed25519 key that signs the trailer, e.g. `did:web:uk.example#sig-1`. */
  signer: string;
  /** Total header bytes (fixed part + the three strings). */
  headerLength: number;
}

export type HeaderFields = Omit<ContainerHeader, 'headerLength'>;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function encodeHeader(fields: HeaderFields): Uint8Array {
  const strings = [fields.datasetId, fields.datasetVersion, fields.signer].map((s) => encoder.encode(s));
  if (strings.some((s) => s.length > MAX_STRING_BYTES)) throw new RangeError('header string over 1024 bytes');
  if (fields.chunkSize < MIN_CHUNK_SIZE || fields.chunkSize > MAX_CHUNK_SIZE) throw new RangeError('chunk size out of range');
  const length = FIXED_HEADER_BYTES + strings.reduce((n, s) => n + 2 + s.length, 0);
  const out = Buffer.alloc(length);
  out.set(MAGIC, 0);
  out.writeUInt8(FORMAT_VERSION, 4);
  out.writeUInt8(SUITE_ID, 5);
  out.writeUInt8(fields.plaintextLength === undefined ? 0 : FLAG_LENGTH_KNOWN, 6);
  out.writeUInt32BE(length, 8);
  out.writeUInt32BE(fields.chunkSize, 12);
  out.writeBigUInt64BE(BigInt(fields.plaintextLength ?? 0), 16);
  out.set(fields.streamHeader, 24);
  let at = FIXED_HEADER_BYTES;
  for (const s of strings) {
    out.writeUInt16BE(s.length, at);
    out.set(s, at + 2);
    at += 2 + s.length;
  }
  return out;
}

/** Checks the fixed 48 bytes and returns the total header length to read. */
export function decodeHeaderLength(fixed: Uint8Array): Result<number> {
  const b = Buffer.from(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  if (b.length < FIXED_HEADER_BYTES) return fail('SOV_DATAPLANE_TRUNCATED', 'the container ends inside its header');
  if (!MAGIC.every((v, i) => b[i] === v)) return fail('SOV_DATAPLANE_NOT_A_CONTAINER', 'the bytes do not start with "SOVC"');
  if (b[4] !== FORMAT_VERSION || b[5] !== SUITE_ID) {
    return fail('SOV_DATAPLANE_UNSUPPORTED_FORMAT', `format version ${b[4]} suite ${b[5]} is not supported (expected 1/1)`);
  }
  if ((b[6]! & ~FLAG_LENGTH_KNOWN) !== 0 || b[7] !== 0) return headerInvalid('unknown flags or non-zero reserved byte');
  const length = b.readUInt32BE(8);
  if (length < FIXED_HEADER_BYTES + 6 || length > FIXED_HEADER_BYTES + 3 * (2 + MAX_STRING_BYTES)) {
    return headerInvalid(`header length ${length} out of range`);
  }
  return ok(length);
}

export function decodeHeader(bytes: Uint8Array): Result<ContainerHeader> {
  const length = decodeHeaderLength(bytes);
  if (!length.ok) return length;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length !== length.value) return headerInvalid('header length does not match its bytes');
  const chunkSize = b.readUInt32BE(12);
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) return headerInvalid(`chunk size ${chunkSize} out of range`);
  const declared = b.readBigUInt64BE(16);
  const lengthKnown = (b[6]! & FLAG_LENGTH_KNOWN) !== 0;
  if (declared > BigInt(Number.MAX_SAFE_INTEGER) || (!lengthKnown && declared !== 0n)) {
    return headerInvalid('plaintext length field is inconsistent');
  }
  const strings = decodeStrings(b);
  if (!strings.ok) return strings;
  const [datasetId, datasetVersion, signer] = strings.value as [string, string, string];
  return ok({
    chunkSize,
    plaintextLength: lengthKnown ? Number(declared) : undefined,
    streamHeader: Uint8Array.prototype.slice.call(b, 24, 24 + STREAM_HEADER_BYTES),
    datasetId,
    datasetVersion,
    signer,
    headerLength: b.length,
  });
}

function decodeStrings(b: Buffer): Result<string[]> {
  const strings: string[] = [];
  let at = FIXED_HEADER_BYTES;
  for (let i = 0; i < 3; i += 1) {
    if (at + 2 > b.length) return headerInvalid('header strings run past the header length');
    const n = b.readUInt16BE(at);
    if (n > MAX_STRING_BYTES || at + 2 + n > b.length) return headerInvalid('header strings run past the header length');
    try {
      strings.push(strictDecoder.decode(b.subarray(at + 2, at + 2 + n)));
    } catch {
      return headerInvalid('a header string is not valid UTF-8');
    }
    at += 2 + n;
  }
  if (at !== b.length) return headerInvalid('bytes left over after the header strings');
  return ok(strings);
}

function headerInvalid(detail: string): Result<never> {
  return fail('SOV_DATAPLANE_HEADER_INVALID', detail);
}

/** Bytes of one full (non-final) chunk record: length prefix + ciphertext. */
export function fullRecordBytes(chunkSize: number): number {
  return LENGTH_PREFIX_BYTES + chunkSize + ABYTES;
}

/** Byte offset of chunk record `index`: every record before the last is full size. */
export function chunkOffset(header: Pick<ContainerHeader, 'headerLength' | 'chunkSize'>, index: number): number {
  return header.headerLength + index * fullRecordBytes(header.chunkSize);
}

/** Number of chunks for a known plaintext length: at least one (an empty plaintext is one empty FINAL chunk). */
export function chunkCount(plaintextLength: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(plaintextLength / chunkSize));
}

/** The message the trailer signature covers: context prefix || digest. */
export function signedMessage(digest: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIGNATURE_CONTEXT.length + digest.length);
  out.set(SIGNATURE_CONTEXT, 0);
  out.set(digest, SIGNATURE_CONTEXT.length);
  return out;
}
