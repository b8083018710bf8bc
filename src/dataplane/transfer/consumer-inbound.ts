/**
 * The consumer's side of a push transfer (docs/format.md §6): the provider asks where to
 * start, sends the container — verified while it arrives and stored as it is, exactly as a
 * pulled one (`storeVerified`), resuming after a cut from the last whole chunk we hold — then
 * the delivery message with the key envelope (or the owner's key-release endpoint) and report,
 * which `finishReceived` checks as for a pull before our signed receipt goes to the provider.
 * Only then is the dataset kept and our transfer COMPLETED. A refusal of the data deletes what
 * arrived, closes the sink and terminates the transfer with its code. One call at a time per
 * sink: a call waits for the one before it, so a resume never races a cut upload still ending.
 */
import { isoTime } from '../../clock/index.js';
import { DomainError, fail, ok, type Failure, type Result } from '../../errors/index.js';
import { didToUrl } from '../../identity/index.js';
import { planResume, readStoredHeader } from '../container/resume.js';
import type { ContainerSummary } from '../container/trailer.js';
import type { DatasetRecord } from '../datasets/dataset.js';
import { isTransientFailure, storeVerified } from './consumer-container.js';
import type { InboundDeps } from './consumer-deps.js';
import { finishReceived, type DeliveryPieces } from './consumer-finish.js';
import { verifyTransformReport } from './consumer-report.js';
import { sameOrigin, TRANSFER_TOKEN_HEADER } from './data-address.js';
import { authorizeInbound, closeSink, sinkOfCall, type AuthorizedCall, type InboundCall } from './consumer-sink.js';
import type { InboundSink, StoredContainer } from './ports.js';
import { readPushDelivery, type PushDelivery } from './push-delivery.js';

/** Where a push stands: `fromChunk` null = send the whole container (we hold not even its header). */
export interface SinkStatus {
  state: 'open' | 'stored' | 'received';
  fromChunk: number | null;
}

export interface ConsumerInbound {
  status(call: InboundCall): Promise<Result<SinkStatus>>;
  /** `fromChunk` must be the one `status` answers (undefined: the whole container). */
  container(call: InboundCall, fromChunk: number | undefined, body: AsyncIterable<Uint8Array>): Promise<Result<{ containerDigest: string; size: number }>>;
  delivery(call: InboundCall, body: unknown): Promise<Result<DatasetRecord>>;
}

export function createConsumerInbound(deps: InboundDeps): ConsumerInbound {
  const running = new Map<string, Promise<unknown>>();
  // Calls into one sink run one after another.
  const serialised = <T>(sinkId: string, run: () => Promise<T>): Promise<T> => {
    const next = (running.get(sinkId) ?? Promise.resolve()).then(run, run);
    const settled = next.catch(() => undefined);
    running.set(sinkId, settled);
    void settled.then(() => running.get(sinkId) === settled && running.delete(sinkId));
    return next;
  };
  return {
    status: (call) => serialised(call.sinkId, () => status(deps, call)),
    container: (call, fromChunk, body) => serialised(call.sinkId, () => receiveContainer(deps, call, fromChunk, body)),
    delivery: (call, body) => serialised(call.sinkId, () => receiveDelivery(deps, call, body)),
  };
}

/** Where the push stands; a sink that received its data says so (its token is spent for anything else). */
async function status(deps: InboundDeps, call: InboundCall): Promise<Result<SinkStatus>> {
  const sink = await sinkOfCall(deps, call);
  if (!sink.ok) return sink;
  if (sink.value.status === 'received') return ok({ state: 'received', fromChunk: null });
  const authorized = await authorizeInbound(deps, call);
  if (!authorized.ok) return authorized;
  const { transfer } = authorized.value;
  if (authorized.value.sink.status === 'stored') return ok({ state: 'stored', fromChunk: null });
  const plan = await planResume(deps.store, transfer.id);
  return ok({ state: 'open', fromChunk: plan.fromChunk ?? null });
}

async function receiveContainer(deps: InboundDeps, call: InboundCall, fromChunk: number | undefined, body: AsyncIterable<Uint8Array>): Promise<Result<{ containerDigest: string; size: number }>> {
  const authorized = await authorizeInbound(deps, call);
  if (!authorized.ok) return authorized;
  const { sink, transfer } = authorized.value;
  if (sink.status !== 'open') return fail('SOV_DATAPLANE_OBJECT_EXISTS', `push sink ${call.sinkId} holds its whole container already`);
  const plan = await planResume(deps.store, transfer.id);
  if (fromChunk !== plan.fromChunk) {
    return fail('SOV_DATAPLANE_RANGE_INVALID', plan.fromChunk === undefined ? 'we hold no whole header yet: push the whole container' : `we hold ${plan.fromChunk} whole chunks: push from chunk ${plan.fromChunk}`);
  }
  let summary: Result<ContainerSummary>;
  try {
    summary = await storeVerified(deps, { transferId: transfer.id, containerId: transfer.id, providerDid: sink.providerDid }, plan, body, 1);
  } catch (error) {
    // The upload broke off: what arrived stays pending, the provider resumes from our last whole chunk.
    if (!(error instanceof DomainError)) return fail('SOV_DATAPLANE_PUSH_INTERRUPTED', `the push broke off: ${(error as Error).message}`);
    summary = error.failure;
  }
  if (!summary.ok) return isTransientFailure(summary) ? summary : refuse(deps, authorized.value, summary);
  const container: StoredContainer = {
    digest: Buffer.from(summary.value.digest).toString('hex'),
    signature: Buffer.from(summary.value.signature).toString('base64url'),
    chunks: summary.value.chunks,
    plaintextLength: summary.value.plaintextLength,
    size: summary.value.size,
  };
  await deps.sinks.save({ ...sink, status: 'stored', container, updatedAt: isoTime(deps.clock) });
  return ok({ containerDigest: `blake2b-256:${container.digest}`, size: container.size });
}

