/**
 * Encrypts a plaintext stream into a signed container (docs/format.md), pulling the source
 * only as fast as the container bytes are consumed: constant memory, backpressure kept.
 * The data key is borrowed from kms just long enough to initialise the secretstream state.
 */
import { fail } from '../../errors/index.js';
import type { Kms } from '../../kms/ports.js';
import { chunkPlaintext } from '../format/chunker.js';
import {
  ABYTES, DEFAULT_CHUNK_SIZE, LENGTH_PREFIX_BYTES, encodeHeader, signedMessage, type ContainerHeader,
} from '../format/layout.js';
import type { BulkCrypto, IncrementalHash, SecretStreamPush } from '../ports.js';
import { refuse } from './records.js';
import type { ContainerSummary } from './trailer.js';

export interface EncryptOptions {
  crypto: BulkCrypto;
  kms: Pick<Kms, 'withDataKey' | 'sign' | 'activeSigningKey'>;
  /** The dataset's data key (DEK) inside kms. */
  dataKeyId: string;
  datasetId: string;
  datasetVersion: string;
  /** DID of the signing connector; the header names `<did>#<signing key id>`. */
  signerDid: string;
  chunkSize?: number;
  /** Plaintext bytes when known up front; the container then declares and enforces it. */
  plaintextLength?: number;
}

/** Container bytes; `summary` is set once the last byte (the trailer) has been produced. */
export interface ContainerOutput extends AsyncIterable<Uint8Array> {
  readonly summary: ContainerSummary | undefined;
}

export function encryptToContainer(source: AsyncIterable<Uint8Array>, opts: EncryptOptions): ContainerOutput {
  let started = false;
  const output = {
    summary: undefined as ContainerSummary | undefined,
    [Symbol.asyncIterator]() {
      if (started) throw new Error('a container output can be consumed only once');
      started = true;
      return writeContainer(source, opts, (summary) => (output.summary = summary));
    },
  };
  return output;
}

async function* writeContainer(
  source: AsyncIterable<Uint8Array>,
  opts: EncryptOptions,
  done: (summary: ContainerSummary) => void,
): AsyncGenerator<Uint8Array> {
  const signingKey = opts.kms.activeSigningKey();
  const pushed = await opts.kms.withDataKey(opts.dataKeyId, async (key) => opts.crypto.initPush(key));
  if (!pushed.ok) refuse(pushed);
  const fields = {
    chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
    plaintextLength: opts.plaintextLength,
    streamHeader: pushed.value.header,
    datasetId: opts.datasetId,
    datasetVersion: opts.datasetVersion,
    signer: `${opts.signerDid}#${signingKey.keyId}`,
  };
  const headerBytes = encodeHeader(fields);
  const header: ContainerHeader = { ...fields, headerLength: headerBytes.length };
  const hash = opts.crypto.createHash();
  hash.update(headerBytes);
  yield headerBytes;

  const counts = { chunks: 0, plaintextLength: 0, size: headerBytes.length };
  for await (const chunk of chunkPlaintext(source, header.chunkSize)) {
    const record = sealChunk(pushed.value.stream, chunk, counts.chunks === 0 ? headerBytes : null);
    counts.plaintextLength += chunk.data.length;
    if (opts.plaintextLength !== undefined && counts.plaintextLength > opts.plaintextLength) refuseLength(opts.plaintextLength);
    hash.update(record);
    counts.chunks += 1;
    counts.size += record.length;
    yield record;
  }
  if (opts.plaintextLength !== undefined && counts.plaintextLength !== opts.plaintextLength) refuseLength(opts.plaintextLength);
  const trailer = await signTrailer(hash, opts, signingKey.keyId);
  counts.size += trailer.raw.length;
  yield trailer.raw;
  done({ header, digest: trailer.digest, signature: trailer.signature, ...counts });
}

/**
 * One chunk record: u32 length || secretstream ciphertext. Chunk 0 carries the header bytes as
 * additional data, so a decrypting reader detects an altered header at the first chunk.
 */
function sealChunk(stream: SecretStreamPush, chunk: { data: Uint8Array; final: boolean }, ad: Uint8Array | null): Uint8Array {
  const length = chunk.data.length + ABYTES;
  // Unsafe (unzeroed) allocation is fine: push overwrites every byte after the prefix.
  const record = Buffer.allocUnsafe(LENGTH_PREFIX_BYTES + length);
  record.writeUInt32BE(length, 0);
  stream.push(record.subarray(LENGTH_PREFIX_BYTES), chunk.data, ad, chunk.final ? 'final' : 'message');
  return record;
}

async function signTrailer(hash: IncrementalHash, opts: EncryptOptions, keyId: string) {
  const marker = new Uint8Array(LENGTH_PREFIX_BYTES);
  hash.update(marker);
  const digest = hash.digest();
  const signed = await opts.kms.sign(signedMessage(digest), keyId);
  if (signed.keyId !== keyId) throw new Error(`kms signed with ${signed.keyId}, not the header's ${keyId}`);
  const raw = new Uint8Array(marker.length + digest.length + signed.signature.length);
  raw.set(digest, marker.length);
  raw.set(signed.signature, marker.length + digest.length);
  return { raw, digest, signature: signed.signature };
}

function refuseLength(declared: number): never {
  refuse(fail('SOV_DATAPLANE_SOURCE_LENGTH_MISMATCH', `the plaintext source differs from its declared ${declared} bytes`));
}
