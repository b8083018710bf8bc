/**
 * Reading containers (docs/format.md §5). `openContainer` decrypts and yields plaintext, which
 * stays UNVERIFIED until the iteration completes: the digest and signature are checked after
 * the last chunk and before the iteration ends, and any failure is thrown as a DomainError
 * with a SOV_DATAPLANE_* (or kms) code. `verifyContainerStream` checks the same without the
 * key and passes the ciphertext through, for a consumer that stores it as it arrives.
 */
import { fail, type Result } from '../../errors/index.js';
import type { ContainerHeader } from '../format/layout.js';
import { ABYTES, LENGTH_PREFIX_BYTES } from '../format/layout.js';
import type { BulkCrypto, SecretStreamPull } from '../ports.js';
import { readContainerParts, refuse } from './records.js';
import { ContainerScanner } from './scanner.js';
import { checkSigner, checkTrailer, type ContainerSummary, type SignerExpectation } from './trailer.js';

/** Lends a data key for one call (kms.withDataKey for handover, kms.withSealedKey for owner-held). */
export type DataKeyLender = <T>(use: (key: Uint8Array) => Promise<T>) => Promise<Result<T>>;

export interface OpenOptions extends SignerExpectation {
  crypto: BulkCrypto;
  dek: DataKeyLender;
}

/** A stream that is consumable once; `verified` is set only after the trailer checked out. */
export interface VerifiedOutput extends AsyncIterable<Uint8Array> {
  readonly header: ContainerHeader | undefined;
  readonly verified: ContainerSummary | undefined;
}

interface OutputState {
  header: ContainerHeader | undefined;
  verified: ContainerSummary | undefined;
}

function onceOutput(run: (state: OutputState) => AsyncGenerator<Uint8Array>): VerifiedOutput {
  let started = false;
  const state: OutputState = { header: undefined, verified: undefined };
  return {
    get header() { return state.header; },
    get verified() { return state.verified; },
    [Symbol.asyncIterator]() {
      if (started) throw new Error('a container stream can be consumed only once');
      started = true;
      return run(state);
    },
  };
}

export function openContainer(source: AsyncIterable<Uint8Array>, opts: OpenOptions): VerifiedOutput {
  return onceOutput((state) => decryptParts(source, opts, state));
}

async function* decryptParts(source: AsyncIterable<Uint8Array>, opts: OpenOptions, state: OutputState): AsyncGenerator<Uint8Array> {
  let stream: SecretStreamPull | undefined;
  let headerRaw: Uint8Array | undefined;
  let sawFinal = false;
  for await (const part of readContainerParts(source, opts.crypto)) {
    if (part.kind === 'header') {
      checkSigner(part.header, opts);
      state.header = part.header;
      headerRaw = part.raw;
      const pulled = await opts.dek(async (key) => opts.crypto.initPull(part.header.streamHeader, key));
      if (!pulled.ok) refuse(pulled);
      stream = pulled.value;
    } else if (part.kind === 'chunk') {
      if (sawFinal) refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `chunk ${part.index} follows the FINAL chunk`, { chunk: part.index }));
      const opened = stream!.pull(part.ciphertext, part.index === 0 ? headerRaw! : null);
      if (opened === undefined) refuse(chunkAuthFailure(part.index));
      if (opened.tag === 'other') refuse(fail('SOV_DATAPLANE_FRAMING_INVALID', `chunk ${part.index} carries a tag the format never uses`, { chunk: part.index }));
      if (opened.tag === 'message' && part.ciphertext.length !== state.header!.chunkSize + ABYTES) {
        refuse(fail('SOV_DATAPLANE_TRUNCATED', `short chunk ${part.index} is not tagged FINAL`, { chunk: part.index }));
      }
      sawFinal = opened.tag === 'final';
      if (opened.message.length > 0) yield opened.message;
    } else {
      if (!sawFinal) refuse(fail('SOV_DATAPLANE_TRUNCATED', 'the last chunk is not tagged FINAL: chunks are missing'));
      state.verified = checkTrailer(state.header!, part, opts.crypto, opts);
    }
  }
}

function chunkAuthFailure(index: number) {
  const where = index === 0 ? 'chunk 0 (or the header it authenticates)' : `chunk ${index}`;
  return fail('SOV_DATAPLANE_CHUNK_AUTH_FAILED', `${where} failed authentication: altered, reordered, duplicated or under another key`, { chunk: index });
}

export interface VerifyOptions extends SignerExpectation {
  crypto: BulkCrypto;
  /** Resume: container bytes already stored. They are re-hashed, not passed through again. */
  storedPrefix?: AsyncIterable<Uint8Array>;
}

/**
 * Passes the ciphertext of `source` through unchanged, in the pieces it arrives in, while
 * checking framing, digest and signature (ContainerScanner); throws before releasing the last
 * bytes (digest and signature) if anything fails, so a store fed by it never commits an
 * unverified container.
 */
export function verifyContainerStream(source: AsyncIterable<Uint8Array>, opts: VerifyOptions): VerifiedOutput {
  return onceOutput((state) => verifyParts(source, opts, state));
}

async function* verifyParts(source: AsyncIterable<Uint8Array>, opts: VerifyOptions, state: OutputState): AsyncGenerator<Uint8Array> {
  const scanner = new ContainerScanner(opts.crypto, (header) => {
    checkSigner(header, opts);
    state.header = header;
  });
  // Resume: the bytes already stored are scanned (framing, digest) but not passed on again.
  if (opts.storedPrefix !== undefined) for await (const piece of opts.storedPrefix) scanner.scan(piece);
  for await (const piece of source) {
    const passOn = scanner.scan(piece);
    if (passOn > 0) yield passOn === piece.length ? piece : piece.subarray(0, passOn);
  }
  const trailer = scanner.finish();
  state.verified = checkTrailer(state.header!, trailer, opts.crypto, opts);
  yield trailer.raw.subarray(LENGTH_PREFIX_BYTES);
}
