/** The provider-side data plane's collaborators (one options object, conventions §3). */
import type { TransferReceipt } from '../../compliance/index.js';
import type { Clock, IdGenerator } from '../../clock/index.js';
import type { Result } from '../../errors/index.js';
import type { Kms } from '../../kms/index.js';
import type { KeyRelease } from '../datasets/dataset.js';
import type { AuditRecorder } from '../datasets/deps.js';
import type { DatasetRepository } from '../datasets/ports.js';
import type { BulkCrypto, CiphertextStore } from '../ports.js';
import type { GateDeps } from './agreement-gate.js';
import type { DataPlaneRemote, DatasetTransform, OutboundFacts, OutboundTransfer, OutboundTransferRepository, PeerKeys } from './ports.js';

export interface ProviderDeps extends GateDeps {
  /** Our DID and the base URL of our data-plane endpoints (`<publicBaseUrl>/dataplane`). */
  self: { did: string; dataPlaneBase: string };
  kms: Pick<Kms, 'sign' | 'activeSigningKey' | 'verificationKeys' | 'sealDataKeyTo'>;
  crypto: BulkCrypto;
  store: CiphertextStore;
  datasets: DatasetRepository;
  records: OutboundTransferRepository;
  peers: PeerKeys;
  /** The offer's key-release mode (see `keyReleaseOfPolicy`). */
  keyReleaseOf(offeringId: string): Promise<KeyRelease>;
  /** Performs pending duties; default: none can be performed (refuses when any is pending). */
  transform?: DatasetTransform;
  facts: OutboundFacts;
  verifyReceipt(receipt: unknown): Promise<Result<TransferReceipt>>;
  /** Calls to consumers' data planes: push transfers send container and delivery to the consumer's sink. */
  remote: DataPlaneRemote;
  audit: AuditRecorder;
  clock: Clock;
  ids: IdGenerator;
  /** Transfer token and handover envelope lifetime; default 1 hour. */
  tokenTtlMs?: number;
  /** Lifetime of a one-time owner-held release; default 2 minutes. */
  releaseTtlMs?: number;
}

export const DEFAULT_TOKEN_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_RELEASE_TTL_MS = 2 * 60 * 1000;

/**
 * Saves `changes` over the stored row of `record` rather than over `record` itself, so a state
 * change recorded meanwhile (a stop) is kept; answers what was saved.
 */
export async function saveOverCurrent(deps: Pick<ProviderDeps, 'records'>, record: OutboundTransfer, changes: Partial<OutboundTransfer>): Promise<OutboundTransfer> {
  const saved: OutboundTransfer = { ...((await deps.records.get(record.transferId)) ?? record), ...changes };
  await deps.records.save(saved);
  return saved;
}
