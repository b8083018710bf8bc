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
  /**
   * Delivers until nothing is due at the clock's current time, up to `batchSize` at once
   * (tests, shutdown, and each round of `start()`).
   */
  drain(): Promise<DrainReport>;
  /** Polls every `pollIntervalMs` until `stop()`. */
  start(): void;
  /**
   * Drains now rather than at the next poll (call it when a commit has queued an entry, so a
   * message leaves at once); during a round, another round follows it. A no-op unless started.
   */
  wake(): void;
  /** Stops polling and leasing, and waits for the deliveries in flight. */
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

  function leaseDue(limit: number): Promise<LeasedEntry[]> {
    const now = clock.now();
    leases += 1;
    return store.lease({ now, leaseUntil: now + leaseMs, leaseToken: `${workerId}/${leases}`, limit });
  }

  async function runOnce(): Promise<DrainReport> {
    const report = emptyReport();
    for (const outcome of await Promise.all((await leaseDue(batchSize)).map(settle))) report[outcome] += 1;
    return report;
  }

  /**
   * Keeps up to `batchSize` deliveries in flight until nothing is due: the slot a settled
   * delivery frees is leased again at once. Rounds that waited for their slowest delivery held
   * every later message back behind it, so two connectors negotiating moved in lockstep, each
   * idle while the other worked (dsp-processes.bench.ts: ~30% idle on the provider). A lease
   * follows each settled delivery (it may have queued the next message) and each wake.
   */
  async function drain(): Promise<DrainReport> {
    const signal = drains.open();
    try {
      return await slidingWindow(signal);
    } finally {
      drains.close(signal);
    }
  }

  async function slidingWindow(signal: DrainSignal): Promise<DrainReport> {
    const total = emptyReport();
    const inFlight = new Set<Promise<void>>();
    // The first failure of a lease or a settlement (the store failing): nothing more is leased,
    // the deliveries in flight settle, then it is thrown for the poller to report.
    let broken: { error: unknown } | undefined;
    const track = (leased: LeasedEntry): void => {
      const delivery: Promise<void> = settle(leased)
        .then(
          (outcome) => void (total[outcome] += 1),
          (error: unknown) => void (broken ??= { error }),
        )
        .finally(() => {
          inFlight.delete(delivery);
          signal.poke();
        });
      inFlight.add(delivery);
    };
    signal.due = true;
    for (;;) {
      const free = batchSize - inFlight.size;
      if (signal.due && free > 0 && !drains.stopping && broken === undefined) {
        signal.due = false;
        try {
          const batch = await leaseDue(free);
          // A full lease may have left more behind.
          if (batch.length === free) signal.due = true;
          batch.forEach(track);
        } catch (error) {
          broken ??= { error };
        }
        continue;
      }
      if (inFlight.size === 0 && (broken !== undefined || !signal.due || drains.stopping)) {
        if (broken !== undefined) throw broken.error;
        return total;
      }
      await signal.next();
    }
  }

  const drains = new Drains();
  return { runOnce, drain, ...poller(drain, drains, options) };
}

function emptyReport(): DrainReport {
  return { delivered: 0, retried: 0, gaveUp: 0, lostLeases: 0 };
}

/** What one running drain waits for: a delivery settling, a wake, or stopping. */
class DrainSignal {
  /** Something may be due that is not leased yet. */
  due = false;
  private waiter: (() => void) | undefined;

  /** Settles at the next `poke`. */
  next(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  poke(due = true): void {
    if (due) this.due = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/** The drains running now (the poller's, and any called directly), so a wake or a stop reaches each. */
class Drains {
  private readonly active = new Set<DrainSignal>();
  /** `stop()` is under way: no drain leases more; the deliveries in flight settle. */
  stopping = false;

  open(): DrainSignal {
    const signal = new DrainSignal();
    this.active.add(signal);
    return signal;
  }

  close(signal: DrainSignal): void {
    this.active.delete(signal);
  }

  poke(due = true): void {
    for (const signal of this.active) signal.poke(due);
  }
}

/**
 * The timer loop of `start()/stop()`: one drain at a time, re-armed after each — at once when
 * woken after the drain last leased, else after `pollIntervalMs`. A wake during a drain has it
 * lease again at once.
 */
function poller(drain: () => Promise<DrainReport>, drains: Drains, options: OutboxWorkerOptions): Pick<OutboxWorker, 'start' | 'stop' | 'wake'> {
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
      drains.poke();
      if (!draining) return arm(0);
      woken = true;
    },
    async stop() {
      stopped = true;
      drains.stopping = true;
      drains.poke(false);
      if (timer !== undefined) clearTimeout(timer);
      await running;
      // A drain called directly afterwards (tests, shutdown) leases again.
      drains.stopping = false;
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
