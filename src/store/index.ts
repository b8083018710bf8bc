/**
 * The relational store: the `Database` port (ports.ts, with the portable SQL rules every
 * repository follows), its SQLite adapter (libsql, a file, the default) and Postgres adapter
 * (`pg`, chosen by a `postgres://` URL), the per-capability migration runner behind
 * `Database.migrate`, and `isUniqueViolation` to map duplicate keys to conflicts. Callers
 * open one database at the composition root with `openDatabase(url)` and pass it down.
 */
export type { Database, Migration, SqlExecutor, SqlValue, Transaction } from './ports.js';
export { openDatabase, sqlitePath, type OpenDatabaseOptions } from './open-database.js';
export { isUniqueViolation } from './unique-violation.js';
