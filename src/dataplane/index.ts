/**
 * The data plane's format and crypto (issue 7, docs/format.md): a dataset is encrypted once into
 * a signed container (secretstream-xchacha20poly1305 chunks, BLAKE2b-256 digest, Ed25519
 * signature through kms) that any store can hold and any transfer can move as it is; per
 * transfer only a small signed key envelope changes, sealing the data key to the recipient's
 * X25519 key. Readers stream in constant memory, verify before reporting success, check
 * ciphertext without the key, and resume by chunk index. Bulk crypto runs on sodium-native,
 * with libsodium-wrappers as the fallback; containers rest in a CiphertextStore (a directory
 * here, a foreign bucket possibly).
 *
 * Datasets and transfers (`datasets/`, `transfer/`, `http/`): `addDataset` encrypts a source
 * once under a fresh DEK, `openDataset` decrypts (with our DEK, or a one-time owner release),
 * `shredDataset` destroys the DEK. The provider's `DataPlaneControl` admits a transfer only
 * while its agreement holds, issues a transfer token and (handover) a key envelope, and serves
 * container, envelope, receipt and owner-held key releases behind caller authentication; the
 * consumer's `pullTransfer` verifies while it stores, resumes by chunk, imports (or, for
 * owner-held offers, never stores) the key and returns a signed receipt. The key-release mode
 * comes from the offering policy's `sov:keyRelease` (see `keyReleaseOfPolicy`).
 *
 * Push transfers (`HttpData-PUSH`): the consumer opens an inbound sink whose DataAddress goes in
 * its request (`requestTransfer`); once STARTED, the provider's `push` streams the container as
 * it is into the sink, resuming by chunk, then the delivery (envelope or key-release endpoint,
 * report). The consumer's `ConsumerInbound` verifies exactly as for a pull (`finishReceived` is
 * shared), returns its signed receipt to the provider, and completes the transfer.
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
export type { DatasetRecord, KeyRelease, ReceivedFrom, ReceivedTransformReport } from './datasets/dataset.js';
export { containerDigestRef } from './datasets/dataset.js';
export type { DatasetRepository } from './datasets/ports.js';
export type { DatasetDeps, AuditRecorder } from './datasets/deps.js';
export { addDataset, type AddDatasetInput } from './datasets/ingest.js';
export { openDataset, findDataset, type OwnerKeyRelease } from './datasets/open-dataset.js';
export { shredDataset } from './datasets/shred.js';
export { datasetMigrations } from './datasets/sql/dataset-migrations.js';
export { createSqlDatasetRepository } from './datasets/sql/sql-dataset-repository.js';
export type {
  OutboundTransfer,
  OutboundTransferRepository,
  KeyReleaseEvent,
  ClaimsOf,
  DatasetTransform,
  PeerKeys,
  OutboundFacts,
  DspRecords,
  DataPlaneRemote,
  PushSink,
  InboundSink,
  InboundSinkRepository,
} from './transfer/ports.js';
export { keyReleaseOfPolicy } from './transfer/key-release-mode.js';
export { issueTransferToken, verifyTransferToken, transferTokenClaimsSchema, type TransferTokenClaims } from './transfer/transfer-token.js';
export {
  pullDataAddress, readPullAddress, transferUrls, sinkUrls, HTTP_ENDPOINT_TYPE, TRANSFER_TOKEN_HEADER, CONTAINER_MEDIA_TYPE, type PullAddress,
} from './transfer/data-address.js';
export type { ProviderDeps } from './transfer/provider-deps.js';
export { createProviderDataPlane, type ProviderDataPlane } from './transfer/provider-data-plane.js';
export { noTransform } from './transfer/provider-start.js';
export type { KeyReleaseRequest } from './transfer/key-release.js';
export type { DataPlaneCall } from './transfer/provider-serve.js';
export type { ConsumerDeps, InboundDeps, PullProgress } from './transfer/consumer-deps.js';
export { pullTransfer, type PullRequest } from './transfer/consumer-pull.js';
export { createConsumerInbound, type ConsumerInbound } from './transfer/consumer-inbound.js';
export { requestTransfer, type InboundCall, type StartTransfer } from './transfer/consumer-sink.js';
export { isPushDeferred } from './transfer/provider-push.js';
export type { PushDelivery, SinkStatus } from './transfer/push-delivery.js';
export { sinkMigrations } from './transfer/sql/sink-migrations.js';
export { createSqlSinkRepository } from './transfer/sql/sql-sink-repository.js';
export type { TransformReportVerifier, VerifiedTransformReport } from './transfer/consumer-report.js';
export { ownerKeyRelease } from './transfer/owner-release.js';
export { didPeerKeys } from './transfer/did-peer-keys.js';
export { transferMigrations as dataPlaneTransferMigrations } from './transfer/sql/transfer-migrations.js';
export { createSqlOutboundTransferRepository } from './transfer/sql/sql-transfer-repository.js';
export { providerRoutes, type ProviderRoutesOptions } from './http/provider-routes.js';
export { inboundRoutes, type InboundRoutesOptions } from './http/inbound-routes.js';
export { createDataPlaneRemote, type RemoteClientOptions } from './http/remote-client.js';
