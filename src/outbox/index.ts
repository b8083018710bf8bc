/**
 * The persisted outbox (conventions §5, issue 6 "Persistence"): protocol handlers record the
 * messages to send in the same transaction as the state change (the repositories insert the
 * rows); this worker leases due rows, delivers each through an injected `deliver`, and marks it
 * delivered, reschedules it with exponential back-off and jitter, or — retries exhausted or a
 * permanent failure — calls `onGiveUp` and marks it failed. Leases expire, so entries held by a
 * crashed worker are delivered again (at least once; receivers are idempotent). The store is a
 * port (`OutboxStore`); its SQL adapter and migrations live in src/store/repositories.
 */
export type { OutboxStore, LeasedEntry, LeaseRequest, DeliverEntry, GiveUp } from './ports.js';
export { defaultRetryPolicy, retryDelay, type RetryPolicy } from './backoff.js';
export { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions, type DrainReport } from './worker.js';
