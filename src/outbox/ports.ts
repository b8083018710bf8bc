/**
 * What the outbox worker needs (conventions §2, §5): a store of persisted outbox entries it can
 * lease, and the two effects the composition root supplies — delivering one entry (the DSP HTTP
 * client plus the protocol's `confirmDelivery`, which may settle the entry in its own commit)
 * and giving up on one (the protocol's
 * `abandonDelivery`, which terminates the process).
 */
import type { OutboxEntry } from '../dsp/index.js';
import type { Failure, Result } from '../errors/index.js';

/** One entry held by a lease: only the holder of `leaseToken` may settle it. */
export interface LeasedEntry {
  entry: OutboxEntry;
  /** Delivery attempts including this one (the lease counts it, so a crash mid-delivery counts too). */
  attempts: number;
  leaseToken: string;
}

export interface LeaseRequest {
  /** Epoch ms: entries with `next_attempt_at <= now` whose lease (if any) ended by now are due. */
  now: number;
  /** Epoch ms the lease ends at; after it another worker may take the entry again. */
  leaseUntil: number;
  leaseToken: string;
  limit: number;
}

/**
 * Persistence of outbox entries (the SQL adapter is in src/store/repositories). Each settling
 * call succeeds only while `leaseToken` still holds the entry and returns whether it did, so two
 * workers can never both settle one lease.
 */
export interface OutboxStore {
  /**
   * Leases up to `limit` due entries, oldest first, at most one per process (an entry waits
   * until every earlier pending entry of the same process is settled: messages of one process
   * go out in order). Leasing increments `attempts`.
   */
  lease(request: LeaseRequest): Promise<LeasedEntry[]>;
  markDelivered(id: string, leaseToken: string, now: number): Promise<boolean>;
  reschedule(id: string, leaseToken: string, retry: { nextAttemptAt: number; lastError: string; now: number }): Promise<boolean>;
  markFailed(id: string, leaseToken: string, failure: { lastError: string; now: number }): Promise<boolean>;
}

/**
 * Sends one entry; a Failure is retried with back-off unless `isPermanent` says otherwise.
 * `{ settled: true }`: the commit that recorded the acknowledgement already marked the entry
 * delivered (same transaction), so the worker writes nothing more; otherwise it marks it.
 */
export type DeliverEntry = (entry: OutboxEntry) => Promise<Result<{ settled: boolean } | void>>;

/** Called once retries are exhausted or a failure is permanent, before the entry is marked failed. */
export type GiveUp = (entry: OutboxEntry, failure: Failure) => Promise<void>;
