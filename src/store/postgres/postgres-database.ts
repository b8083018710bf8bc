/**
 * Postgres adapter of the `Database` port on a `pg` Pool. Statements outside a transaction
 * use any pooled connection; a transaction checks out one client for BEGIN … COMMIT (or
 * ROLLBACK), so concurrent transactions run in parallel at READ COMMITTED. An optional
 * `schema` becomes every connection's `search_path`: tests use a fresh schema per run.
 */
import pg from 'pg';
import { DomainError, fail } from '../../errors/index.js';
import type { Database, Migration, SqlValue, Transaction } from '../ports.js';
import { applyMigrations, type ScriptTransaction } from '../sql/migration-runner.js';
import { TransactionLifetime, TransactionScope } from '../sql/transaction-scope.js';
import { advisoryLock, queryChanges, queryRows, typeParsers } from './postgres-statements.js';

export interface PostgresOptions {
  /** `postgres://user[:password]@host:port/database` */
  url: string;
  /** Schema to create (if missing) and use as `search_path`; lower-case letters, digits, `_`. */
  schema?: string;
  /** Maximum pooled connections. Default 10. */
  poolSize?: number;
  /** Timeout of the connection check at open: an unreachable server fails instead of hanging. Default 5000 ms. */
  connectTimeoutMs?: number;
  /**
   * How long a statement or transaction may wait for a pooled connection (pg applies one
   * timeout to both connecting and queueing). Bursts queue behind the pool like they queue in
   * SQLite's group-commit queue; only a pool starved this long fails. Default 60000 ms.
   */
  acquireTimeoutMs?: number;
  /** Throw when the database is used inside its own transaction instead of running outside it (transaction-scope.ts: it costs CPU). Default false. */
  detectNestedUse?: boolean;
}

/** Opens the pool and checks the server answers (throws SOV_STORE_UNAVAILABLE if not). */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`Invalid schema name ${schema}`);
  await checkServer(options.url, schema, options.connectTimeoutMs ?? 5000);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 60_000,
    types: typeParsers,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // Idle clients can report errors (e.g. server restart); without a listener pg would crash the process.
  pool.on('error', () => undefined);
  return new PostgresDatabase(pool, schema ?? '', options.detectNestedUse ?? false);
}

/** Connects once with a short timeout and creates the schema; throws SOV_STORE_UNAVAILABLE. */
async function checkServer(url: string, schema: string | undefined, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(schema === undefined ? 'SELECT 1' : `CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DomainError(fail('SOV_STORE_UNAVAILABLE', `Postgres at ${redact(url)} is unavailable: ${reason}`));
  } finally {
    await client.end().catch(() => undefined);
  }
}

class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly scope: TransactionScope;

  constructor(
    private readonly pool: pg.Pool,
    private readonly lockNamespace: string,
    detectNestedUse: boolean,
  ) {
    this.scope = new TransactionScope(detectNestedUse);
  }

  async all<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    this.scope.assertOutside('all');
    return (await queryRows(this.pool, sql, params)) as T[];
  }

  async get<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    this.scope.assertOutside('get');
    return (await queryRows(this.pool, sql, params))[0] as T | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    this.scope.assertOutside('run');
    return queryChanges(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.runScriptTransaction(fn);
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    this.scope.assertOutside('migrate');
    await applyMigrations(this, migrations);
  }

  async close(): Promise<void> {
    this.scope.assertOutside('close');
    await this.pool.end();
  }

  async runScriptTransaction<T>(fn: (tx: ScriptTransaction) => Promise<T>): Promise<T> {
    this.scope.assertOutside('transaction');
    const client = await this.pool.connect();
    const lifetime = new TransactionLifetime();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await this.scope.run(() => fn(postgresTransaction(client, this.lockNamespace, lifetime)));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await rollback(client);
      throw error;
    } finally {
      lifetime.end();
      // A client whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
      client.release(broken);
    }
  }
}

function postgresTransaction(client: pg.PoolClient, lockNamespace: string, lifetime: TransactionLifetime): ScriptTransaction {
  const guarded = async <R>(work: () => Promise<R>): Promise<R> => {
    lifetime.assertOpen();
    return work();
  };
  return {
    all: <T>(sql: string, params: readonly SqlValue[] = []) => guarded(async () => (await queryRows(client, sql, params)) as T[]),
    get: <T>(sql: string, params: readonly SqlValue[] = []) => guarded(async () => (await queryRows(client, sql, params))[0] as T | undefined),
    run: (sql, params = []) => guarded(() => queryChanges(client, sql, params)),
    lock: (name) => guarded(() => advisoryLock(client, lockNamespace, name)),
    exec: (script) => guarded(async () => void (await client.query(script))),
  };
}

async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The URL without its password, for error messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
