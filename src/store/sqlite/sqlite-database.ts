/**
 * SQLite adapter of the `Database` port on libsql's synchronous, better-sqlite3-compatible
 * API. One connection per database file; the async port is serialised with a mutex so a
 * transaction (BEGIN IMMEDIATE … COMMIT) owns the connection until it settles.
 *
 * Pragmas: WAL (readers of other processes, e.g. `sovc audit verify`, do not block the
 * connector), `busy_timeout` (another process holding the write lock is waited for, not an
 * immediate SQLITE_BUSY), `foreign_keys=ON` (off by default in SQLite), and
 * `synchronous=FULL`: with WAL, NORMAL is crash-safe for the process but may lose the last
 * committed transactions on power loss; audit entries and key events are evidence, so a
 * commit must be durable when it returns. The cost is one fsync per commit: ~250 single-row
 * commits/s against ~8,000 with NORMAL on this machine (test/bench/store.bench.ts), ample for
 * events that arrive at protocol pace.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Libsql from 'libsql';
import type { Database, Migration, SqlValue, Transaction } from '../ports.js';
import { applyMigrations, type ScriptTransaction } from '../sql/migration-runner.js';
import { Mutex } from '../sql/mutex.js';
import { TransactionLifetime, TransactionScope } from '../sql/transaction-scope.js';
import { SqliteStatements } from './sqlite-statements.js';

export interface SqliteOptions {
  /** Database file path, or `:memory:`. Missing parent directories are created. */
  path: string;
  /** How long to wait for another process's write lock, in milliseconds. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * `full` (default) makes each commit durable on return (one fsync per commit, ~250
   * commits/s here). `normal` keeps WAL crash safety for the process but may lose the last
   * commits on power loss (~8,000 commits/s): for throw-away databases such as tests.
   */
  synchronous?: 'full' | 'normal';
}

export function openSqlite(options: SqliteOptions): Database {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const connection = new Libsql(options.path, { timeout: busyTimeoutMs });
  connection.pragma('journal_mode = WAL');
  connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
  connection.pragma('foreign_keys = ON');
  connection.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  return new SqliteDatabase(connection);
}

class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly scope = new TransactionScope();
  private readonly statements: SqliteStatements;

  constructor(private readonly connection: Libsql.Database) {
    this.statements = new SqliteStatements(connection);
  }

  async all<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    this.scope.assertOutside('all');
    return this.mutex.runExclusive(() => this.statements.all(sql, params) as T[]);
  }

  async get<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    this.scope.assertOutside('get');
    return this.mutex.runExclusive(() => this.statements.get(sql, params) as T | undefined);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    this.scope.assertOutside('run');
    return this.mutex.runExclusive(() => this.statements.run(sql, params));
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
    return this.mutex.runExclusive(() => {
      this.connection.close();
    });
  }

  async runScriptTransaction<T>(fn: (tx: ScriptTransaction) => Promise<T>): Promise<T> {
    this.scope.assertOutside('transaction');
    return this.mutex.runExclusive(async () => {
      const lifetime = new TransactionLifetime();
      this.connection.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.scope.run(() => fn(sqliteTransaction(this.statements, lifetime)));
        this.connection.exec('COMMIT');
        return result;
      } catch (error) {
        // A failed COMMIT (e.g. a deferred constraint) leaves the transaction open too.
        if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
        throw error;
      } finally {
        lifetime.end();
      }
    });
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
    // The transaction already holds SQLite's write lock and this adapter's mutex.
    lock: () => guarded(() => undefined),
    exec: (script) => guarded(() => statements.exec(script)),
  };
}
