/**
 * What the transfer process needs from outside: persistence, the negotiated agreements, the
 * policy engine (does the agreement still hold?), the formats a dataset is distributed in,
 * and the provider's data plane.
 */
import type { Clock, IdGenerator } from '../clock/index.js';
import type { AcknowledgedEntry, DataAddress, OutboxEntry } from '../dsp/index.js';
import type { Result } from '../errors/index.js';
import type { NegotiationRepository, PolicyDecider } from '../negotiation/index.js';
import type { TransferProcess } from './entity.js';

/**
 * Persistence of transfer records; the same contract as NegotiationRepository:
 * - `get` by our own pid; `findByCounterpartyPid(did, pid)` by the other side's pid
 *   (unique per counterparty: index it);
 * - `countByAgreement` counts the processes under an agreement that reached STARTED at least
 *   once or are REQUESTED (for count-limited policies);
 * - `commit` stores record + outbox in ONE transaction; insert when `expectedVersion` is null,
 *   else update only if the stored version matches (SOV_TRANSFER_CONFLICT otherwise); with
 *   `acknowledged`, the same transaction marks that outbox entry delivered if still pending.
 */
export interface TransferRepository {
  get(id: string): Promise<TransferProcess | undefined>;
  findByCounterpartyPid(counterpartyDid: string, pid: string): Promise<TransferProcess | undefined>;
  countByAgreement(agreementId: string): Promise<number>;
  commit(change: { record: TransferProcess; expectedVersion: number | null; outbox: readonly OutboxEntry[]; acknowledged?: AcknowledgedEntry }): Promise<Result<void>>;
  /** As NegotiationRepository's: whether our outbox entry `id` has ever left the queue. */
  outboxEntrySent(id: string): Promise<boolean>;
}

/**
 * The provider's data plane. Calls must be idempotent per transfer id: a handler may call them
 * and then lose the commit race, and the counterparty then retries the same message.
 */
export interface DataPlaneControl {
  /** Pull: the DataAddress the consumer pulls from. Push: starts sending to `transfer.dataAddress`; returns undefined. */
  start(transfer: TransferProcess): Promise<Result<DataAddress | undefined>>;
  /** Stops moving data for a suspended, completed or terminated transfer. */
  stop(transfer: TransferProcess, why: 'suspended' | 'completed' | 'terminated'): Promise<void>;
}

/** The formats a dataset is distributed in (its DCAT distributions), from the catalogue. */
export interface DistributionFormats {
  formatsOf(datasetId: string): Promise<readonly string[]>;
}

export interface TransferDeps {
  repository: TransferRepository;
  /** Agreements live with their negotiations. */
  negotiations: Pick<NegotiationRepository, 'findByAgreementId'>;
  policy: PolicyDecider;
  formats: DistributionFormats;
  /** Provider side only; a consumer-only connector may leave it out. */
  dataPlane?: DataPlaneControl;
  clock: Clock;
  ids: IdGenerator;
  self: { did: string; dspBase: string };
}
