/**
 * Chooses the adapter from a URL (design.md "store"): `postgres://…` or `postgresql://…` →
 * Postgres; `file:/abs/path.db`, `file:relative.db`, a plain path or `:memory:` → SQLite.
 */
import { fileURLToPath } from 'node:url';
import { DomainError, fail } from '../errors/index.js';
import type { Database } from './ports.js';
import { openSqlite } from './sqlite/sqlite-database.js';

export interface OpenDatabaseOptions {
  /** Postgres only: schema used as `search_path`, created if missing. */
  schema?: string;
  /** Postgres only: pool size. */
  poolSize?: number;
  /** SQLite only: how long to wait for another process's write lock (ms). */
  busyTimeoutMs?: number;
  /** SQLite only: `full` (default, durable commits) or `normal` (throw-away databases, tests). */
  synchronous?: 'full' | 'normal';
  /** Throw at once when the database is used inside its own transaction (a bug; off by default, see sql/transaction-scope.ts). */
  detectNestedUse?: boolean;
}

export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Loaded only for Postgres: a SQLite connector does not keep pg and its protocol code resident.
    const { openPostgres } = await import('./postgres/postgres-database.js');
    return openPostgres({ url, ...pick(options, ['schema', 'poolSize', 'detectNestedUse']) });
  }
  return openSqlite({ path: sqlitePath(url), ...pick(options, ['busyTimeoutMs', 'synchronous', 'detectNestedUse']) });
}

/** The SQLite file a URL names; another URL scheme fails with SOV_STORE_URL_UNSUPPORTED. */
export function sqlitePath(url: string): string {
  if (url.startsWith('file://') || url.startsWith('file:/')) return fileURLToPath(url);
  if (url.startsWith('file:')) return url.slice('file:'.length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new DomainError(fail('SOV_STORE_URL_UNSUPPORTED', `Unsupported database URL scheme in ${url.split('://')[0]}://…; use postgres:// or a file path`));
  }
  return url;
}

function pick<K extends keyof OpenDatabaseOptions>(options: OpenDatabaseOptions, keys: K[]): Pick<OpenDatabaseOptions, K> {
  const picked: Partial<OpenDatabaseOptions> = {};
  for (const key of keys) if (options[key] !== undefined) picked[key] = options[key];
  return picked as Pick<OpenDatabaseOptions, K>;
}
