/**
 * Group commit for the SQLite adapter. SQLite has one writer per database file and, with
 * `synchronous=FULL`, one fsync per COMMIT: serialised one-transaction-per-commit writes cap a
 * connector at a few hundred commits a second and block the event loop for each fsync. Here
 * the writes queued at the same moment (the transactions and single statements of many
 * concurrent protocol messages) share one SQLite transaction and one COMMIT:
 *
 * - each member runs alone on the connection (callers still never interleave) inside a
 *   SAVEPOINT of its own: a member that throws is rolled back to its savepoint, alone, and its
 *   neighbours are unaffected — each member stays atomic;
 * - no member's promise settles before the shared COMMIT has returned and, with
 *   `synchronous: 'full'`, been flushed to disk (`afterCommit`, wal-sync.ts), so whatever a
 *   caller does next (e.g. acknowledging a DSP message, dsp.md §5) happens only after its
 *   change is durable; if the COMMIT or the flush fails, or SQLite rolls the whole transaction
 *   back (an I/O error, a full disk), every member fails;
 * - a group closes when no write is waiting after one more turn of the event loop (so writers
 *   that a just-arrived request is about to issue join it), at `maxGroup` members, or once it
 *   has been open `maxGroupMs`. The time bound matters under load: a busy event loop always
 *   has another writer waiting, so a group stayed open until the whole burst was through and
 *   released every answer at once. Two connectors then worked in turns, each idle while the
 *   other took the burst (dsp-processes.bench.ts: each ~30% idle); a short bound lets answers
 *   leave while the burst is still being worked, so both sides work at once.
 *
 * Work that must not join a group (reads of a `:memory:` database, which has no second
 * connection to read committed data from; closing) runs `exclusive`ly between groups.
 */

/** The part of a libsql connection the queue drives. */
export interface GroupConnection {
  exec(sql: string): void;
  readonly inTransaction: boolean;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Job {
  grouped: boolean;
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Member {
  job: Job;
  outcome: Outcome;
}

/** Members per group at most: bounds how long the first member waits for its COMMIT. */
export const DEFAULT_MAX_GROUP = 256;
/**
 * How long a group stays open at most (ms). Shorter bounds add commits (each writes its dirty
 * pages to the WAL on the event loop); longer ones hold answers back. DSP benches, alternating
 * runs: two connectors in two processes ran alike at 5, 15 and 50 ms (174-205/s, within this
 * machine's noise), one process holding both ran best at 50 ms (fewer commits; 115-166/s at 5).
 */
export const DEFAULT_MAX_GROUP_MS = 20;

export interface GroupCommitOptions {
  maxGroup?: number;
  maxGroupMs?: number;
  /**
   * Runs right after each COMMIT returns; the group's writes settle only when it resolves
   * (wal-sync.ts: the WAL fsync, off the event loop). Meanwhile the next group runs.
   */
  afterCommit?: () => Promise<void>;
  /** Milliseconds, for `maxGroupMs`; default performance.now. */
  now?: () => number;
}

const SAVEPOINT = 'sov_group_member';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function outcomeOf(work: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}

function settle({ job, outcome }: Member): void {
  if (outcome.ok) job.resolve(outcome.value);
  else job.reject(outcome.error);
}

export class GroupCommitQueue {
  private readonly jobs: Job[] = [];
  private draining = false;
  private readonly maxGroup: number;
  private readonly maxGroupMs: number;
  private readonly afterCommit: (() => Promise<void>) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly connection: GroupConnection,
    options: GroupCommitOptions = {},
  ) {
    this.maxGroup = options.maxGroup ?? DEFAULT_MAX_GROUP;
    this.maxGroupMs = options.maxGroupMs ?? DEFAULT_MAX_GROUP_MS;
    if (!Number.isSafeInteger(this.maxGroup) || this.maxGroup < 1) throw new RangeError(`maxGroup must be a positive integer, got ${this.maxGroup}`);
    if (!(this.maxGroupMs >= 0)) throw new RangeError(`maxGroupMs must be a number >= 0, got ${this.maxGroupMs}`);
    this.afterCommit = options.afterCommit;
    this.now = options.now ?? (() => performance.now());
  }

  /** Runs `work` as one atomic member of the next group; settles after that group's COMMIT. */
  write<T>(work: () => T | Promise<T>): Promise<T> {
    return this.enqueue(true, work);
  }

  /** Runs `work` alone, outside any transaction, after the writes queued before it. */
  exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    return this.enqueue(false, work);
  }

  private enqueue<T>(grouped: boolean, work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ grouped, work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let head = this.jobs[0]; head !== undefined; head = this.jobs[0]) {
        if (head.grouped) {
          // Let the writers of requests that arrived with this one queue up first.
          await nextTurn();
          await this.runGroup();
        } else {
          this.jobs.shift();
          settle({ job: head, outcome: await outcomeOf(head.work) });
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async runGroup(): Promise<void> {
    try {
      this.connection.exec('BEGIN IMMEDIATE');
    } catch (error) {
      // E.g. another process kept the write lock past busy_timeout: fail the oldest writer only.
      this.jobs.shift()?.reject(error);
      return;
    }
    const members: Member[] = [];
    try {
      await this.fill(members);
      this.connection.exec('COMMIT');
    } catch (error) {
      // A failed COMMIT can leave the transaction open; a lost one is already rolled back.
      if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
      failAll(members, error);
      return;
    }
    const durable = this.afterCommit?.();
    if (durable === undefined) members.forEach(settle);
    else void durable.then(() => members.forEach(settle), (error: unknown) => failAll(members, error));
  }

  /** Runs queued writes into the open transaction until none is waiting, the group is full or its time is up. */
  private async fill(members: Member[]): Promise<void> {
    const closeAt = this.now() + this.maxGroupMs;
    while (members.length < this.maxGroup && (members.length === 0 || this.now() < closeAt)) {
      if (this.jobs.length === 0) await nextTurn();
      const job = this.jobs[0];
      if (job === undefined || !job.grouped) return;
      this.jobs.shift();
      let outcome: Outcome;
      try {
        outcome = await this.runMember(job);
      } catch (error) {
        // The savepoint statements themselves failed: the whole group is rolled back.
        members.push({ job, outcome: { ok: false, error } });
        throw error;
      }
      members.push({ job, outcome });
      if (!this.connection.inTransaction) throw groupLost(outcome);
    }
  }

  private async runMember(job: Job): Promise<Outcome> {
    this.connection.exec(`SAVEPOINT ${SAVEPOINT}`);
    const outcome = await outcomeOf(job.work);
    // SQLite itself may have rolled back the whole transaction (fill() notices).
    if (!this.connection.inTransaction) return outcome;
    if (!outcome.ok) this.connection.exec(`ROLLBACK TO ${SAVEPOINT}`);
    this.connection.exec(`RELEASE ${SAVEPOINT}`);
    return outcome;
  }
}

/** Members that had succeeded get `error`; those that had failed keep their own error. */
function failAll(members: readonly Member[], error: unknown): void {
  for (const member of members) member.job.reject(member.outcome.ok ? error : member.outcome.error);
}

function groupLost(outcome: Outcome): Error {
  const cause = outcome.ok ? undefined : outcome.error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`SQLite rolled back a group commit after a failed write (${reason}); nothing in the group was stored`, { cause });
}
