/**
 * What a stop can leave half done on the consumer's side of a push, put right afterwards
 * (conventions §5: a crash between steps loses nothing). The connector runs this at start for
 * our push transfers under way, and whenever one is acknowledged or starts (a request the stop
 * caught before its acknowledgement has no state yet to be found by at start):
 * - the transfer request was committed but its sink not yet bound to it (`requestTransfer`
 *   binds it in a second write, since the DSP commits the request with an id of its own): the
 *   provider's pushes would be deferred for ever, so the sink our request named is bound now;
 * - the data was kept (dataset recorded after our receipt reached the provider) but the sink
 *   not yet marked received or the transfer not yet completed: both are done now, so neither
 *   side stays STARTED.
 */
import { ok, type Result } from '../../errors/index.js';
import type { TransferProcess } from '../../transfer/index.js';
import type { InboundDeps } from './consumer-deps.js';
import { bindSink, settleReceived } from './consumer-sink.js';
import { sinkIdOf } from './data-address.js';

/** The sink of our push transfer `transfer`, by the endpoint our request named. */
export function sinkIdOfTransfer(deps: InboundDeps, transfer: TransferProcess): string | undefined {
  return transfer.role === 'consumer' ? sinkIdOf(deps.self.dataPlaneBase, transfer.dataAddress?.endpoint) : undefined;
}

/** Recovers sink `sinkId` of our push transfer `transfer` (run in the sink's turn); a failure is the completion's. */
export async function recoverSink(deps: InboundDeps, transfer: TransferProcess, sinkId: string): Promise<Result<unknown>> {
  const sink = await deps.sinks.get(sinkId);
  // Only the sink opened for this request: same agreement and provider, unbound or bound to it.
  if (sink === undefined || sink.agreementId !== transfer.agreementId || sink.providerDid !== transfer.counterpartyDid) return ok(undefined);
  if (sink.transferId === undefined) await bindSink(deps, sink, transfer.id);
  else if (sink.transferId !== transfer.id) return ok(undefined);
  if (transfer.state !== 'STARTED' || transfer.providerPid === undefined || sink.status === 'closed') return ok(undefined);
  const kept = await deps.datasets.findReceived(transfer.providerPid);
  return kept === undefined ? ok(undefined) : settleReceived(deps, sinkId, transfer.id);
}
