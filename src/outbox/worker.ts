/**
 * The outbox worker (conventions §5, issue 6 "Persistence"): leases due entries, delivers each,
 * and settles it — delivered, rescheduled with back-off, or given up. Delivery is at least once
 * (a worker that dies holding a lease loses it when the lease ends, and the entry is sent
 * again); receivers are idempotent, so a repeat is harmless. Settling is guarded by the lease
 * token, so two workers never both mark one lease.
 */
import type { Clock } from '../clock/index.js';
import type { OutboxEntry } from '../dsp/index.js';
import { fail, type Failure } from '../errors/index.js';
import { defaultRetryPolicy, retryDelay, type RetryPolicy } from './backoff.js';
import type { DeliverEntry, GiveUp, LeasedEntry, OutboxStore } from './ports.js';

export interface OutboxWorkerOptions {
  store: OutboxStore;
  deliver: DeliverEntry;
  onGiveUp: GiveUp;
  clock: Clock;
  /** [0, 1) for back-off jitter; default Math.random. */
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  /** How long a lease lasts (ms): longer than any delivery takes. Default 60 s. */
  leaseMs?: number;
  /** Entries leased (and delivered concurrently) per round. Default 64. */
  batchSize?: number;
  /** Names this worker in lease tokens (e.g. process id); default a random id. */
  workerId?: string;
  /** A failure not worth retrying (e.g. a 4xx the peer will always answer); default none. */
  isPermanent?: (failure: Failure) => boolean;
  /** `start()` polls this often (ms). Default 500. */
  pollIntervalMs?: number;
  /** Unexpected errors of a background round (store down, a throwing hook); default console.error. */
  onError?: (error: unknown) => void;
}

export interface DrainReport {
  delivered: number;
  retried: number;
  gaveUp: number;
  /** Settlements refused because the lease had passed to another worker. */
  lostLeases: number;
}

export interface OutboxWorker {
  /** Leases and settles one batch of due entries. */
  runOnce(): Promise<DrainReport>;
  /** Repeats `runOnce` until nothing is due at the clock's current time (tests, shutdown). */
  drain(): Promise<DrainReport>;
  /** Polls every `pollIntervalMs` until `stop()`. */
  start(): void;
  /**
   * Drains now rather than at the next poll (call it when a commit has queued an entry, so a
   * message leaves at once); during a round, another round follows it. A no-op unless started.
   */
  wake(): void;
  /** Stops polling and waits for the round in progress. */
  stop(): Promise<void>;
}

type Settlement = keyof DrainReport;

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { store, clock } = options;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const random = options.random ?? Math.random;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 64;
  const workerId = options.workerId ?? Math.random().toString(36).slice(2, 10);
  const isPermanent = options.isPermanent ?? (() => false);
  let leases = 0;

  async function giveUp(leased: LeasedEntry, failure: Failure): Promise<Settlement> {
    const now = clock.now();
    try {
      // Before marking: a crash in between leaves the entry pending, so the hook runs again
      // (at least once); the protocol's abandonDelivery is a no-op the second time.
      await options.onGiveUp(leased.entry, failure);
    } catch (error) {
      const lastError = `giving up failed: ${describe(error)}`;
      const retried = await store.reschedule(leased.entry.id, leased.leaseToken, { nextAttemptAt: now + retryDelay(policy, leased.attempts, random), lastError, now });
      return retried ? 'retried' : 'lostLeases';
    }
    return (await store.markFailed(leased.entry.id, leased.leaseToken, { lastError: `${failure.code}: ${failure.detail}`, now })) ? 'gaveUp' : 'lostLeases';
  }

  async function settle(leased: LeasedEntry): Promise<Settlement> {
    const { entry, attempts, leaseToken } = leased;
    if (attempts > policy.maxAttempts) return giveUp(leased, exhausted(entry, attempts - 1, 'the previous attempt did not finish'));
    const { failure, settled } = await attempt(options.deliver, entry);
    const now = clock.now();
    if (failure === undefined) return settled || (await store.markDelivered(entry.id, leaseToken, now)) ? 'delivered' : 'lostLeases';
    if (isPermanent(failure)) return giveUp(leased, failure);
    if (attempts >= policy.maxAttempts) return giveUp(leased, exhausted(entry, attempts, `${failure.code}: ${failure.detail}`));
    const retry = { nextAttemptAt: now + retryDelay(policy, attempts, random), lastError: `${failure.code}: ${failure.detail}`, now };
    return (await store.reschedule(entry.id, leaseToken, retry)) ? 'retried' : 'lostLeases';
  }

  async function runOnce(): Promise<DrainReport> {
    const now = clock.now();
    leases += 1;
    const batch = await store.lease({ now, leaseUntil: now + leaseMs, leaseToken: `${workerId}/${leases}`, limit: batchSize });
    const report: DrainReport = { delivered: 0, retried: 0, gaveUp: 0, lostLeases: 0 };
    for (const outcome of await Promise.all(batch.map(settle))) report[outcome] += 1;
    return report;
  }

  async function drain(): Promise<DrainReport> {
    const total: DrainReport = { delivered: 0, retried: 0, gaveUp: 0, lostLeases: 0 };
    for (;;) {
      const round = await runOnce();
      const settled = round.delivered + round.retried + round.gaveUp + round.lostLeases;
      for (const key of Object.keys(total) as Settlement[]) total[key] += round[key];
      if (settled === 0) return total;
    }
  }

  return { runOnce, drain, ...poller(drain, options) };
}

/**
 * The timer loop of `start()/stop()`: one drain at a time, re-armed after each — at once when
 * woken meanwhile (an entry committed after the round's last lease would otherwise wait for
 * the next poll), else after `pollIntervalMs`.
 */
function poller(drain: () => Promise<DrainReport>, options: OutboxWorkerOptions): Pick<OutboxWorker, 'start' | 'stop' | 'wake'> {
  const interval = options.pollIntervalMs ?? 500;
  const onError = options.onError ?? ((error: unknown) => console.error('outbox worker round failed', error));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;
  let draining = false;
  let woken = false;
  const arm = (delay: number): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(tick, delay);
  };
  const tick = (): void => {
    timer = undefined;
    draining = true;
    woken = false;
    running = drain()
      .catch(onError)
      .finally(() => {
        draining = false;
        if (!stopped) arm(woken ? 0 : interval);
      });
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      arm(0);
    },
    wake() {
      if (stopped) return;
      if (draining) woken = true;
      else arm(0);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Runs `deliver`, turning a thrown error (a bug or a transport crash) into a retryable failure;
 * `settled` when the delivery's own commit already marked the entry delivered.
 */
async function attempt(deliver: DeliverEntry, entry: OutboxEntry): Promise<{ failure?: Failure; settled: boolean }> {
  try {
    const result = await deliver(entry);
    return result.ok ? { settled: result.value?.settled === true } : { failure: result, settled: false };
  } catch (error) {
    return { failure: fail('SOV_OUTBOX_DELIVERY_FAILED', `delivering ${entry.message} to ${entry.url} threw: ${describe(error)}`, { outboxId: entry.id }), settled: false };
  }
}

function exhausted(entry: OutboxEntry, attempts: number, last: string): Failure {
  return fail('SOV_OUTBOX_GAVE_UP', `${entry.message} to ${entry.url} not delivered after ${attempts} attempts; last: ${last}`, {
    outboxId: entry.id,
    attempts,
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
