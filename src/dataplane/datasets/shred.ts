/**
 * Crypto-shredding (design.md "Key custody"; issue 7 "Crypto-shredding"): destroying a
 * dataset's data key makes its ciphertext unrecoverable wherever copies sit. For our own data
 * this also ends every owner-held consumer's ability to open theirs: the owner can no longer
 * release the key. Received data: our imported copy of the key is destroyed (handover); an
 * owner-held copy held no key, so its ciphertext is deleted. Recorded in the audit log.
 */
import { isoTime } from '../../clock/index.js';
import { ok, type Result } from '../../errors/index.js';
import { containerDigestRef, type DatasetRecord } from './dataset.js';
import type { DatasetDeps } from './deps.js';
import { findDataset } from './open-dataset.js';

export async function shredDataset(deps: DatasetDeps, id: string, actor?: string): Promise<Result<DatasetRecord>> {
  const found = await findDataset(deps, id);
  if (!found.ok) return found;
  const record = found.value;
  if (record.dataKeyId !== undefined) {
    const destroyed = await deps.kms.destroyDataKey(record.dataKeyId);
    if (!destroyed.ok && destroyed.code !== 'SOV_KMS_KEY_DESTROYED') return destroyed;
  } else {
    await deps.store.delete(record.containerId);
  }
  const shredded: DatasetRecord = { ...record, status: 'shredded', updatedAt: isoTime(deps.clock) };
  const updated = await deps.repository.update(shredded);
  if (!updated.ok) return updated;
  const subjects = [record.id, record.offeringId, ...(record.dataKeyId === undefined ? [] : [record.dataKeyId])];
  const details = { offeringId: record.offeringId, version: record.version, origin: record.origin, ...(record.dataKeyId === undefined ? {} : { dataKeyId: record.dataKeyId }) };
  await deps.audit.record({ actor: actor ?? deps.did, type: 'dataset.shredded', subjects, digest: containerDigestRef(record.containerDigest), details });
  if (record.dataKeyId !== undefined) {
    await deps.audit.record({ actor: actor ?? deps.did, type: 'datakey.shredded', subjects: [record.dataKeyId, record.id], details: { datasetId: record.id } });
  }
  return ok(shredded);
}
