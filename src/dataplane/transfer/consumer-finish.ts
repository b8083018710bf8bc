/**
 * What a consumer does with a container once it is stored and verified, pulled or pushed alike
 * (design.md step 4): the container must be the one the provider announced; a signed transform
 * report that travels with the data is verified against it; for handover the key envelope is
 * opened and the DEK imported into our kms (kept wrapped), for owner-held no key is stored at
 * all. Then we sign a receipt of the digest and hand it to the provider, record the dataset,
 * and only then report success, so the caller marks the transfer COMPLETED only after the
 * digest and signature check. Any failure leaves nothing behind.
 */
import { signTransferReceipt, transferReceiptEntry, type TransferReceipt } from '../../compliance/index.js';
import { isoTime } from '../../clock/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import type { ContainerSummary } from '../container/trailer.js';
import { containerDigestRef, type DatasetRecord, type KeyRelease, type ReceivedTransformReport } from '../datasets/dataset.js';
import type { ConsumerDeps } from './consumer-deps.js';
import type { ReportFetch } from './consumer-report.js';
import { openPeerEnvelope } from './peer-envelope.js';

/** One transfer as the consumer receives it. */
export interface Delivery {
  /** Our (consumer) transfer process id; also the id of the dataset record and container. */
  transferId: string;
  /** The provider's transfer process id (its providerPid): envelopes and receipts name it. */
  providerTransferId: string;
  agreementId: string;
  providerDid: string;
  keyRelease: KeyRelease;
  /** Where the owner releases keys (owner-held). */
  keyReleaseUrl?: string;
  /** `blake2b-256:<hex>` as the provider announced it (checked against the bytes). */
  containerDigest: string;
}

/** How the pieces that follow the container reach us: fetched with the pull token, or pushed along. */
export interface DeliveryPieces {
  /** The verified transform report, undefined when the transfer has none. */
  report(expected: ReportFetch): Promise<Result<ReceivedTransformReport | undefined>>;
  /** The handover key envelope (never asked for owner-held). */
  envelope(): Promise<Result<unknown>>;
  /** Hands our signed receipt to the provider. */
  sendReceipt(receipt: TransferReceipt): Promise<Result<unknown>>;
}

export async function finishReceived(deps: ConsumerDeps, delivery: Delivery, pieces: DeliveryPieces, summary: ContainerSummary): Promise<Result<DatasetRecord>> {
  const digest = Buffer.from(summary.digest).toString('hex');
  if (containerDigestRef(digest) !== delivery.containerDigest) {
    return discard(deps, delivery, undefined, fail('SOV_DATAPLANE_DIGEST_MISMATCH', `the container received (${digest}) is not the one the provider announced (${delivery.containerDigest})`));
  }
  // Before the receipt: it completes the transfer and spends the token a pulled report is fetched with.
  const report = await pieces.report({ providerDid: delivery.providerDid, agreementId: delivery.agreementId, containerDigest: containerDigestRef(digest) });
  if (!report.ok) return discard(deps, delivery, undefined, report);
  const dataKeyId = await takeKey(deps, delivery, pieces, summary);
  if (!dataKeyId.ok) return discard(deps, delivery, undefined, dataKeyId);
  const receipt = await signTransferReceipt({
    receipt: { transferId: delivery.providerTransferId, agreementId: delivery.agreementId, providerDid: delivery.providerDid, consumerDid: deps.self.did, containerDigest: containerDigestRef(digest), receivedAt: isoTime(deps.clock) },
    kms: deps.kms,
    clock: deps.clock,
  });
  const sent = await pieces.sendReceipt(receipt);
  if (!sent.ok) return discard(deps, delivery, dataKeyId.value, sent);
  const stored = await keep(deps, delivery, summary, dataKeyId.value, report.value);
  if (!stored.ok) return discard(deps, delivery, dataKeyId.value, stored);
  await audit(deps, delivery, stored.value, receipt);
  return stored;
}