async function receiveDelivery(deps: InboundDeps, call: InboundCall, body: unknown): Promise<Result<DatasetRecord>> {
  const spent = await sinkOfCall(deps, call);
  if (spent.ok && spent.value.status === 'received') return alreadyReceived(deps, spent.value);
  const authorized = await authorizeInbound(deps, call);
  if (!authorized.ok) return authorized;
  const { sink, transfer } = authorized.value;
  if (sink.status !== 'stored' || sink.container === undefined) return fail('SOV_DATAPLANE_PUSH_INCOMPLETE', `push sink ${call.sinkId} does not hold a whole verified container yet`);
  const delivery = readDelivery(body, authorized.value);
  if (!delivery.ok) return refuse(deps, authorized.value, delivery);
  const summary = await storedSummary(deps, transfer.id, sink.container);
  if (!summary.ok) return refuse(deps, authorized.value, summary);
  const d = delivery.value;
  const received = await finishReceived(
    deps,
    {
      transferId: transfer.id,
      providerTransferId: transfer.providerPid,
      agreementId: sink.agreementId,
      providerDid: sink.providerDid,
      keyRelease: d.keyRelease,
      containerDigest: d.containerDigest,
      ...(d.keyReleaseEndpoint === undefined ? {} : { keyReleaseUrl: d.keyReleaseEndpoint }),
    },
    pushedPieces(deps, sink.providerDid, d),
    summary.value,
  );
  if (!received.ok) return isTransientFailure(received) ? startOver(deps, authorized.value, received) : refuse(deps, authorized.value, received);
  await deps.sinks.save({ ...sink, status: 'received', updatedAt: isoTime(deps.clock) });
  // dsp.md §4 TransferCompletionMessage: after the digest and signature check and our receipt.
  const completed = await deps.transfers.complete(transfer.id);
  return completed.ok ? received : completed;
}

/** A repeated delivery (its answer was lost): the dataset this sink received. */
async function alreadyReceived(deps: InboundDeps, sink: InboundSink): Promise<Result<DatasetRecord>> {
  const kept = sink.transferId === undefined ? undefined : await deps.datasets.get(sink.transferId);
  return kept === undefined ? fail('SOV_DATAPLANE_TOKEN_REPLAYED', `push sink ${sink.sinkId} has received its data: its token is spent`) : ok(kept);
}

/** The delivery must be about our transfer and agreement, and name endpoints of the provider itself. */
function readDelivery(body: unknown, call: AuthorizedCall): Result<PushDelivery> {
  const delivery = readPushDelivery(body);
  if (!delivery.ok) return delivery;
  const d = delivery.value;
  if (d.transferId !== call.transfer.providerPid || d.agreementId !== call.sink.agreementId) {
    return fail('SOV_DATAPLANE_DELIVERY_INVALID', `the delivery is for transfer ${d.transferId} under ${d.agreementId}, not ${call.transfer.providerPid} under ${call.sink.agreementId}`);
  }
  const home = didToUrl(call.sink.providerDid);
  const foreign = [d.receiptEndpoint, d.keyReleaseEndpoint].filter((url) => url !== undefined && !(home.ok && sameOrigin(home.value, url)));
  if (foreign.length > 0) return fail('SOV_DATAPLANE_DELIVERY_INVALID', `${foreign.join(', ')} is not an endpoint of ${call.sink.providerDid}`);
  return ok(d);
}

/** The summary of the container we verified and committed, read back from the sink and the stored header. */
async function storedSummary(deps: InboundDeps, containerId: string, stored: StoredContainer): Promise<Result<ContainerSummary>> {
  const header = await readStoredHeader(deps.store, containerId);
  if (!header.ok) return header;
  const { digest, signature, ...counts } = stored;
  return ok({ header: header.value, digest: Buffer.from(digest, 'hex'), signature: Buffer.from(signature, 'base64url'), ...counts });
}

/** Report and envelope came with the delivery; the receipt goes to the provider's endpoint with its transfer token. */
function pushedPieces(deps: InboundDeps, providerDid: string, delivery: PushDelivery): DeliveryPieces {
  return {
    report: async (expected) => (delivery.report === undefined ? ok(undefined) : verifyTransformReport(deps, delivery.report, expected)),
    envelope: async () => ok(delivery.envelope),
    sendReceipt: (receipt) => deps.remote.postJson(delivery.receiptEndpoint, providerDid, receipt, { [TRANSFER_TOKEN_HEADER]: delivery.token }),
  };
}

/**
 * The receipt could not reach the provider (or our store failed): `finishReceived` removed the
 * container, so the sink takes it again from the start; the transfer stays STARTED.
 */
async function startOver(deps: InboundDeps, call: AuthorizedCall, failure: Failure): Promise<Failure> {
  const { container: _dropped, ...sink } = call.sink;
  await deps.sinks.save({ ...sink, status: 'open', updatedAt: isoTime(deps.clock) });
  return failure;
}

/** A refusal of the data: nothing of it is kept, the sink closes, and the provider learns why (TransferTerminationMessage). */
async function refuse(deps: InboundDeps, call: AuthorizedCall, failure: Failure): Promise<Failure> {
  await closeSink(deps, call.transfer.id);
  const terminated = await deps.transfers.terminate(call.transfer.id, { code: failure.code, reason: [failure.detail] });
  return terminated.ok ? failure : fail(failure.code, `${failure.detail} (and terminating transfer ${call.transfer.id} failed: ${terminated.detail})`, failure.data);
}
