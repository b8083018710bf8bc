/**
 * Runs keyed by an id (a transfer's), queued by the connector and run in the background
 * (consumer pulls, provider pushes), with these guarantees:
 * - at most `concurrency` queued runs at once; a queued run begins after the current turn, so
 *   the handler that queued it answers first;
 * - an id is never queued or running twice: queuing it again while it is queued, running or
 *   waiting to retry is ignored, and `runNow` joins the run in flight;
 * - a run whose result asks for it (`retry.wanted`) is queued again after `retry.delayMs`, its
 *   id taken meanwhile;
 * - `stop` takes nothing new, drops the queue and the retries waiting, and resolves once the
 *   running ones settled.
 * A run should answer its failures as values; one that rejects (a bug, the store failing) frees
 * its id and slot and goes to `onError`, and a `runNow` caller sees the rejection as well: a
 * background run never takes the connector process down.
 */

export interface BackgroundRunsOptions<T> {
  /** Queued runs at once (at least 1). */
  concurrency: number;
  /** One run of `id`; `attempt` counts the runs of it before this one since it was queued (0, then 1 after a retry…). */
  run(id: string, attempt: number): Promise<T>;
  /** Runs to try again: those whose result is `wanted`, `delayMs` after they ended (default none). */
  retry?: { wanted(result: T): boolean; delayMs: number };
  /** A run that rejected (e.g. to log it). */
  onError(id: string, error: unknown): void;
}

export interface BackgroundRuns<T> {
  /** Queues `id` unless stopping, or it is already queued, running or waiting to retry. */
  enqueue(id: string): void;
  /** Runs `id` at once, beside the `concurrency` queued ones (taking it off the queue), or joins its run in flight; `undefined` once stopping. */
  runNow(id: string): Promise<T> | undefined;
  /** Whether `stop` was called. */
  readonly stopping: boolean;
  /** Takes nothing new, drops the queue and the retries waiting, and resolves once the running runs settled. */
  stop(): Promise<void>;
  /** Resolves once nothing is queued, running or waiting to retry. */
  idle(): Promise<void>;
}

export function createBackgroundRuns<T>(options: BackgroundRunsOptions<T>): BackgroundRuns<T> {
  const limit = Math.max(1, options.concurrency);
  const queue: Array<{ id: string; attempt: number }> = [];
  const runs = new Map<string, Promise<T>>();
  const waiting = new Map<string, NodeJS.Timeout>();
  let queuedRunning = 0;
  let stopping = false;
  let idleWaiters: Array<() => void> = [];

  const settleIdle = () => {
    if (queue.length > 0 || runs.size > 0 || waiting.size > 0) return;
    idleWaiters.forEach((resolve) => resolve());
    idleWaiters = [];
  };

  function enqueue(id: string, attempt: number): void {
    if (stopping || runs.has(id) || waiting.has(id) || queue.some((queued) => queued.id === id)) return;
    queue.push({ id, attempt });
    setImmediate(pump);
  }

  function retryLater(id: string, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      waiting.delete(id);
      enqueue(id, attempt);
      settleIdle();
    }, delayMs);
    waiting.set(id, timer);
  }

  function start(id: string, attempt: number, queued: boolean): Promise<T> {
    const promise = options.run(id, attempt);
    runs.set(id, promise);
    if (queued) queuedRunning += 1;
    const release = (result: { value: T } | undefined) => {
      runs.delete(id);
      if (queued) queuedRunning -= 1;
      const retry = options.retry;
      if (retry !== undefined && result !== undefined && retry.wanted(result.value) && !stopping) retryLater(id, attempt + 1, retry.delayMs);
      pump();
      settleIdle();
    };
    void promise.then(
      (value) => release({ value }),
      (error: unknown) => {
        release(undefined);
        options.onError(id, error);
      },
    );
    return promise;
  }

  function pump(): void {
    while (!stopping && queuedRunning < limit && queue.length > 0) {
      const { id, attempt } = queue.shift() as { id: string; attempt: number };
      start(id, attempt, true);
    }
  }

  return {
    enqueue: (id) => enqueue(id, 0),
    runNow(id) {
      if (stopping) return undefined;
      const queued = queue.findIndex((entry) => entry.id === id);
      if (queued >= 0) queue.splice(queued, 1);
      return runs.get(id) ?? start(id, 0, false);
    },
    get stopping() {
      return stopping;
    },
    async stop() {
      stopping = true;
      queue.length = 0;
      waiting.forEach(clearTimeout);
      waiting.clear();
      await Promise.allSettled([...runs.values()]);
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
