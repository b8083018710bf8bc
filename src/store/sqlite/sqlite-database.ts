/**
 * SQLite adapter of the `Database` port on libsql's synchronous, better-sqlite3-compatible
 * API. Two connections per database file:
 *
 * - the writer runs every write — transactions, and statements other than SELECT — through a
 *   group-commit queue (group-commit.ts): writes queued together share one SQLite transaction
 *   (BEGIN IMMEDIATE … COMMIT) and one fsync, each in a savepoint of its own so it stays atomic,
 *   one at a time so callers never interleave, and none settles before the COMMIT returns;
 * - a reader (`PRAGMA query_only`) answers SELECTs issued outside a transaction from the last
 *   committed state: never from a group still open, and (with `full`) only once what it saw is
 *   on disk, so nobody reads (and, say, acknowledges) a change that could still be lost. A
 *   `:memory:` database has no second connection: its SELECTs run on the writer between groups.
 *
 * Pragmas: WAL (readers — ours, and other processes' such as `sovc audit verify` — do not
 * block the writer), `busy_timeout` (another process holding the write lock is waited for,
 * not an immediate SQLITE_BUSY), `foreign_keys=ON` (off by default in SQLite), and
 * `synchronous`:
 *
 * - `full` (the default, and what production uses): the WAL is fsynced after every COMMIT
 *   before any write of that group settles, so a change (a negotiation state, its audit entry,
 *   its outbox message) is on disk before anyone is told about it, power loss included. Audit
 *   entries and agreements are evidence, and the DSP acknowledges a state change to the
 *   counterparty (dsp.md §5): losing an acknowledged change would desynchronise the two sides.
 *   The cost is one fdatasync per group (2–8 ms on this machine), shared by the writes queued
 *   together and run off the event loop (wal-sync.ts; SQLite's own pragma then reads NORMAL,
 *   which in WAL mode is FULL without that per-commit fsync).
 * - `NORMAL`: WAL is still crash-safe for the process (a killed connector loses nothing
 *   committed), but the last commits before a power loss or OS crash may be lost while the
 *   counterparty holds our acknowledgement. For throw-away databases (tests) only.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Libsql from 'libsql';
import type { Database, Migration, SqlValue, Transaction } from '../ports.js';
import { applyMigrations, type ScriptTransaction } from '../sql/migration-runner.js';
import { TransactionLifetime, TransactionScope } from '../sql/transaction-scope.js';
import { GroupCommitQueue } from './group-commit.js';
import { SqliteStatements } from './sqlite-statements.js';
import { walFileFlusher, WalSync, type FlushWal } from './wal-sync.js';

export interface SqliteOptions {
  /** Database file path, or `:memory:`. Missing parent directories are created. */
  path: string;
  /** How long to wait for another process's write lock, in milliseconds. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * `full` (default; production) makes each commit durable on return, power loss included
   * (one fsync per group commit). `normal` keeps WAL crash safety for the process but may lose
   * the last commits on power loss or an OS crash: for throw-away databases such as tests.
   */
  synchronous?: 'full' | 'normal';
  /** Writes sharing one COMMIT at most. Default 256. */
  maxGroupCommit?: number;
  /** How long a group commit stays open at most, in ms (group-commit.ts). Default 20. */
  maxGroupCommitMs?: number;
  /** `full` only: replaces the fdatasync of the `-wal` file (tests hold or fail it). */
  flushWal?: FlushWal;
  /** Throw when the database is used inside its own transaction instead of waiting forever (transaction-scope.ts: it costs CPU). Default false. */
  detectNestedUse?: boolean;
}

export function openSqlite(options: SqliteOptions): Database {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const memory = options.path === ':memory:';
  const writer = new Libsql(options.path, { timeout: busyTimeoutMs });
  writer.pragma('journal_mode = WAL');
  writer.pragma(`busy_timeout = ${busyTimeoutMs}`);
  writer.pragma('foreign_keys = ON');
  // `full` is NORMAL plus our own WAL fsync per group (wal-sync.ts); a memory database has no file.
  writer.pragma('synchronous = NORMAL');
  const reader = memory ? undefined : new Libsql(options.path, { timeout: busyTimeoutMs });
  reader?.pragma(`busy_timeout = ${busyTimeoutMs}`);
  reader?.pragma('query_only = ON');
  const flusher = memory || options.synchronous === 'normal' ? undefined : walFileFlusher(`${options.path}-wal`);
  const flush = flusher === undefined ? undefined : (options.flushWal ?? flusher.flush);
  return new SqliteDatabase({
    writer,
    reader,
    maxGroupCommit: options.maxGroupCommit,
    maxGroupCommitMs: options.maxGroupCommitMs,
    walSync: flush === undefined ? undefined : new WalSync(flush),
    closeFlusher: flusher?.close,
    detectNestedUse: options.detectNestedUse ?? false,
  });
}

