/** The consumer-side data plane's collaborators (one options object, conventions §3). */
import type { Clock, IdGenerator } from '../../clock/index.js';
import type { Result } from '../../errors/index.js';
import type { Kms } from '../../kms/index.js';
import type { AuditRecorder } from '../datasets/deps.js';
import type { DatasetRepository } from '../datasets/ports.js';
import type { BulkCrypto, CiphertextStore } from '../ports.js';
import type { TransformReportVerifier } from './consumer-report.js';
import type { PeerKeys } from './ports.js';

/**
 * Calls to another connector's data plane, each signed with our caller token (the HTTP
 * adapter is src/dataplane/http). A non-2xx answer is a failure carrying the peer's code.
 */
export interface DataPlaneRemote {
  /** The response body as it streams; throws mid-iteration if the connection breaks. */
  getStream(url: string, audienceDid: string, headers: Record<string, string>): Promise<Result<AsyncIterable<Uint8Array>>>;
  getJson(url: string, audienceDid: string, headers: Record<string, string>): Promise<Result<unknown>>;
  postJson(url: string, audienceDid: string, body: unknown, headers: Record<string, string>): Promise<Result<unknown>>;
}

export interface PullProgress {
  transferId: string;
  /** Container bytes held so far (kept from earlier attempts included). */
  bytes: number;
  /** Container bytes expected, when known from the header. */
  total?: number;
  attempt: number;
}

export interface ConsumerDeps {
  self: { did: string };
  kms: Pick<Kms, 'importSealedDataKey' | 'withSealedKey' | 'destroyDataKey' | 'sign' | 'activeSigningKey'>;
  crypto: BulkCrypto;
  store: CiphertextStore;
  datasets: DatasetRepository;
  peers: PeerKeys;
  remote: DataPlaneRemote;
  audit: AuditRecorder;
  clock: Clock;
  ids: IdGenerator;
  /** Verifies a signed transform report a data address names (required to accept transformed data). */
  verifyReport?: TransformReportVerifier;
  /** Attempts at pulling the container before giving up (resuming each time); default 5. */
  maxAttempts?: number;
}
