/**
 * Ports of the data plane: the bulk crypto it needs (one libsodium, two bindings) and the
 * ciphertext store. Domain code sees only these interfaces; `adapters/` implements them.
 */
import type { Result } from '../errors/index.js';

/** Secretstream tags the format uses (docs/format.md §3); any other tag is refused. */
export type ChunkTag = 'message' | 'final';

export interface SecretStreamPush {
  /** Encrypts `message` into `out` (exactly `message.length + 17` bytes). */
  push(out: Uint8Array, message: Uint8Array, ad: Uint8Array | null, tag: ChunkTag): void;
}

export interface SecretStreamPull {
  /** Decrypts one chunk; `undefined` when authentication fails. `other` = a tag we never write. */
  pull(ciphertext: Uint8Array, ad: Uint8Array | null): { message: Uint8Array; tag: ChunkTag | 'other' } | undefined;
}

/** Incremental BLAKE2b-256 (`crypto_generichash`, 32-byte output, no key). */
export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
}

/**
 * The libsodium operations the data plane needs. Both bindings implement the same libsodium
 * primitives, so their outputs are interchangeable byte for byte.
 */
export interface BulkCrypto {
  readonly binding: 'sodium-native' | 'libsodium-wrappers';
  /** `crypto_secretstream_xchacha20poly1305_init_push`: a fresh random 24-byte header. */
  initPush(key: Uint8Array): { header: Uint8Array; stream: SecretStreamPush };
  initPull(header: Uint8Array, key: Uint8Array): SecretStreamPull;
  createHash(): IncrementalHash;
  /** `crypto_sign_verify_detached` (Ed25519). */
  verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

export interface StoredCiphertext {
  id: string;
  /** Bytes stored. */
  size: number;
}

export interface ByteRange {
  /** First byte, inclusive (default 0). */
  start?: number;
  /** Last byte, exclusive (default: end of object). */
  end?: number;
}

/**
 * Where containers rest. Objects are immutable once committed; a put that fails keeps its
 * bytes as *pending* so a broken transfer resumes instead of starting over. Anything that can
 * append, rename (or commit a multipart upload) and serve byte ranges implements it: a
 * directory, or an S3-style bucket in another jurisdiction, since it only ever sees ciphertext.
 */
export interface CiphertextStore {
  /**
   * Streams `source` into object `id` and commits it atomically when the source ends.
   * `resumeAt`: keep the first `resumeAt` pending bytes of an interrupted put and append after them.
   * A failing source fails the put with the source's failure and leaves its bytes pending.
   */
  put(id: string, source: AsyncIterable<Uint8Array>, opts?: { resumeAt?: number }): Promise<Result<StoredCiphertext>>;
  /** Size of the bytes kept from an interrupted put of `id`, if any. */
  pendingSize(id: string): Promise<number | undefined>;
  /** The bytes kept from an interrupted put (to re-hash them on resume). */
  readPending(id: string, range?: ByteRange): Promise<Result<AsyncIterable<Uint8Array>>>;
  get(id: string, range?: ByteRange): Promise<Result<AsyncIterable<Uint8Array>>>;
  has(id: string): Promise<boolean>;
  /** Removes the object and any pending bytes; false when there was neither. */
  delete(id: string): Promise<boolean>;
  /** Ids of committed objects, sorted. */
  list(): Promise<string[]>;
}
