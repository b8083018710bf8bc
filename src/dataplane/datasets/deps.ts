/** The collaborators of the dataset commands (one options object, conventions §3). */
import type { AuditEntryInput } from '../../audit/index.js';
import type { Clock, IdGenerator } from '../../clock/index.js';
import type { Kms } from '../../kms/index.js';
import type { BulkCrypto, CiphertextStore } from '../ports.js';
import type { DatasetRepository } from './ports.js';

/** The audit log as the data plane uses it: one entry per event, in its own transaction. */
export interface AuditRecorder {
  record(input: AuditEntryInput): Promise<unknown>;
}

export interface DatasetDeps {
  repository: DatasetRepository;
  store: CiphertextStore;
  crypto: BulkCrypto;
  kms: Pick<Kms, 'createDataKey' | 'withDataKey' | 'destroyDataKey' | 'sign' | 'activeSigningKey' | 'verificationKeys'>;
  audit: AuditRecorder;
  clock: Clock;
  ids: IdGenerator;
  /** Our DID: containers we write are signed as `<did>#<key>`. */
  did: string;
}
