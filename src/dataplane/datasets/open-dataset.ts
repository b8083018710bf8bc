/**
 * Opening a dataset (`sovc dataset export`): decrypts the stored container with its data key
 * and checks digest and signature. Local and handover data open with the DEK our kms keeps;
 * owner-held data opens only with a one-time release from its owner, which the caller obtains
 * (`release`) and which lends the key for this single read. The plaintext is UNVERIFIED until
 * the iteration ends without throwing: write it somewhere temporary and keep it only then.
 */
import { fail, ok, type Result } from '../../errors/index.js';
import { lendDataKey } from '../container/lenders.js';
import { openContainer, type DataKeyLender, type VerifiedOutput } from '../container/reader.js';
import type { DatasetRecord } from './dataset.js';
import type { DatasetDeps } from './deps.js';
import { checkedAgainstReport } from './plaintext-check.js';

/** Obtains a one-time key release from the owner of a received owner-held dataset. */
export type OwnerKeyRelease = (record: DatasetRecord) => Promise<Result<DataKeyLender>>;

export async function findDataset(deps: Pick<DatasetDeps, 'repository'>, id: string): Promise<Result<DatasetRecord>> {
  const record = await deps.repository.get(id);
  if (record === undefined) return fail('SOV_DATAPLANE_DATASET_NOT_FOUND', `no dataset ${id}`);
  if (record.status === 'shredded') return fail('SOV_DATAPLANE_DATASET_SHREDDED', `dataset ${id} was crypto-shredded: it can never be opened again`);
  return ok(record);
}

async function lenderFor(deps: DatasetDeps, record: DatasetRecord, release: OwnerKeyRelease | undefined): Promise<Result<DataKeyLender>> {
  if (record.dataKeyId !== undefined) return ok(lendDataKey(deps.kms, record.dataKeyId));
  if (release === undefined) throw new Error(`dataset ${record.id} is owner-held: opening it needs a key-release client`);
  return release(record);
}

export async function openDataset(deps: DatasetDeps, id: string, release?: OwnerKeyRelease): Promise<Result<VerifiedOutput>> {
  const record = await findDataset(deps, id);
  if (!record.ok) return record;
  const lender = await lenderFor(deps, record.value, release);
  if (!lender.ok) return lender;
  const source = await deps.store.get(record.value.containerId);
  if (!source.ok) return source;
  const output = openContainer(source.value, {
    crypto: deps.crypto,
    dek: lender.value,
    expectedSignerKey: Buffer.from(record.value.signerPublicKey, 'base64url'),
    expectedSigner: record.value.signer,
  });
  const report = record.value.transformReport;
  return ok(report === undefined ? output : checkedAgainstReport(output, report.plaintextSha256));
}
