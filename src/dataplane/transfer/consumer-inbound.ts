/**
 * The consumer's side of a push transfer (docs/format.md §6): the provider asks where to
 * start, sends the container — verified while it arrives and stored as it is, exactly as a
 * pulled one (`storeVerified`), resuming after a cut from the last whole chunk we hold — then
 * the delivery message with the key envelope (or the owner's key-release endpoint) and report,
 * which `finishReceived` checks as for a pull before our signed receipt goes to the provider.
 * Only then is the dataset kept and our transfer COMPLETED. A refusal of the data deletes what
 * arrived, closes the sink and terminates the transfer with its code. One call at a time per
 * sink, closing it included: a call waits for the one before it, so a resume never races a cut
 * upload still ending, and a termination never deletes what a delivery is about to keep. What a
 * stop leaves half done is taken up where it stands: a delivery repeated after the dataset was
 * kept only finishes, a container committed before the sink said so is verified again and
 * counts as stored, and `recover` binds and completes what is left (consumer-recover.ts).
 */
import { DomainError, fail, ok, type Failure, type Result } from '../../errors/index.js';
import { didToUrl } from '../../identity/index.js';
import type { TransferProcess } from '../../transfer/index.js';
import { planResume, readStoredHeader } from '../container/resume.js';
import type { ContainerSummary } from '../container/trailer.js';
import type { DatasetRecord } from '../datasets/dataset.js';
import { isTransientFailure, storeVerified, verifyStored } from './consumer-container.js';
import type { InboundDeps } from './consumer-deps.js';
import { finishReceived, type DeliveryPieces } from './consumer-finish.js';
import { recoverSink, sinkIdOfTransfer } from './consumer-recover.js';
import { verifyTransformReport } from './consumer-report.js';
import { sameOrigin, TRANSFER_TOKEN_HEADER } from './data-address.js';
import { authorizeInbound, closeSink, settleReceived, sinkOfCall, updateSink, type AuthorizedCall, type InboundCall } from './consumer-sink.js';
import type { InboundSink, StoredContainer } from './ports.js';
import { readPushDelivery, type PushDelivery, type SinkStatus } from './push-delivery.js';

type ContainerAnswer = { containerDigest: string; size: number };

export interface ConsumerInbound {
  status(call: InboundCall): Promise<Result<SinkStatus>>;
  /** `fromChunk` must be the one `status` answers (undefined: the whole container). */
  container(call: InboundCall, fromChunk: number | undefined, body: AsyncIterable<Uint8Array>): Promise<Result<ContainerAnswer>>;
  delivery(call: InboundCall, body: unknown): Promise<Result<DatasetRecord>>;
  /** Our push transfer `transferId` ended without its data: its sink closes in its turn, after the call in progress. */
  close(transferId: string): Promise<void>;
  /** Puts right what a stop left half done on the sink of our push transfer `transfer` (at start, and as it is acknowledged or starts). */
  recover(transfer: TransferProcess): Promise<Result<unknown>>;
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
    async close(transferId) {
      const sink = await deps.sinks.findByTransfer(transferId);
      if (sink !== undefined) await serialised(sink.sinkId, () => closeSink(deps, transferId));
    },
    recover(transfer) {
      const sinkId = sinkIdOfTransfer(deps, transfer);
      return sinkId === undefined ? Promise.resolve(ok(undefined)) : serialised(sinkId, () => recoverSink(deps, transfer, sinkId));
    },
  };
}

/** Where the push stands; a sink that received its data says so (its token is spent for anything else). */
async function status(deps: InboundDeps, call: InboundCall): Promise<Result<SinkStatus>> {
  const sink = await sinkOfCall(deps, call);
  if (!sink.ok) return sink;
  if (sink.value.status === 'received') return ok({ state: 'received', fromChunk: null });
  const authorized = await authorizeInbound(deps, call);
  if (!authorized.ok) return authorized;
  if (authorized.value.sink.status === 'stored' || (await adoptCommitted(deps, authorized.value)) !== undefined) return ok({ state: 'stored', fromChunk: null });
  const plan = await planResume(deps.store, authorized.value.transfer.id);
  return ok({ state: 'open', fromChunk: plan.fromChunk ?? null });
}

