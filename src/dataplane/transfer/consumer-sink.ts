/**
 * The consumer's push sinks (issue 7 "Push: the provider sends them to the consumer's
 * endpoint"). Before our TransferRequestMessage goes out we open a sink for it: an id under our
 * `/dataplane/inbound`, bound to the agreement and its provider, and a sink token (a transfer
 * token of type `SovSinkToken`, signed by us, for that provider only) that travels in the
 * request's DataAddress. Our transfer process id is bound to the sink once the request is
 * committed (or, after a stop in between, by `recoverSink`). Every call into the sink is
 * checked here: caller = the provider the token names, token ours for this sink and unexpired,
 * sink not spent or closed, our transfer STARTED.
 */
import { isoTime } from '../../clock/index.js';
import type { DataAddress } from '../../dsp/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import { isPushFormat, type TransferProcess } from '../../transfer/index.js';
import type { InboundDeps } from './consumer-deps.js';
import { sinkDataAddress, sinkEndpoint } from './data-address.js';
import type { InboundSink } from './ports.js';
import { issueTransferToken, verifyTransferToken } from './transfer-token.js';

const DEFAULT_SINK_TTL_MS = 24 * 60 * 60 * 1000;

/** A call into a sink: its id, the sink token presented (X-Transfer-Token), the caller the connector token proved. */
export interface InboundCall {
  sinkId: string;
  token: string | undefined;
  callerDid: string;
}

async function openSink(deps: InboundDeps, input: { agreementId: string; providerDid: string }): Promise<{ sink: InboundSink; dataAddress: DataAddress }> {
  const sinkId = deps.ids.urn();
  const ttlMs = deps.sinkTtlMs ?? DEFAULT_SINK_TTL_MS;
  const issued = await issueTransferToken({ ...deps, kind: 'sink', issuerDid: deps.self.did, consumerDid: input.providerDid, transferId: sinkId, agreementId: input.agreementId, ttlMs });
  const now = isoTime(deps.clock);
  const sink: InboundSink = { sinkId, agreementId: input.agreementId, providerDid: input.providerDid, status: 'open', createdAt: now, updatedAt: now };
  await deps.sinks.save(sink);
  return { sink, dataAddress: sinkDataAddress({ endpoint: sinkEndpoint(deps.self.dataPlaneBase, sinkId), token: issued.token }) };
}

/** Binds `sink` to our transfer process `transferId` (after the request committed, or by `recoverSink`). */
export async function bindSink(deps: InboundDeps, sink: InboundSink, transferId: string): Promise<void> {
  await deps.sinks.save({ ...sink, transferId, updatedAt: isoTime(deps.clock) });
}

export interface AuthorizedCall {
  sink: InboundSink;
  transfer: TransferProcess & { providerPid: string };
}

/** The sink the call names, when the token presented is our sink token for it, issued to the caller and unexpired. */
export async function sinkOfCall(deps: InboundDeps, call: InboundCall): Promise<Result<InboundSink>> {
  if (call.token === undefined || call.token === '') return fail('SOV_DATAPLANE_TOKEN_MISSING', 'a push needs the sink token of our data address (X-Transfer-Token)');
  const sink = await deps.sinks.get(call.sinkId);
  if (sink === undefined) return fail('SOV_DATAPLANE_TRANSFER_NOT_FOUND', `no push sink ${call.sinkId}`);
  const claims = verifyTransferToken(call.token, { kind: 'sink', crypto: deps.crypto, keys: deps.kms.verificationKeys(), clock: deps.clock, issuerDid: deps.self.did, transferId: call.sinkId, callerDid: call.callerDid });
  return claims.ok ? ok(sink) : claims;
}

/** A call that may bring data: the sink's token checked, the sink still taking data, our transfer STARTED. */
export async function authorizeInbound(deps: InboundDeps, call: InboundCall): Promise<Result<AuthorizedCall>> {
  const sink = await sinkOfCall(deps, call);
  if (!sink.ok) return sink;
  if (sink.value.status === 'received') return fail('SOV_DATAPLANE_TOKEN_REPLAYED', `push sink ${call.sinkId} has received its data: its token is spent`);
  const transfer = sink.value.transferId === undefined ? undefined : await deps.transfers.get(sink.value.transferId);
  if (sink.value.status === 'closed' || transfer?.state !== 'STARTED' || transfer.providerPid === undefined) {
    const state = sink.value.status === 'closed' ? 'closed' : (transfer?.state ?? 'not yet requested');
    return fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `the transfer of push sink ${call.sinkId} is ${state}`, { state });
  }
  return ok({ sink: sink.value, transfer: transfer as AuthorizedCall['transfer'] });
}

/**
 * Our push transfer ended without its data (terminated by either side, or refused here): the
 * sink takes nothing more and what arrived is deleted. A sink that received its data stays as
 * it is. Runs in the sink's turn (consumer-inbound.ts), never beside a call into it.
 */
export async function closeSink(deps: InboundDeps, transferId: string): Promise<void> {
  const sink = await deps.sinks.findByTransfer(transferId);
  if (sink === undefined || sink.status === 'received' || sink.status === 'closed') return;
  await deps.store.delete(transferId);
  await deps.sinks.save({ ...sink, status: 'closed', updatedAt: isoTime(deps.clock) });
}

/**
 * Saves `change` of sink `sinkId` over its row as it is now, only while its status is one of
 * `from`: a call never writes back a status it read before (a close meanwhile stays closed).
 */
export async function updateSink(deps: InboundDeps, sinkId: string, from: ReadonlyArray<InboundSink['status']>, change: (sink: InboundSink) => InboundSink): Promise<boolean> {
  const current = await deps.sinks.get(sinkId);
  if (current === undefined || !from.includes(current.status)) return false;
  await deps.sinks.save({ ...change(current), updatedAt: isoTime(deps.clock) });
  return true;
}

/**
 * The data of our transfer is kept (dataset recorded after our receipt reached the provider):
 * the sink is spent and the transfer completes — dsp.md §4 TransferCompletionMessage, only
 * after the digest and signature check and our receipt.
 */
export async function settleReceived(deps: InboundDeps, sinkId: string, transferId: string): Promise<Result<unknown>> {
  await updateSink(deps, sinkId, ['open', 'stored'], (sink) => ({ ...sink, status: 'received' }));
  return deps.transfers.complete(transferId);
}

/** Starts a DSP transfer (the consumer's `requestTransfer`). */
export type StartTransfer = (input: { agreementId: string; format: string; dataAddress?: DataAddress }) => Promise<Result<TransferProcess>>;

/**
 * Requests a transfer; for a push format without a sink named, opens one of ours for the
 * agreement's provider, sends its DataAddress with the request, and binds the sink to the new
 * transfer (or removes it if the request is refused). `providerOf` names the provider of an
 * agreement we hold; an unknown agreement goes to `start` as it is, which refuses it.
 */
export async function requestTransfer(
  deps: InboundDeps,
  start: StartTransfer,
  providerOf: (agreementId: string) => Promise<string | undefined>,
  input: Parameters<StartTransfer>[0],
): Promise<Result<TransferProcess>> {
  const providerDid = isPushFormat(input.format) && input.dataAddress === undefined ? await providerOf(input.agreementId) : undefined;
  if (providerDid === undefined) return start(input);
  const { sink, dataAddress } = await openSink(deps, { agreementId: input.agreementId, providerDid });
  const started = await start({ ...input, dataAddress });
  if (!started.ok) {
    await deps.sinks.delete(sink.sinkId);
    return started;
  }
  await bindSink(deps, sink, started.value.id);
  return started;
}
