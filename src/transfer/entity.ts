/**
 * The transfer process record both sides keep, keyed by our own pid; plain data replaced on
 * each change, with `version` for optimistic concurrency (like ContractNegotiation).
 */
import type { DataAddress, Role, TransferState } from '../dsp/index.js';
import type { PolicyReason } from '../negotiation/index.js';
import type { TransferMessage } from './table.js';

export interface TransferEvent {
  by: Role;
  code?: string;
  reason?: unknown[];
  at: string;
}

export interface TransferProcess {
  id: string;
  role: Role;
  consumerPid?: string;
  providerPid?: string;
  /** Undefined only while our own request awaits its acknowledgement. */
  state?: TransferState;
  counterpartyDid: string;
  /** The consumer's callbackAddress, or the provider's DSP base. */
  counterpartyAddress: string;
  agreementId: string;
  /** The dataset (the agreement's target). */
  datasetId: string;
  format: string;
  /** Push: the consumer's sink (from the request). Pull: the provider's source (from the start). */
  dataAddress?: DataAddress;
  /** The policy decision that admitted the request (provider side). */
  decision?: { permitted: boolean; reasons: PolicyReason[]; report: unknown; reportDigest: string; decidedAt: string };
  suspension?: TransferEvent;
  termination?: TransferEvent;
  pending?: { message: TransferMessage; outboxId: string };
  received: Partial<Record<TransferMessage, { digest: string; status: 200 | 201 }>>;
  createdAt: string;
  updatedAt: string;
  version: number;
}
