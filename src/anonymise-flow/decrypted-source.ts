/**
 * The stored dataset as a plaintext stream, opened afresh for each anonymisation pass: the
 * container is read from the CiphertextStore and decrypted with the dataset's data key, which
 * kms lends only for the call (design.md "Key custody"). The reader verifies digest and
 * signature after the last chunk; this stream also checks that the digest is the one the
 * dataset record names, so a swapped container fails the pass instead of being anonymised.
 * Failures are thrown as DomainError (the only way an iterator can refuse) and settled by the
 * transform.
 */
import { DomainError, fail } from '../errors/index.js';
import { lendDataKey, openContainer, type BulkCrypto, type CiphertextStore } from '../dataplane/index.js';
import type { Kms } from '../kms/index.js';

/** The fields of a data-plane `DatasetRecord` the transform reads. */
export interface SourceDataset {
  id: string;
  offeringId: string;
  version: string;
  containerId: string;
  /** BLAKE2b-256 container digest, lowercase hex. */
  containerDigest: string;
  signer: string;
  /** base64url Ed25519 key that signed the container. */
  signerPublicKey: string;
  dataKeyId?: string;
}

export interface SourceDeps {
  store: Pick<CiphertextStore, 'get'>;
  crypto: BulkCrypto;
  kms: Pick<Kms, 'withDataKey'>;
}

async function* decrypt(deps: SourceDeps, dataset: SourceDataset, dataKeyId: string): AsyncGenerator<Uint8Array> {
  const stored = await deps.store.get(dataset.containerId);
  if (!stored.ok) throw new DomainError(stored);
  const plaintext = openContainer(stored.value, {
    crypto: deps.crypto,
    dek: lendDataKey(deps.kms, dataKeyId),
    expectedSignerKey: Buffer.from(dataset.signerPublicKey, 'base64url'),
    expectedSigner: dataset.signer,
  });
  yield* plaintext;
  const digest = Buffer.from(plaintext.verified?.digest ?? new Uint8Array()).toString('hex');
  if (digest !== dataset.containerDigest) {
    throw new DomainError(fail('SOV_ANON_SOURCE_CHANGED', `the stored container of dataset ${dataset.id} has digest ${digest}, not the recorded ${dataset.containerDigest}`));
  }
}

/** Opens the dataset from its first byte; each call decrypts the container again. */
export function decryptedSource(deps: SourceDeps, dataset: SourceDataset): () => AsyncIterable<Uint8Array> {
  const dataKeyId = dataset.dataKeyId;
  if (dataKeyId === undefined) throw new Error(`dataset ${dataset.id} has no data key here: only local datasets are anonymised`);
  return () => decrypt(deps, dataset, dataKeyId);
}
