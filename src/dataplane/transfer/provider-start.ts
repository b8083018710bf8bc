/**
 * The provider's `DataPlaneControl` (src/transfer/ports.ts; design.md step 4): on start, the
 * agreement must be finalized, not revoked and its policy must hold now with the consumer's
 * current claims; pending duties run through the `DatasetTransform` (a new container under a
 * fresh DEK) or the start is refused; then a transfer token is issued and, for handover, the
 * key envelope sealed to the consumer's X25519 key. The stored ciphertext itself is never
 * decrypted or re-encrypted. Idempotent per transfer: a repeated start hands out the same
 * address while its token is valid. Stop only records why, and every later call is refused.
 * A push transfer is admitted the same way and keeps the consumer's sink instead of answering
 * an address.
 */
import { isoTime } from '../../clock/index.js';
import type { DataAddress } from '../../dsp/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import { isPushFormat, type DataPlaneControl, type TransferProcess } from '../../transfer/index.js';
import { containerDigestRef } from '../datasets/dataset.js';
import { checkAgreement, type GateDecision } from './agreement-gate.js';
import { pullDataAddress, readSinkAddress, transferUrls } from './data-address.js';
import { recordKeyReleased, recordRefusal } from './evidence.js';
import { issueHandoverEnvelope } from './provider-envelope.js';
import { DEFAULT_TOKEN_TTL_MS, type ProviderDeps } from './provider-deps.js';
import type { DatasetTransform, OutboundTransfer, PushSink } from './ports.js';
import { issueTransferToken } from './transfer-token.js';

/** Without a transform, pending duties cannot be performed: refuse rather than send untransformed data. */
export const noTransform: DatasetTransform = async ({ dataset, duties }) => {
  if (duties.length > 0) {
    return fail('SOV_DATAPLANE_DUTY_UNFULFILLED', `duties ${duties.map((d) => d.action).join(', ')} must be performed before release and no transform is configured`, {
      duties: duties.map((d) => ({ action: d.action, parameters: d.parameters })),
    });
  }
  if (dataset.dataKeyId === undefined) throw new Error(`local dataset ${dataset.id} has no data key`);
  return ok({ containerId: dataset.containerId, dataKeyId: dataset.dataKeyId, containerDigest: dataset.containerDigest });
};

export function addressOf(deps: ProviderDeps, record: OutboundTransfer): DataAddress {
  const urls = transferUrls(deps.self.dataPlaneBase, record.transferId);
  return pullDataAddress({
    containerUrl: urls.container,
    token: record.token.value,
    keyRelease: record.keyRelease,
    receiptUrl: urls.receipt,
    containerDigest: containerDigestRef(record.containerDigest),
    ...(record.keyRelease === 'handover' ? { envelopeUrl: urls.envelope } : { keyReleaseUrl: urls.keyRelease }),
    ...(record.transformReport === undefined ? {} : { reportUrl: urls.report }),
  });
}

/** Uses of the agreement before transfer `transfer.id`: what a count-limited policy measures when admitting it. */
export async function usesSoFar(deps: ProviderDeps, transfer: Pick<TransferProcess, 'id' | 'agreementId'>): Promise<number> {
  const counted = await deps.transfers.countByAgreement(transfer.agreementId);
  // The DSP count includes this transfer once it is committed (a resume), not while it is being admitted.
  return Math.max(0, counted - ((await deps.transfers.get(transfer.id)) === undefined ? 0 : 1));
}

