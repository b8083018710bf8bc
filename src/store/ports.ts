/**
 * The relational store port. SQLite (file, default) and Postgres (`DATABASE_URL`) adapters
 * implement it; repositories in `src/store/repositories/` are written against it in the
 * portable SQL subset both understand, with `?` placeholders (the Postgres adapter numbers them).
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

export interface Migration {
  /** Capability that owns the migration, e.g. `audit`; versions are counted per capability. */
  capability: string;
  version: number;
  /** Portable DDL; `{{blob}}`, `{{bigint}}` are replaced per dialect. */
  sql: string;
}

export interface Database extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction; commits when it resolves, rolls back when it throws.
   * Transactions are serialised per database on SQLite and isolated on Postgres.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  migrate(migrations: readonly Migration[]): Promise<void>;
  close(): Promise<void>;
}