/**
 * A container committed to our store while the sink still says `open` (a stop between the
 * commit and the sink's update): verified again, it counts as stored; one that no longer
 * verifies is deleted and taken again from the start.
 */
async function adoptCommitted(deps: InboundDeps, call: AuthorizedCall): Promise<StoredContainer | undefined> {
  if (!(await deps.store.has(call.transfer.id))) return undefined;
  const verified = await verifyStored(deps, call.transfer.id, call.sink.providerDid);
  if (!verified.ok) {
    await deps.store.delete(call.transfer.id);
    return undefined;
  }
  const container = storedContainerOf(verified.value);
  return (await updateSink(deps, call.sink.sinkId, ['open'], (sink) => ({ ...sink, status: 'stored', container }))) ? container : undefined;
}

function storedContainerOf(summary: ContainerSummary): StoredContainer {
  return {
    digest: Buffer.from(summary.digest).toString('hex'),
    signature: Buffer.from(summary.signature).toString('base64url'),
    chunks: summary.chunks,
    plaintextLength: summary.plaintextLength,
    size: summary.size,
  };
}

const answerOf = (container: StoredContainer): ContainerAnswer => ({ containerDigest: `blake2b-256:${container.digest}`, size: container.size });

async function receiveContainer(deps: InboundDeps, call: InboundCall, fromChunk: number | undefined, body: AsyncIterable<Uint8Array>): Promise<Result<ContainerAnswer>> {
  const authorized = await authorizeInbound(deps, call);
  if (!authorized.ok) return authorized;
  const { sink, transfer } = authorized.value;
  if (sink.status !== 'open') return fail('SOV_DATAPLANE_OBJECT_EXISTS', `push sink ${call.sinkId} holds its whole container already`);
  const adopted = await adoptCommitted(deps, authorized.value);
  if (adopted !== undefined) return ok(answerOf(adopted));
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
  const container = storedContainerOf(summary.value);
  if (!(await updateSink(deps, sink.sinkId, ['open'], (current) => ({ ...current, status: 'stored', container })))) {
    await deps.store.delete(transfer.id);
    return fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `push sink ${call.sinkId} closed while its container arrived`, { state: 'closed' });
  }
  return ok(answerOf(container));
}

async function receiveDelivery(deps: InboundDeps, call: InboundCall, body: unknown): Promise<Result<DatasetRecord>> {
  const spent = await sinkOfCall(deps, call);
  if (spent.ok && spent.value.status === 'received') return alreadyReceived(deps, spent.value);
  const authorized = await authorizeInbound(deps, call);
  if (!authorized.ok) return authorized;
  const { sink, transfer } = authorized.value;
  // Repeated after the dataset was kept but before the sink said so (a stop in between): only finish.
  const kept = await deps.datasets.findReceived(transfer.providerPid);
  if (kept !== undefined) return settled(await settleReceived(deps, sink.sinkId, transfer.id), kept);
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
  return settled(await settleReceived(deps, sink.sinkId, transfer.id), received.value);
}

const settled = (completed: Result<unknown>, dataset: DatasetRecord): Result<DatasetRecord> => (completed.ok ? ok(dataset) : completed);

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
  await updateSink(deps, call.sink.sinkId, ['stored'], (sink) => {
    const { container: _dropped, ...rest } = sink;
    return { ...rest, status: 'open' };
  });
  return failure;
}

/** A refusal of the data: nothing of it is kept, the sink closes, and the provider learns why (TransferTerminationMessage). */
async function refuse(deps: InboundDeps, call: AuthorizedCall, failure: Failure): Promise<Failure> {
  await closeSink(deps, call.transfer.id);
  const terminated = await deps.transfers.terminate(call.transfer.id, { code: failure.code, reason: [failure.detail] });
  return terminated.ok ? failure : fail(failure.code, `${failure.detail} (and terminating transfer ${call.transfer.id} failed: ${terminated.detail})`, failure.data);
}