async function prepare(deps: ProviderDeps, transfer: TransferProcess, gate: GateDecision): Promise<Result<OutboundTransfer>> {
  const dataset = await deps.datasets.latestLocal(transfer.datasetId);
  if (dataset === undefined) return fail('SOV_DATAPLANE_DATASET_NOT_FOUND', `no dataset has been added for offering ${transfer.datasetId}`);
  const transformed = await (deps.transform ?? noTransform)({ dataset, agreement: gate.agreement, duties: gate.pendingDuties });
  if (!transformed.ok) return transformed;
  const ttlMs = deps.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  const issued = await issueTransferToken({ ...deps, issuerDid: deps.self.did, consumerDid: transfer.counterpartyDid, transferId: transfer.id, agreementId: transfer.agreementId, ttlMs });
  const now = isoTime(deps.clock);
  const record: OutboundTransfer = {
    transferId: transfer.id,
    agreementId: transfer.agreementId,
    consumerDid: transfer.counterpartyDid,
    datasetId: dataset.id,
    offeringId: dataset.offeringId,
    containerId: transformed.value.containerId,
    dataKeyId: transformed.value.dataKeyId,
    containerDigest: transformed.value.containerDigest,
    keyRelease: await deps.keyReleaseOf(dataset.offeringId),
    token: { value: issued.token, jti: issued.claims.jti, expiresAt: new Date(issued.claims.exp * 1000).toISOString() },
    ...(transformed.value.report === undefined ? {} : { transformReport: transformed.value.report }),
    policyDecisionDigest: gate.reportDigest,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
  if (record.keyRelease === 'owner-held') return ok(record);
  const envelope = await issueHandoverEnvelope(deps, record, ttlMs);
  return envelope.ok ? ok({ ...record, envelope: envelope.value }) : envelope;
}

/** Push: the consumer's sink from its request (on its own origin), else undefined for a pull. */
function sinkOf(transfer: TransferProcess): Result<PushSink | undefined> {
  return isPushFormat(transfer.format) ? readSinkAddress(transfer.dataAddress, transfer.counterpartyDid) : ok(undefined);
}

/**
 * Pull: answers the DataAddress for the start message. Push: records the consumer's sink and
 * answers none; the container and delivery go out once the transfer is STARTED (provider-push.ts).
 */
async function start(deps: ProviderDeps, transfer: TransferProcess): Promise<Result<DataAddress | undefined>> {
  const sink = sinkOf(transfer);
  if (!sink.ok) return refuse(deps, transfer, sink);
  const gate = await checkAgreement(deps, { agreementId: transfer.agreementId, consumerDid: transfer.counterpartyDid, uses: await usesSoFar(deps, transfer) });
  if (!gate.ok) return refuse(deps, transfer, gate);
  const existing = await deps.records.get(transfer.id);
  const reusable = existing !== undefined && existing.status !== 'completed' && existing.status !== 'terminated' && Date.parse(existing.token.expiresAt) > deps.clock.now();
  const prepared = reusable ? ok(existing) : await prepare(deps, transfer, gate.value);
  if (!prepared.ok) return refuse(deps, transfer, prepared);
  const record: OutboundTransfer = { ...prepared.value, status: 'active', updatedAt: isoTime(deps.clock), ...(sink.value === undefined ? {} : { push: sink.value }) };
  await deps.records.save(record);
  return ok(sink.value === undefined ? addressOf(deps, record) : undefined);
}

async function refuse(deps: ProviderDeps, transfer: TransferProcess, failure: Failure): Promise<Failure> {
  await recordRefusal(deps, { stage: 'transfer', consumerDid: transfer.counterpartyDid, offeringId: transfer.datasetId, failure, report: failure.data?.['report'] });
  return failure;
}

async function stop(deps: ProviderDeps, transfer: TransferProcess, why: 'suspended' | 'completed' | 'terminated'): Promise<void> {
  const record = await deps.records.get(transfer.id);
  if (record === undefined || record.status === why) return;
  const stopped: OutboundTransfer = { ...record, status: why, updatedAt: isoTime(deps.clock) };
  await deps.records.save(stopped);
  if (why === 'completed') await recordKeyReleased(deps, stopped, 'transfer.state');
}

export function createProviderControl(deps: ProviderDeps): DataPlaneControl {
  return { start: (transfer) => start(deps, transfer), stop: (transfer, why) => stop(deps, transfer, why) };
}
