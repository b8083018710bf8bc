/** The consumer-side data plane's collaborators (one options object, conventions §3). */
import type { Clock, IdGenerator } from '../../clock/index.js';
import type { Result } from '../../errors/index.js';
import type { Kms } from '../../kms/index.js';
import type { TransferProcess } from '../../transfer/index.js';
import type { AuditRecorder } from '../datasets/deps.js';
import type { DatasetRepository } from '../datasets/ports.js';
import type { BulkCrypto, CiphertextStore } from '../ports.js';
import type { TransformReportVerifier } from './consumer-report.js';
import type { DataPlaneRemote, InboundSinkRepository, PeerKeys } from './ports.js';

export type { DataPlaneRemote } from './ports.js';

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

/** What the consumer's push sinks need beyond the pull (consumer-inbound.ts). */
export interface InboundDeps extends ConsumerDeps {
  /** Our DID and the base URL of our data-plane endpoints, where sinks live. */
  self: { did: string; dataPlaneBase: string };
  kms: ConsumerDeps['kms'] & Pick<Kms, 'verificationKeys'>;
  sinks: InboundSinkRepository;
  /** Our DSP transfer processes: read, completed once the pushed data is kept, terminated on a refusal. */
  transfers: {
    get(id: string): Promise<TransferProcess | undefined>;
    complete(id: string): Promise<Result<unknown>>;
    terminate(id: string, why: { code: string; reason: string[] }): Promise<Result<unknown>>;
  };
  /** How long a sink accepts its token; default 24 hours. */
  sinkTtlMs?: number;
}