/** Statements that only read: answered by the reader connection outside transactions. */
const isSelect = (sql: string): boolean => /^\s*select\b/i.test(sql);

interface SqliteParts {
  writer: Libsql.Database;
  /** Absent for `:memory:`. */
  reader: Libsql.Database | undefined;
  maxGroupCommit: number | undefined;
  maxGroupCommitMs: number | undefined;
  /** Absent unless `synchronous: 'full'` on a file. */
  walSync: WalSync | undefined;
  closeFlusher: (() => Promise<void>) | undefined;
  detectNestedUse: boolean;
}

class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly scope: TransactionScope;
  private readonly statements: SqliteStatements;
  private readonly readStatements: SqliteStatements | undefined;
  private readonly writes: GroupCommitQueue;

  constructor(private readonly parts: SqliteParts) {
    const { writer, reader, walSync } = parts;
    this.scope = new TransactionScope(parts.detectNestedUse);
    this.statements = new SqliteStatements(writer);
    this.readStatements = reader === undefined ? undefined : new SqliteStatements(reader);
    this.writes = new GroupCommitQueue(writer, {
      ...(parts.maxGroupCommit === undefined ? {} : { maxGroup: parts.maxGroupCommit }),
      ...(parts.maxGroupCommitMs === undefined ? {} : { maxGroupMs: parts.maxGroupCommitMs }),
      ...(walSync === undefined ? {} : { afterCommit: () => walSync.commit() }),
    });
  }

  async all<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    this.scope.assertOutside('all');
    return this.outside(sql, (statements) => statements.all(sql, params) as T[]);
  }

  async get<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    this.scope.assertOutside('get');
    return this.outside(sql, (statements) => statements.get(sql, params) as T | undefined);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    this.scope.assertOutside('run');
    return this.writes.write(() => this.statements.run(sql, params));
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.runScriptTransaction(fn);
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    this.scope.assertOutside('migrate');
    return applyMigrations(this, migrations);
  }

  async close(): Promise<void> {
    this.scope.assertOutside('close');
    return this.writes.exclusive(async () => {
      await this.parts.walSync?.idle();
      await this.parts.closeFlusher?.();
      this.parts.reader?.close();
      this.parts.writer.close();
    });
  }

  async runScriptTransaction<T>(fn: (tx: ScriptTransaction) => Promise<T>): Promise<T> {
    this.scope.assertOutside('transaction');
    return this.writes.write(async () => {
      const lifetime = new TransactionLifetime();
      try {
        return await this.scope.run(() => fn(sqliteTransaction(this.statements, lifetime)));
      } finally {
        lifetime.end();
      }
    });
  }

  /**
   * A statement outside any transaction: a SELECT reads committed state (answered once what
   * it may have seen is on disk), anything else is a write.
   */
  private async outside<R>(sql: string, work: (statements: SqliteStatements) => R): Promise<R> {
    if (!isSelect(sql)) return this.writes.write(() => work(this.statements));
    if (this.readStatements === undefined) return this.writes.exclusive(() => work(this.statements));
    const rows = work(this.readStatements);
    await this.parts.walSync?.settled();
    return rows;
  }
}

function sqliteTransaction(statements: SqliteStatements, lifetime: TransactionLifetime): ScriptTransaction {
  const guarded = async <R>(work: () => R): Promise<R> => {
    lifetime.assertOpen();
    return work();
  };
  return {
    all: <T>(sql: string, params: readonly SqlValue[] = []) => guarded(() => statements.all(sql, params) as T[]),
    get: <T>(sql: string, params: readonly SqlValue[] = []) => guarded(() => statements.get(sql, params) as T | undefined),
    run: (sql, params = []) => guarded(() => statements.run(sql, params)),
    // The transaction already holds SQLite's write lock and is the only writer on the connection.
    lock: () => guarded(() => undefined),
    exec: (script) => guarded(() => statements.exec(script)),
  };
}
