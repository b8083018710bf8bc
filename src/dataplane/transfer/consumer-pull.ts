/**
 * The consumer's side of a pull transfer (design.md step 4): the container is pulled and
 * verified into our ciphertext store as it is; for handover, the key envelope is opened and
 * the DEK imported into our kms (kept wrapped); for owner-held, no key is stored at all.
 * Then the consumer signs a receipt of the digest and hands it to the provider, records the
 * dataset, and only then reports success, so the caller marks the transfer COMPLETED only
 * after the digest and signature check. Any failure leaves nothing behind.
 */
import { signTransferReceipt, transferReceiptEntry, type TransferReceipt } from '../../compliance/index.js';
import { isoTime } from '../../clock/index.js';
import type { DataAddress } from '../../dsp/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import type { ContainerSummary } from '../container/trailer.js';
import { containerDigestRef, type DatasetRecord, type ReceivedTransformReport } from '../datasets/dataset.js';
import type { ConsumerDeps, PullProgress } from './consumer-deps.js';
import { pullContainer } from './consumer-container.js';
import { openPeerEnvelope } from './peer-envelope.js';
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
  const digest = Buffer.from(summary.value.digest).toString('hex');
  if (containerDigestRef(digest) !== address.value.containerDigest) {
    return discard(deps, request, undefined, fail('SOV_DATAPLANE_DIGEST_MISMATCH', `the container received (${digest}) is not the one the data address announced (${address.value.containerDigest})`));
  }
  // Before the receipt: it completes the transfer and spends the token the report is fetched with.
  const report = await fetchTransformReport(deps, address.value, { providerDid: request.providerDid, agreementId: request.agreementId, containerDigest: containerDigestRef(digest) });
  if (!report.ok) return discard(deps, request, undefined, report);
  const dataKeyId = await takeKey(deps, request, address.value, summary.value);
  if (!dataKeyId.ok) return discard(deps, request, undefined, dataKeyId);
  const receipt = await sendReceipt(deps, request, address.value, digest);
  if (!receipt.ok) return discard(deps, request, dataKeyId.value, receipt);
  const stored = await keep(deps, request, address.value, summary.value, dataKeyId.value, report.value);
  if (!stored.ok) return discard(deps, request, dataKeyId.value, stored);
  await audit(deps, request, stored.value, receipt.value);
  return stored;
}

/** Records the received dataset, with the signer key to verify it again at each export. */
async function keep(deps: ConsumerDeps, request: PullRequest, address: PullAddress, summary: ContainerSummary, dataKeyId: string | undefined, report: ReceivedTransformReport | undefined): Promise<Result<DatasetRecord>> {
  const record = receivedRecord(deps, request, address, summary, dataKeyId);
  const signerKey = await deps.peers.signingKey(record.signer);
  if (!signerKey.ok) return signerKey;
  const stored: DatasetRecord = { ...record, signerPublicKey: Buffer.from(signerKey.value).toString('base64url'), ...(report === undefined ? {} : { transformReport: report }) };
  const inserted = await deps.datasets.insert(stored);
  return inserted.ok ? ok(stored) : inserted;
}

async function audit(deps: ConsumerDeps, request: PullRequest, stored: DatasetRecord, receipt: TransferReceipt): Promise<void> {
  await deps.audit.record(transferReceiptEntry({ actor: deps.self.did, receipt }));
  await deps.audit.record({
    actor: deps.self.did,
    type: 'dataset.added',
    subjects: [stored.id, stored.offeringId, request.agreementId, request.providerTransferId],
    digest: containerDigestRef(stored.containerDigest),
    details: {
      origin: 'received', providerDid: request.providerDid, agreementId: request.agreementId, keyRelease: stored.keyRelease ?? 'handover', size: stored.size, keyStored: stored.dataKeyId !== undefined,
      ...(stored.transformReport === undefined ? {} : { anonymisationReportDigest: stored.transformReport.digest }),
    },
  });
}

/** Handover: open the envelope and import the DEK into our kms. Owner-held: no key. */
async function takeKey(deps: ConsumerDeps, request: PullRequest, address: PullAddress, summary: ContainerSummary): Promise<Result<string | undefined>> {
  if (address.keyRelease === 'owner-held') return ok(undefined);
  const envelope = await deps.remote.getJson(address.envelopeUrl as string, request.providerDid, { [TRANSFER_TOKEN_HEADER]: address.token });
  if (!envelope.ok) return envelope;
  const opened = await openPeerEnvelope(
    deps,
    envelope.value,
    request.providerDid,
    { transferId: request.providerTransferId, agreementId: request.agreementId, datasetId: summary.header.datasetId, containerDigest: summary.digest },
    `dataset:${request.transferId}`,
  );
  if (!opened.ok) return opened;
  if (opened.value.release !== 'handover') return fail('SOV_DATAPLANE_ENVELOPE_MALFORMED', 'a handover transfer delivered a one-time envelope');
  return ok(opened.value.dataKey.keyId);
}

async function sendReceipt(deps: ConsumerDeps, request: PullRequest, address: PullAddress, digest: string) {
  const receipt = await signTransferReceipt({
    receipt: { transferId: request.providerTransferId, agreementId: request.agreementId, providerDid: request.providerDid, consumerDid: deps.self.did, containerDigest: containerDigestRef(digest), receivedAt: isoTime(deps.clock) },
    kms: deps.kms,
    clock: deps.clock,
  });
  const sent = await deps.remote.postJson(address.receiptUrl, request.providerDid, receipt, { [TRANSFER_TOKEN_HEADER]: address.token });
  return sent.ok ? ok(receipt) : sent;
}

function receivedRecord(deps: ConsumerDeps, request: PullRequest, address: PullAddress, summary: ContainerSummary, dataKeyId: string | undefined): DatasetRecord {
  const now = isoTime(deps.clock);
  return {
    id: request.transferId,
    offeringId: summary.header.datasetId,
    version: summary.header.datasetVersion,
    origin: 'received',
    containerId: request.transferId,
    containerDigest: Buffer.from(summary.digest).toString('hex'),
    size: summary.size,
    plaintextLength: summary.plaintextLength,
    signer: summary.header.signer,
    signerPublicKey: '',
    keyRelease: address.keyRelease,
    ...(dataKeyId === undefined ? {} : { dataKeyId }),
    receivedFrom: {
      providerDid: request.providerDid,
      agreementId: request.agreementId,
      transferId: request.providerTransferId,
      ...(address.keyReleaseUrl === undefined ? {} : { keyReleaseEndpoint: address.keyReleaseUrl }),
    },
    status: 'ready',
    createdAt: now,
    updatedAt: now,
  };
}

async function discard(deps: ConsumerDeps, request: PullRequest, dataKeyId: string | undefined, failure: Failure): Promise<Failure> {
  await deps.store.delete(request.transferId);
  if (dataKeyId !== undefined) await deps.kms.destroyDataKey(dataKeyId);
  return failure;
}
