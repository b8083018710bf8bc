/**
 * The data plane's format and crypto (issue 7, docs/format.md): a dataset is encrypted once into
 * a signed container (secretstream-xchacha20poly1305 chunks, BLAKE2b-256 digest, Ed25519
 * signature through kms) that any store can hold and any transfer can move as it is; per
 * transfer only a small signed key envelope changes, sealing the data key to the recipient's
 * X25519 key. Readers stream in constant memory, verify before reporting success, check
 * ciphertext without the key, and resume by chunk index. Bulk crypto runs on sodium-native,
 * with libsodium-wrappers as the fallback; containers rest in a CiphertextStore (a directory
 * here, a foreign bucket possibly).
 */
export type { BulkCrypto, CiphertextStore, StoredCiphertext, ByteRange, ChunkTag } from './ports.js';
export {
  DEFAULT_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  MAX_CHUNK_SIZE,
  chunkOffset,
  chunkCount,
  decodeHeader,
  type ContainerHeader,
} from './format/layout.js';
export { encryptToContainer, type EncryptOptions, type ContainerOutput } from './container/writer.js';
export {
  openContainer,
  verifyContainerStream,
  type DataKeyLender,
  type OpenOptions,
  type VerifyOptions,
  type VerifiedOutput,
} from './container/reader.js';
export type { ContainerSummary, SignerExpectation } from './container/trailer.js';
export { lendDataKey, settle } from './container/lenders.js';
export { readStoredHeader, readFromChunk, resumePoint, planResume, type ResumePoint } from './container/resume.js';
export { issueKeyEnvelope, type IssueEnvelopeOptions, type EnvelopeRecipient } from './envelope/issue.js';
export { openKeyEnvelope, type OpenEnvelopeOptions, type OpenedEnvelope, type EnvelopeExpectation } from './envelope/open.js';
export { keyEnvelopeSchema, envelopeSigningInput, type KeyEnvelope } from './envelope/schema.js';
export { loadBulkCrypto, createLibsodiumWrappersCrypto, type LoadCryptoOptions } from './adapters/select-crypto.js';
export { createSodiumNativeCrypto } from './adapters/sodium-native-crypto.js';
export { createDirectoryStore, type DirectoryStoreOptions } from './adapters/directory-store.js';
