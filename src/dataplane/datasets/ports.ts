/**
 * Persistence of dataset records (the SQL adapter is `sql/`). Records are plain data,
 * replaced whole; `insert` fails with SOV_CONFLICT when the id exists.
 */
import type { Result } from '../../errors/index.js';
import type { DatasetRecord } from './dataset.js';

export interface DatasetRepository {
  get(id: string): Promise<DatasetRecord | undefined>;
  /** The newest ready local dataset of an offering (what a transfer of it sends). */
  latestLocal(offeringId: string): Promise<DatasetRecord | undefined>;
  /** How many local versions an offering has had (the next version is this + 1). */
  countLocal(offeringId: string): Promise<number>;
  /** The received dataset a transfer delivered, if any. */
  findReceived(transferId: string): Promise<DatasetRecord | undefined>;
  list(): Promise<DatasetRecord[]>;
  insert(record: DatasetRecord): Promise<Result<void>>;
  update(record: DatasetRecord): Promise<Result<void>>;
}
