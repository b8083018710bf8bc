/**
 * Push transfers run by the connector itself (issue 7 "Push"), both sides:
 * - provider: when a push transfer of ours reaches STARTED — the consumer acknowledged our
 *   start message, so its sink takes bytes — the push is queued, never run inside the handler
 *   that committed the change, and runs in the background, at most `concurrency` at a time.
 *   A push the consumer refuses for good (token, integrity, key) terminates the transfer with
 *   that code and detail, unless the consumer already did; one that keeps breaking off, or
 *   finds the consumer not ready, is tried again after `retryDelayMs` (up to `retries` times),
 *   then left STARTED for the next start, where `resumeInterrupted` queues it again and the
 *   consumer's sink tells how much it already holds.
 * - consumer: when a push transfer of ours ends TERMINATED, its sink closes and what arrived is
 *   deleted. What a stop left half done on our sinks is put right (`recoverSink`: a sink the
 *   stop left unbound is bound, a transfer whose data was kept completes) at start for the push
 *   transfers we receive that are under way, and whenever one is acknowledged (REQUESTED) or
 *   STARTED — a request not yet acknowledged at the stop has no state to find it by at start.
 * Nothing here ends the process: a failing push or close is logged, and its slot freed.
 */
import { fail, type Failure, type Result } from '../errors/index.js';
import { isPushDeferred } from '../dataplane/index.js';
import type { Logger } from '../http/index.js';
import { isPushFormat, type TransferProcess } from '../transfer/index.js';
import { createBackgroundRuns } from './background-runs.js';
import type { ConnectorDsp } from './dsp-commands.js';
import { transfersIn } from './transfers-in-state.js';

export interface DataPlanePushesOptions {
  transfers: Pick<ConnectorDsp['transfers'], 'get' | 'list' | 'terminate'>;
  /** The provider data plane's push (`ProviderDataPlane.push`). */
  push(transferId: string): Promise<Result<unknown>>;
  /** The consumer data plane's `closeSink`. */
  closeSink(transferId: string): Promise<void>;
  /** The consumer data plane's `recoverSink`, run at start for each push transfer of ours under way. */
  recoverSink(transfer: TransferProcess): Promise<Result<unknown>>;
  logger: Logger;
  /** Pushes running at once (default 2). */
  concurrency?: number;
  /** Push transfers as they start (default true); tests may push by hand (`ProviderDataPlane.push`). */
  automatic?: boolean;
  /** Tries again after a deferred push (default 3 times, 2 s apart). */
  retries?: number;
  retryDelayMs?: number;
}

export interface DataPlanePushes {
  /** Every committed transfer change: queues a STARTED push of ours; recovers or closes the sink of one we receive. */
  notice(record: TransferProcess): void;
  /** Recovers the sinks of our push transfers under way, then queues every STARTED push of ours; returns how many pushes. */
  resumeInterrupted(): Promise<number>;
  /** Takes no new pushes and waits for the running ones. */
  stop(): Promise<void>;
  /** Resolves once nothing is queued, waiting or running (tests, shutdown). */
  idle(): Promise<void>;
}

const isOurPush = (record: TransferProcess) => record.role === 'provider' && record.state === 'STARTED' && isPushFormat(record.format);
const isPushWeReceive = (record: TransferProcess) => record.role === 'consumer' && isPushFormat(record.format);

export function createDataPlanePushes(options: DataPlanePushesOptions): DataPlanePushes {
  const automatic = options.automatic ?? true;
  const runs = createBackgroundRuns({
    concurrency: options.concurrency ?? 2,
    run: (id, tries) => runPush(options, id, tries),
    retry: { wanted: (again) => again, delayMs: options.retryDelayMs ?? 2_000 },
    // An unexpected error (a store failing) leaves the push for the next start.
    onError: (id, error) => options.logger.error({ transfer: id, err: error }, 'push failed unexpectedly: it resumes at the next start'),
  });

  return {
    notice(record) {
      if (isOurPush(record)) {
        if (automatic) runs.enqueue(record.id);
      } else if (isPushWeReceive(record) && record.state === 'TERMINATED') {
        options.closeSink(record.id).catch((error: unknown) => options.logger.error({ transfer: record.id, err: error }, 'closing the sink of a terminated push failed: what arrived is kept until it is closed'));
      } else if (isPushWeReceive(record) && (record.state === 'REQUESTED' || record.state === 'STARTED')) {
        void recover(options, record);
      }
    },
    async resumeInterrupted() {
      await recoverSinks(options);
      if (!automatic) return 0;
      const started = await transfersIn(options.transfers, ['STARTED'], isOurPush);
      started.forEach((transfer) => runs.enqueue(transfer.id));
      return started.length;
    },
    stop: () => runs.stop(),
    idle: () => runs.idle(),
  };
}

/** The sinks of push transfers we receive that are still under way: what a stop left half done is put right. */
async function recoverSinks(options: DataPlanePushesOptions): Promise<void> {
  for (const transfer of await transfersIn(options.transfers, ['REQUESTED', 'STARTED', 'SUSPENDED'], isPushWeReceive)) await recover(options, transfer);
}

async function recover(options: DataPlanePushesOptions, transfer: TransferProcess): Promise<void> {
  const recovered = await options.recoverSink(transfer).catch((error: unknown) => fail('SOV_INTERNAL', (error as Error).message));
  if (!recovered.ok) options.logger.error({ transfer: transfer.id, code: recovered.code, detail: recovered.detail }, 'recovering the sink of a push we receive failed: it is tried again at the next start');
}

/** One push to its end; answers whether to try again later. A refusal for good terminates the transfer. */
async function runPush(options: DataPlanePushesOptions, id: string, tries: number): Promise<boolean> {
  const pushed = await options.push(id).catch((error: unknown) => fail('SOV_INTERNAL', `the push failed: ${(error as Error).message}`));
  if (pushed.ok) return false;
  const now = await options.transfers.get(id);
  if (now?.state !== 'STARTED') return false;
  if (isPushDeferred(pushed)) {
    options.logger.warn({ transfer: id, code: pushed.code, detail: pushed.detail, tries }, 'push deferred: it is tried again, and resumes at the next start');
    return tries < (options.retries ?? 3);
  }
  await terminate(options, id, pushed);
  return false;
}

async function terminate(options: DataPlanePushesOptions, id: string, failure: Failure): Promise<void> {
  // dsp.md §4 TransferTerminationMessage: the consumer learns why, with our stable code.
  const terminated = await options.transfers.terminate(id, { code: failure.code, reason: [failure.detail] });
  if (!terminated.ok) options.logger.error({ transfer: id, code: terminated.code, detail: terminated.detail }, 'could not terminate a refused push');
}
