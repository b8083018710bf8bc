/**
 * Consumer pulls run by the connector itself (issue 7 "Transfers"): when a transfer we
 * requested reaches STARTED with a pull DataAddress of our data plane (dsp.md §4, the
 * provider's TransferStartMessage), the pull is queued — never run inside the handler that
 * acknowledges the message — and runs in the background, at most `concurrency` at a time:
 * verified while stored, resumed from the last verified chunk, the key imported (handover),
 * the signed receipt given, then the DSP completion sent. A refusal (integrity, token, key)
 * terminates the transfer with its code and detail (TransferTerminationMessage, audited as the
 * `transfer.state` change). A broken connection or a stopping connector leaves the transfer
 * STARTED with the verified bytes kept, and `resumeInterrupted` (run at every start) queues
 * each STARTED pull of ours without a received dataset, so a crash mid-pull loses nothing.
 * An admin's retry or an in-process `receive` joins the pull in flight instead of racing it.
 */
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import type { DatasetRecord, DatasetRepository, PullProgress } from '../dataplane/index.js';
import { readPullAddress } from '../dataplane/index.js';
import type { Logger } from '../http/index.js';
import type { TransferProcess } from '../transfer/index.js';
import { createBackgroundRuns } from './background-runs.js';
import type { ConnectorDsp } from './dsp-commands.js';
import { transfersIn } from './transfers-in-state.js';

export interface ConsumerPullsOptions {
  transfers: Pick<ConnectorDsp['transfers'], 'get' | 'list' | 'complete' | 'terminate'>;
  /** The data plane's verified pull (`ConnectorDataPlane.pull`) and its dataset records. */
  pull(transfer: TransferProcess, onProgress: (progress: PullProgress) => void): Promise<Result<DatasetRecord>>;
  datasets: Pick<DatasetRepository, 'findReceived'>;
  logger: Logger;
  /** Pulls running at once in the background (default 2); an explicit `receive` runs at once. */
  concurrency?: number;
  /** Queue pulls as transfers start (default true); `receive` works either way. */
  automatic?: boolean;
}

export interface ConsumerPulls {
  /** Every committed transfer change: queues the pull when a consumer pull transfer is STARTED. */
  notice(record: TransferProcess): void;
  /** Pulls transfer `id` now (or joins the pull in flight) and completes it; a received one answers its dataset. */
  receive(id: string, onProgress?: (progress: PullProgress) => void): Promise<Result<DatasetRecord>>;
  /** Queues every STARTED consumer pull of ours (interrupted, or received but not yet completed); returns how many. */
  resumeInterrupted(): Promise<number>;
  /** Takes no new pulls and waits for the running ones (abort their connections first). */
  stop(): Promise<void>;
  /** Resolves once nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
}

/** Failures that say nothing about the data: the pull is retried later, the transfer stays STARTED. */
const TRANSIENT = new Set<string>([
  'SOV_DATAPLANE_PULL_INTERRUPTED', 'SOV_UPSTREAM_UNAVAILABLE', 'SOV_DATAPLANE_STORE_IO', 'SOV_TRANSFER_CONFLICT', 'SOV_DATAPLANE_TRANSFER_NOT_ACTIVE',
  // A push transfer asked to `receive` before its data arrived: the provider is still sending.
  'SOV_DATAPLANE_PUSH_AWAITED',
]);

/** A consumer transfer whose data address is one our data plane pulls from. */
export function isOurPull(record: TransferProcess): boolean {
  return record.role === 'consumer' && record.state === 'STARTED' && record.providerPid !== undefined && readPullAddress(record.dataAddress).ok;
}

type ProgressListener = (progress: PullProgress) => void;

export function createConsumerPulls(options: ConsumerPullsOptions): ConsumerPulls {
  const automatic = options.automatic ?? true;
  // Who follows each pull in flight: `receive` may join one with its own listener.
  const listeners = new Map<string, Set<ProgressListener>>();
  const runs = createBackgroundRuns({
    concurrency: options.concurrency ?? 2,
    run(id) {
      const following = new Set<ProgressListener>();
      listeners.set(id, following);
      const pulled = runPull(options, id, (progress) => following.forEach((listener) => listener(progress)), () => runs.stopping);
      const forget = () => listeners.delete(id);
      void pulled.then(forget, forget);
      return pulled;
    },
    onError: (id, error) => options.logger.error({ transfer: id, err: error }, 'pull failed unexpectedly: it resumes on the next start or an admin retry'),
  });

  return {
    notice(record) {
      if (automatic && isOurPull(record)) runs.enqueue(record.id);
    },
    receive(id, onProgress) {
      const pulled = runs.runNow(id);
      if (pulled === undefined) return Promise.resolve(fail('SOV_DATAPLANE_PULL_INTERRUPTED', 'the connector is stopping'));
      if (onProgress !== undefined) listeners.get(id)?.add(onProgress);
      return pulled;
    },
    async resumeInterrupted() {
      if (!automatic) return 0;
      // A dataset already held (stopped before the completion went out) is only completed.
      const started = await transfersIn(options.transfers, ['STARTED'], isOurPull);
      started.forEach((transfer) => runs.enqueue(transfer.id));
      return started.length;
    },
    stop: () => runs.stop(),
    idle: () => runs.idle(),
  };
}

/** One pull to its end: the dataset (pulled now or before), then the completion; a refusal terminates. */
async function runPull(options: ConsumerPullsOptions, id: string, onProgress: (progress: PullProgress) => void, stopping: () => boolean): Promise<Result<DatasetRecord>> {
  const transfer = await options.transfers.get(id);
  if (transfer === undefined) return fail('SOV_TRANSFER_NOT_FOUND', `no transfer process ${id}`);
  const held = transfer.providerPid === undefined ? undefined : await options.datasets.findReceived(transfer.providerPid);
  const received = held !== undefined ? ok(held) : await options.pull(transfer, onProgress);
  if (!received.ok) return refused(options, transfer, received, stopping());
  if (transfer.state !== 'STARTED') return received;
  const completed = await options.transfers.complete(id);
  return completed.ok ? received : completed;
}

async function refused(options: ConsumerPullsOptions, transfer: TransferProcess, failure: Failure, stopping: boolean): Promise<Failure> {
  if (stopping || TRANSIENT.has(failure.code)) {
    options.logger.warn({ transfer: transfer.id, code: failure.code, detail: failure.detail }, 'pull deferred: it resumes on the next start or an admin retry');
    return failure;
  }
  const now = await options.transfers.get(transfer.id);
  if (now?.state !== 'STARTED') return failure;
  // dsp.md §4 TransferTerminationMessage: the provider learns why, with our stable code.
  const terminated = await options.transfers.terminate(transfer.id, { code: failure.code, reason: [failure.detail] });
  if (!terminated.ok) options.logger.error({ transfer: transfer.id, code: terminated.code, detail: terminated.detail }, 'could not terminate a refused pull');
  return failure;
}

/** Global fetch whose requests (and response bodies) also end when `signal` aborts. */
export function abortableFetch(signal: AbortSignal): (url: string, init: RequestInit) => Promise<Response> {
  return (url, init) => fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
