/**
 * Durable commits without blocking the event loop (`synchronous: 'full'`). SQLite's own
 * `synchronous=FULL` fsyncs the WAL inside COMMIT, and libsql's API is synchronous: every
 * connector request, both sides of every protocol, would wait for the disk. Instead the writer
 * runs with `synchronous=NORMAL` — in WAL mode exactly FULL minus the WAL fsync after each
 * commit (checkpoints and WAL restarts are still synced by SQLite:
 * https://sqlite.org/pragma.html#pragma_synchronous) — and this tracker performs that fsync
 * (fdatasync of the `-wal` file, which flushes every frame written to it, through any
 * descriptor) on libuv's thread pool, while the event loop goes on with the next group.
 *
 * What keeps it as safe as FULL: nothing that depends on a commit is released before the
 * fdatasync that covers it has returned — the writes of the group (group-commit.ts settles
 * them after `commit()` resolves) and any read outside a transaction that may have seen it
 * (`settled()`), since our reader connection sees a commit as soon as COMMIT returns. Flushes
 * run one at a time, each covering every commit made before it started. A failed flush fails
 * every waiting and every later commit (after a failed fsync the kernel may have dropped the
 * pages: retrying could report data durable that is not).
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Flushes the WAL file to stable storage. */
export type FlushWal = () => Promise<void>;

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WalSync {
  private committed = 0;
  private flushed = 0;
  private failure: { error: unknown } | undefined;
  private flushing: Promise<void> | undefined;
  private waiters: Waiter[] = [];

  constructor(private readonly flush: FlushWal) {}

  /** Call right after a COMMIT returned: resolves once that commit is on stable storage. */
  commit(): Promise<void> {
    this.committed += 1;
    return this.durable(this.committed);
  }

  /** Resolves once every commit made so far is on stable storage (for reads that saw them). */
  settled(): Promise<void> {
    return this.durable(this.committed);
  }

  /** Waits for the flush in progress and any it leaves owed. */
  async idle(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
  }

  private durable(seq: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure.error);
    if (this.flushed >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.startFlush();
    });
  }

  private startFlush(): void {
    if (this.flushing !== undefined || this.waiters.length === 0) return;
    const target = this.committed;
    this.flushing = this.flushTo(target).finally(() => {
      this.flushing = undefined;
      this.startFlush();
    });
  }

  private async flushTo(target: number): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.failure = { error };
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
      return;
    }
    this.flushed = target;
    const [due, later] = partition(this.waiters, (waiter) => waiter.seq <= target);
    this.waiters = later;
    for (const waiter of due) waiter.resolve();
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

/** fdatasync of `walPath`, opened on first use (SQLite creates it with the first write). */
export function walFileFlusher(walPath: string): { flush: FlushWal; close(): Promise<void> } {
  let handle: Promise<FileHandle> | undefined;
  return {
    async flush() {
      handle ??= open(walPath, 'r');
      await (await handle).datasync();
    },
    async close() {
      if (handle !== undefined) await (await handle).close();
    },
  };
}