/** Handover: open the envelope and import the DEK into our kms. Owner-held: no key. */
async function takeKey(deps: ConsumerDeps, delivery: Delivery, pieces: DeliveryPieces, summary: ContainerSummary): Promise<Result<string | undefined>> {
  if (delivery.keyRelease === 'owner-held') return ok(undefined);
  const envelope = await pieces.envelope();
  if (!envelope.ok) return envelope;
  const opened = await openPeerEnvelope(
    deps,
    envelope.value,
    delivery.providerDid,
    { transferId: delivery.providerTransferId, agreementId: delivery.agreementId, datasetId: summary.header.datasetId, containerDigest: summary.digest },
    `dataset:${delivery.transferId}`,
  );
  if (!opened.ok) return opened;
  if (opened.value.release !== 'handover') return fail('SOV_DATAPLANE_ENVELOPE_MALFORMED', 'a handover transfer delivered a one-time envelope');
  return ok(opened.value.dataKey.keyId);
}

/** Records the received dataset, with the signer key to verify it again at each export. */
async function keep(deps: ConsumerDeps, delivery: Delivery, summary: ContainerSummary, dataKeyId: string | undefined, report: ReceivedTransformReport | undefined): Promise<Result<DatasetRecord>> {
  const signerKey = await deps.peers.signingKey(summary.header.signer);
  if (!signerKey.ok) return signerKey;
  const stored: DatasetRecord = {
    ...receivedRecord(deps, delivery, summary, dataKeyId),
    signerPublicKey: Buffer.from(signerKey.value).toString('base64url'),
    ...(report === undefined ? {} : { transformReport: report }),
  };
  const inserted = await deps.datasets.insert(stored);
  return inserted.ok ? ok(stored) : inserted;
}

function receivedRecord(deps: ConsumerDeps, delivery: Delivery, summary: ContainerSummary, dataKeyId: string | undefined): Omit<DatasetRecord, 'signerPublicKey'> {
  const now = isoTime(deps.clock);
  return {
    id: delivery.transferId,
    offeringId: summary.header.datasetId,
    version: summary.header.datasetVersion,
    origin: 'received',
    containerId: delivery.transferId,
    containerDigest: Buffer.from(summary.digest).toString('hex'),
    size: summary.size,
    plaintextLength: summary.plaintextLength,
    signer: summary.header.signer,
    keyRelease: delivery.keyRelease,
    ...(dataKeyId === undefined ? {} : { dataKeyId }),
    receivedFrom: {
      providerDid: delivery.providerDid,
      agreementId: delivery.agreementId,
      transferId: delivery.providerTransferId,
      ...(delivery.keyReleaseUrl === undefined ? {} : { keyReleaseEndpoint: delivery.keyReleaseUrl }),
    },
    status: 'ready',
    createdAt: now,
    updatedAt: now,
  };
}

async function audit(deps: ConsumerDeps, delivery: Delivery, stored: DatasetRecord, receipt: TransferReceipt): Promise<void> {
  await deps.audit.record(transferReceiptEntry({ actor: deps.self.did, receipt }));
  await deps.audit.record({
    actor: deps.self.did,
    type: 'dataset.added',
    subjects: [stored.id, stored.offeringId, delivery.agreementId, delivery.providerTransferId],
    digest: containerDigestRef(stored.containerDigest),
    details: {
      origin: 'received', providerDid: delivery.providerDid, agreementId: delivery.agreementId, keyRelease: stored.keyRelease ?? 'handover', size: stored.size, keyStored: stored.dataKeyId !== undefined,
      ...(stored.transformReport === undefined ? {} : { anonymisationReportDigest: stored.transformReport.digest }),
    },
  });
}

/** Removes what a refused transfer left: its container (committed or pending) and an imported key. */
export async function discard(deps: ConsumerDeps, delivery: Pick<Delivery, 'transferId'>, dataKeyId: string | undefined, failure: Failure): Promise<Failure> {
  await deps.store.delete(delivery.transferId);
  if (dataKeyId !== undefined) await deps.kms.destroyDataKey(dataKeyId);
  return failure;
}
