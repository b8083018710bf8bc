/**
 * The consumer's side of a pull transfer (design.md step 4): the container is pulled with the
 * provider's transfer token and verified into our ciphertext store as it is, resuming after a
 * broken connection; the report, the key envelope (handover) and our receipt then go through the
 * provider's endpoints with the same token (`finishReceived`, shared with push transfers).
 */
import type { DataAddress } from '../../dsp/index.js';
import { ok, type Result } from '../../errors/index.js';
import type { DatasetRecord } from '../datasets/dataset.js';
import type { ConsumerDeps, PullProgress } from './consumer-deps.js';
import { pullContainer } from './consumer-container.js';
import { finishReceived, type DeliveryPieces } from './consumer-finish.js';
import { fetchTransformReport } from './consumer-report.js';
import { TRANSFER_TOKEN_HEADER, readPullAddress, type PullAddress } from './data-address.js';

export interface PullRequest {
  /** Our (consumer) transfer process id; also the id of the dataset record and container. */
  transferId: string;
  /** The provider's transfer process id (its providerPid): envelopes and receipts name it. */
  providerTransferId: string;
  agreementId: string;
  providerDid: string;
  dataAddress: DataAddress | undefined;
  onProgress?: (progress: PullProgress) => void;
}

export async function pullTransfer(deps: ConsumerDeps, request: PullRequest): Promise<Result<DatasetRecord>> {
  const done = await deps.datasets.findReceived(request.providerTransferId);
  if (done !== undefined) return ok(done);
  const address = readPullAddress(request.dataAddress);
  if (!address.ok) return address;
  const summary = await pullContainer(deps, { transferId: request.transferId, containerId: request.transferId, providerDid: request.providerDid, address: address.value, ...(request.onProgress ? { onProgress: request.onProgress } : {}) });
  if (!summary.ok) return summary;
  const { keyRelease, keyReleaseUrl, containerDigest } = address.value;
  const delivery = { ...request, keyRelease, containerDigest, ...(keyReleaseUrl === undefined ? {} : { keyReleaseUrl }) };
  return finishReceived(deps, delivery, pulledPieces(deps, request.providerDid, address.value), summary.value);
}

/** Report, envelope and receipt through the provider's endpoints, each call with the transfer token. */
function pulledPieces(deps: ConsumerDeps, providerDid: string, address: PullAddress): DeliveryPieces {
  const token = { [TRANSFER_TOKEN_HEADER]: address.token };
  return {
    report: (expected) => fetchTransformReport(deps, address, expected),
    envelope: () => deps.remote.getJson(address.envelopeUrl as string, providerDid, token),
    sendReceipt: (receipt) => deps.remote.postJson(address.receiptUrl, providerDid, receipt, token),
  };
}
