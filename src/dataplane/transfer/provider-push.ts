/**
 * The provider's side of a push transfer (issue 7 "Push: the provider sends them to the
 * consumer's endpoint"; docs/format.md §6), run once the transfer is STARTED — the consumer has
 * acknowledged our start message, so its side is STARTED too. Each step is authorised like a
 * pull's call: the transfer active, the agreement standing (not revoked); the policy and duties
 * were checked at start, and the policy is checked again when the push outlives the transfer
 * token and envelope issued then and gets fresh ones (provider-renew.ts). We ask the consumer's
 * sink how much of the container it holds, stream the stored ciphertext as it is from its first
 * missing chunk (resuming after a cut without sending again what arrived), then send the
 * delivery with the key envelope (audited once as the key leaving) or, owner-held, the
 * key-release endpoint. The consumer checks everything, hands its signed receipt to our receipt
 * endpoint (stored like a pull's) and completes the transfer.
 */
import { isoTime } from '../../clock/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import { readFromChunk } from '../container/resume.js';
import { containerDigestRef } from '../datasets/dataset.js';
import { CONTAINER_MEDIA_TYPE, sinkUrls, TRANSFER_TOKEN_HEADER, transferUrls } from './data-address.js';
import { recordKeyReleased } from './evidence.js';
import { saveOverCurrent, type ProviderDeps } from './provider-deps.js';
import { withFreshCredentials } from './provider-renew.js';
import { stillReleasing } from './provider-serve.js';
import type { OutboundTransfer, PushSink } from './ports.js';
import { readSinkStatus, type PushDelivery, type SinkStatus } from './push-delivery.js';

/** Refusals by the consumer that say nothing about the data: we ask again where it stands. */
const ASK_AGAIN = new Set<string>(['SOV_UPSTREAM_UNAVAILABLE', 'SOV_DATAPLANE_STORE_IO', 'SOV_DATAPLANE_RANGE_INVALID', 'SOV_DATAPLANE_PUSH_INTERRUPTED']);

/** A 5xx is the consumer failing, not refusing: it says nothing about the data either. */
const askAgain = (failure: Failure): boolean => ASK_AGAIN.has(failure.code) || Number(failure.data?.['status']) >= 500;

/** Failures a later push may overcome (the consumer not ready or failing, a connection that keeps breaking). */
export const isPushDeferred = (failure: Failure) => askAgain(failure) || failure.code === 'SOV_DATAPLANE_TRANSFER_NOT_ACTIVE' || failure.code === 'SOV_DATAPLANE_PUSH_INCOMPLETE';

/** Attempts in one push before it is left to the connector's retry (each resumes where the last broke off). */
const ATTEMPTS = 5;

/**
 * Pushes transfer `transferId` to its end, resuming after each broken connection, up to
 * `ATTEMPTS` times. Answers the record once the consumer has kept the data.
 */
export async function pushTransfer(deps: ProviderDeps, transferId: string): Promise<Result<OutboundTransfer>> {
  const max = ATTEMPTS;
  let last: Failure = fail('SOV_DATAPLANE_PUSH_INTERRUPTED', `the push of transfer ${transferId} never started`);
  for (let count = 1; count <= max; count += 1) {
    const result = await attempt(deps, transferId);
    if (result.ok || !askAgain(result)) return result;
    last = result;
  }
  return fail('SOV_DATAPLANE_PUSH_INTERRUPTED', `the push broke off ${max} times; ${last.detail}`, { cause: last.code });
}

async function attempt(deps: ProviderDeps, transferId: string): Promise<Result<OutboundTransfer>> {
  const record = await pushable(deps, transferId);
  if (!record.ok) return record;
  const sink = record.value.push as PushSink;
  const status = await sinkStatus(deps, record.value, sink);
  if (!status.ok) return status;
  if (status.value.state === 'received') return ok(record.value);
  if (status.value.state === 'open') {
    const fromChunk = status.value.fromChunk ?? undefined;
    const url = fromChunk === undefined ? sinkUrls(sink.endpoint).container : `${sinkUrls(sink.endpoint).container}?fromChunk=${fromChunk}`;
    const sent = await deps.remote.postStream(url, record.value.consumerDid, { ...tokenOf(sink), 'content-type': CONTAINER_MEDIA_TYPE }, () => readFromChunk(deps.store, record.value.containerId, fromChunk));
    if (!sent.ok) return sent;
  }
  // Checked again before the key leaves: a suspension or revocation meanwhile stops it.
  const still = await pushable(deps, transferId);
  if (!still.ok) return still;
  return deliver(deps, still.value, sink);
}

/**
 * Ours, a push, STARTED (the consumer acknowledged the start), active and its agreement
 * standing; with a transfer token and envelope that outlast the next step (provider-renew.ts).
 */
async function pushable(deps: ProviderDeps, transferId: string): Promise<Result<OutboundTransfer>> {
  const record = await deps.records.get(transferId);
  if (record?.push === undefined) return fail('SOV_DATAPLANE_TRANSFER_NOT_FOUND', `no push transfer ${transferId}`);
  const state = (await deps.transfers.get(transferId))?.state;
  if (state !== 'STARTED') return fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `transfer ${transferId} is ${state ?? 'unknown'}, not STARTED`, { state: state ?? 'unknown' });
  const releasing = await stillReleasing(deps, record);
  return releasing.ok ? withFreshCredentials(deps, releasing.value) : releasing;
}

const tokenOf = (sink: PushSink) => ({ [TRANSFER_TOKEN_HEADER]: sink.token });

async function sinkStatus(deps: ProviderDeps, record: OutboundTransfer, sink: PushSink): Promise<Result<SinkStatus>> {
  const answer = await deps.remote.getJson(sinkUrls(sink.endpoint).status, record.consumerDid, tokenOf(sink));
  return answer.ok ? readSinkStatus(answer.value, sink.endpoint) : answer;
}

/** What the pull's address and endpoints would have given, sent to the sink; the envelope is audited as a key leaving. */
async function deliver(deps: ProviderDeps, record: OutboundTransfer, sink: PushSink): Promise<Result<OutboundTransfer>> {
  const urls = transferUrls(deps.self.dataPlaneBase, record.transferId);
  const delivery: PushDelivery = {
    type: 'SovPushDelivery',
    transferId: record.transferId,
    agreementId: record.agreementId,
    containerDigest: containerDigestRef(record.containerDigest),
    keyRelease: record.keyRelease,
    receiptEndpoint: urls.receipt,
    token: record.token.value,
    ...(record.envelope === undefined ? { keyReleaseEndpoint: urls.keyRelease } : { envelope: record.envelope }),
    ...(record.transformReport === undefined ? {} : { report: record.transformReport as Record<string, unknown> }),
  };
  await recordReleaseOnce(deps, record);
  const answered = await deps.remote.postJson(sinkUrls(sink.endpoint).delivery, record.consumerDid, delivery, tokenOf(sink));
  return answered.ok ? ok(record) : answered;
}

/**
 * Audits the envelope leaving before it first goes out. A delivery retried after a broken
 * connection sends the same envelope again: one release, one entry (a renewed envelope is another).
 */
async function recordReleaseOnce(deps: ProviderDeps, record: OutboundTransfer): Promise<void> {
  const signature = record.envelope?.signature;
  if (signature === undefined || record.releaseRecorded === signature) return;
  await recordKeyReleased(deps, record, 'key.released');
  await saveOverCurrent(deps, record, { releaseRecorded: signature, updatedAt: isoTime(deps.clock) });
}
