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
 * - consumer: when a push transfer of ours ends TERMINATED, its sink closes and what arrived is deleted.
 */
import { fail, type Failure, type Result } from '../errors/index.js';
import { isPushDeferred } from '../dataplane/index.js';
import type { Logger } from '../http/index.js';
import { isPushFormat, type TransferProcess } from '../transfer/index.js';
import type { ConnectorDsp } from './dsp-commands.js';

export interface DataPlanePushesOptions {
  transfers: Pick<ConnectorDsp['transfers'], 'get' | 'list' | 'terminate'>;
  /** The provider data plane's push (`ProviderDataPlane.push`). */
  push(transferId: string): Promise<Result<unknown>>;
  /** The consumer data plane's `closeSink`. */
  closeSink(transferId: string): Promise<void>;
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
  /** Every committed transfer change: queues a STARTED push of ours, closes the sink of a terminated one we receive. */
  notice(record: TransferProcess): void;
  /** Queues every STARTED push of ours; returns how many. */
  resumeInterrupted(): Promise<number>;
  /** Takes no new pushes and waits for the running ones. */
  stop(): Promise<void>;
  /** Resolves once nothing is queued, waiting or running (tests, shutdown). */
  idle(): Promise<void>;
}

const isOurPush = (record: TransferProcess) => record.role === 'provider' && record.state === 'STARTED' && isPushFormat(record.format);

export function createDataPlanePushes(options: DataPlanePushesOptions): DataPlanePushes {
  const limit = Math.max(1, options.concurrency ?? 2);
  const automatic = options.automatic ?? true;
  const queue: Array<{ id: string; tries: number }> = [];
  const busy = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let running = 0;
  let stopping = false;
  let idleWaiters: Array<() => void> = [];
  const inFlight = new Set<Promise<void>>();

  const settleIdle = () => {
    if (queue.length > 0 || busy.size > 0) return;
    idleWaiters.forEach((resolve) => resolve());
    idleWaiters = [];
  };
  const enqueue = (id: string, tries = 0) => {
    if (stopping || busy.has(id)) return;
    busy.add(id);
    queue.push({ id, tries });
    setImmediate(pump);
  };
  const later = (id: string, tries: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      busy.delete(id);
      enqueue(id, tries);
      settleIdle();
    }, options.retryDelayMs ?? 2_000);
    timers.add(timer);
  };
  function pump(): void {
    while (!stopping && running < limit && queue.length > 0) {
      const { id, tries } = queue.shift() as { id: string; tries: number };
      running += 1;
      const run = runPush(options, id, tries).then((again) => {
        running -= 1;
        if (again && !stopping) later(id, tries + 1);
        else busy.delete(id);
        pump();
        settleIdle();
      });
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }
  }

  return {
    notice(record) {
      if (isOurPush(record)) {
        if (automatic) enqueue(record.id);
      }
      else if (record.role === 'consumer' && record.state === 'TERMINATED' && isPushFormat(record.format)) void options.closeSink(record.id);
    },
    async resumeInterrupted() {
      if (!automatic) return 0;
      const started = await startedPushes(options);
      started.forEach((transfer) => enqueue(transfer.id));
      return started.length;
    },
    async stop() {
      stopping = true;
      queue.length = 0;
      timers.forEach(clearTimeout);
      timers.clear();
      await Promise.allSettled([...inFlight]);
      busy.clear();
      settleIdle();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
  };
}

async function startedPushes(options: DataPlanePushesOptions): Promise<TransferProcess[]> {
  const found: TransferProcess[] = [];
  let cursor: string | undefined;
  do {
    const page = await options.transfers.list({ state: 'STARTED', limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    if (!page.ok) throw new Error(`listing STARTED transfers failed: ${page.detail}`);
    found.push(...page.value.items.filter(isOurPush));
    cursor = page.value.nextCursor;
  } while (cursor !== undefined);
  return found;
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
