/**
 * Ingestion (issue 7 "Envelope design"): a source is encrypted ONCE, as it streams in, under a
 * fresh data key into a signed container; the clear source is never stored. A failed
 * ingestion leaves nothing behind: its partial ciphertext is deleted and its DEK destroyed.
 */
import { isoTime } from '../../clock/index.js';
import { ok, type Result } from '../../errors/index.js';
import { encryptToContainer } from '../container/writer.js';
import { coalesce } from '../format/coalesce.js';
import { containerDigestRef, type DatasetRecord } from './dataset.js';
import type { DatasetDeps } from './deps.js';

export interface AddDatasetInput {
  source: AsyncIterable<Uint8Array>;
  /** The offering (DCAT dataset IRI) this is a version of. */
  offeringId: string;
  /** Plaintext bytes when known (a file): the container then declares and enforces it. */
  plaintextLength?: number;
  chunkSize?: number;
  /** Who added it (`admin:<name>` or a DID), for the audit entry. */
  actor?: string;
}

export async function addDataset(deps: DatasetDeps, input: AddDatasetInput): Promise<Result<DatasetRecord>> {
  const id = deps.ids.urn();
  const version = String((await deps.repository.countLocal(input.offeringId)) + 1);
  const dataKey = await deps.kms.createDataKey(`dataset:${id}`);
  const output = encryptToContainer(input.source, {
    crypto: deps.crypto,
    kms: deps.kms,
    dataKeyId: dataKey.keyId,
    datasetId: input.offeringId,
    datasetVersion: version,
    signerDid: deps.did,
    ...(input.chunkSize === undefined ? {} : { chunkSize: input.chunkSize }),
    ...(input.plaintextLength === undefined ? {} : { plaintextLength: input.plaintextLength }),
  });
  const stored = await deps.store.put(id, coalesce(output)).catch(async (error: unknown) => {
    await discard(deps, id, dataKey.keyId);
    throw error;
  });
  if (!stored.ok || output.summary === undefined) {
    await discard(deps, id, dataKey.keyId);
    if (!stored.ok) return stored;
    throw new Error('the container writer ended without a trailer');
  }
  const summary = output.summary;
  const signing = deps.kms.activeSigningKey();
  const now = isoTime(deps.clock);
  const record: DatasetRecord = {
    id,
    offeringId: input.offeringId,
    version,
    origin: 'local',
    containerId: id,
    containerDigest: Buffer.from(summary.digest).toString('hex'),
    size: summary.size,
    plaintextLength: summary.plaintextLength,
    signer: summary.header.signer,
    signerPublicKey: Buffer.from(signing.publicKey).toString('base64url'),
    dataKeyId: dataKey.keyId,
    status: 'ready',
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await deps.repository.insert(record);
  if (!inserted.ok) {
    await discard(deps, id, dataKey.keyId);
    return inserted;
  }
  await deps.audit.record({
    actor: input.actor ?? deps.did,
    type: 'dataset.added',
    subjects: [id, input.offeringId, dataKey.keyId],
    digest: containerDigestRef(record.containerDigest),
    details: { offeringId: input.offeringId, version, size: record.size, plaintextLength: record.plaintextLength, dataKeyId: dataKey.keyId },
  });
  return ok(record);
}

async function discard(deps: DatasetDeps, id: string, dataKeyId: string): Promise<void> {
  await deps.store.delete(id);
  await deps.kms.destroyDataKey(dataKeyId);
}
