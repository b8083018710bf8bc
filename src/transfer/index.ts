/**
 * DSP 2025-1 transfer process, transport-free (dsp.md §4, §6). The state machine is the data in
 * `transferTable`, run by the generic engine in src/dsp. Provider-side handlers admit a
 * request only under a finalized agreement the caller holds, in a distributed format, while
 * the agreement's policy still holds, and drive the data plane (port `DataPlaneControl`);
 * consumer-side handlers keep the data address. Local commands request, suspend, resume,
 * complete and terminate; `confirmTransferDelivery` / `abandonTransferDelivery` are the
 * outbox worker's callbacks. Persistence is the `TransferRepository` port.
 */
export { transferTable, TRANSFER_STATES, TRANSFER_MESSAGES, isPushFormat, type TransferMessage, type TransferEffect } from './table.js';
export type { TransferProcess, TransferEvent } from './entity.js';
export type { TransferRepository, TransferDeps, DataPlaneControl, DistributionFormats } from './ports.js';
export { transferStateFor, type TransferOutcome } from './receive.js';
export { ackOf as transferAck } from './records.js';
export {
  onTransferRequest,
  onProviderTransferStart,
  onProviderTransferSuspension,
  onProviderTransferCompletion,
  onProviderTransferTermination,
  onConsumerTransferStart,
  onConsumerTransferSuspension,
  onConsumerTransferCompletion,
  onConsumerTransferTermination,
} from './handlers.js';
export {
  requestTransfer,
  resumeTransfer,
  suspendTransfer,
  completeTransfer,
  terminateTransfer,
  confirmTransferDelivery,
  abandonTransferDelivery,
} from './commands.js';
