/**
 * The relational store port. SQLite (file, default) and Postgres (`DATABASE_URL`) adapters
 * implement it; repositories in `src/store/repositories/` (or a capability's `sql/` adapter)
 * are written against it in the portable SQL subset both understand.
 *
 * Portable SQL rules (both adapters enforce or rely on them):
 * - Parameters are positional `?` only. The Postgres adapter numbers them `$1..$n`; a `?`
 *   inside a string literal, quoted identifier or comment is left alone, so write JSON
 *   operators that contain `?` (Postgres `?|`) never: they would be read as placeholders.
 *   The number of `?` must equal the number of parameters (checked, a mismatch throws).
 * - Values are `SqlValue` only: no booleans (store 0/1), no `undefined` (use `null`), no Dates
 *   (store ISO-8601 text or epoch milliseconds).
 * - Integers come back as `number` when they fit in 2^53, otherwise as `bigint`, on both
 *   dialects (Postgres BIGINT/COUNT included). Blobs (`{{blob}}`) come back as `Uint8Array`.
 * - Column names are lower-case snake_case (Postgres folds unquoted names to lower case).
 * - `INSERT … RETURNING`, `ON CONFLICT … DO NOTHING/UPDATE`, `LIMIT ? OFFSET ?` work on both.
 *
 * Every state change and its audit entry run in one `transaction` (audit issue): either
 * both are stored or neither.
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlExecutor {
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

/** The executor handed to a `transaction` callback; valid only until the callback settles. */
export interface Transaction extends SqlExecutor {
  /**
   * Takes the lock called `name`, held until this transaction commits or rolls back, so a
   * read-then-write (e.g. reading a chain head, then appending after it) cannot interleave
   * with another transaction doing the same. Postgres: `pg_advisory_xact_lock`; SQLite: a
   * no-op, because its transactions are already serialised (BEGIN IMMEDIATE + the adapter's
   * mutex).
   */
  lock(name: string): Promise<void>;
}

export interface Migration {
  /** Capability that owns the migration, e.g. `audit`; versions are counted per capability. */
  capability: string;
  /** Positive integer; a capability's migrations run in ascending version order. */
  version: number;
  /**
   * Portable DDL, one or more `;`-separated statements, run in one transaction. Dialect
   * placeholders, replaced before running:
   * - `{{blob}}` → SQLite `BLOB`, Postgres `BYTEA`
   * - `{{bigint}}` → SQLite `INTEGER`, Postgres `BIGINT` (64-bit integers, epoch ms)
   * - `{{autoincrement}}` → a whole primary-key column type: SQLite
   *   `INTEGER PRIMARY KEY AUTOINCREMENT`, Postgres `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`
   *   (use as `id {{autoincrement}}`).
   * - `{{withoutRowid}}` → after a table's closing parenthesis: SQLite `WITHOUT ROWID` (the
   *   primary key is the table, one b-tree to write instead of two), Postgres nothing.
   */
  sql: string;
}

export interface Database extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction; commits when it resolves, rolls back and rethrows when it
   * throws. Transactions are serialised per database on SQLite and run concurrently (READ
   * COMMITTED) on Postgres: use `tx.lock` or a single atomic statement for read-then-write.
   * Inside `fn` use only `tx`: calling this database's methods there is a bug and throws
   * (on SQLite it would otherwise wait forever for the transaction it is part of).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Applies the migrations not yet recorded in `schema_migrations(capability, version)`,
   * each in its own transaction; re-running with the same list is a no-op.
   */
  migrate(migrations: readonly Migration[]): Promise<void>;
  /** Waits for running work, then releases the file or connection pool. */
  close(): Promise<void>;
}
