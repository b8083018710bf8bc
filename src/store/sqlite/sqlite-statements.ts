/**
 * Synchronous statement execution on one libsql connection, with the value conversions of
 * ports.ts: parameters checked and passed as one array (libsql reads a lone Uint8Array or
 * null argument as named parameters and may abort the process), integers read as exact
 * `bigint` then narrowed, blobs returned as `Uint8Array`.
 *
 * Prepared statements are cached per SQL text (LRU, `capacity` entries): the connector issues
 * a few dozen distinct statements thousands of times, and compiling each one again (plus
 * counting its placeholders) cost more than running it. libsql resets a statement after
 * `get`/`run`/`all`, so a cached statement holds no read snapshot between uses (a checkpoint
 * by another process is not blocked), and SQLite recompiles a cached statement itself after
 * a schema change (a migration); the connection is used by one caller at a time.
 */
import type LibsqlDatabase from 'libsql';
import type { SqlValue } from '../ports.js';
import { normaliseBytes, normaliseInteger, checkValues } from '../sql/dialect.js';
import { placeholderOffsets } from '../sql/placeholders.js';

type Row = Record<string, unknown>;

interface Prepared {
  statement: LibsqlDatabase.Statement;
  placeholders: number;
}

/** Distinct statements kept compiled: above the connector's working set, bounded for ad-hoc SQL. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 256;

export class SqliteStatements {
  private readonly cache = new Map<string, Prepared>();

  constructor(
    private readonly connection: LibsqlDatabase.Database,
    private readonly capacity = DEFAULT_STATEMENT_CACHE_SIZE,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`statement cache capacity must be a positive integer, got ${capacity}`);
  }

  all(sql: string, params: readonly SqlValue[]): Row[] {
    return this.prepare(sql, params).all([...params]).map((row) => normaliseRow(row as Row));
  }

  get(sql: string, params: readonly SqlValue[]): Row | undefined {
    const row = this.prepare(sql, params).get([...params]) as Row | undefined;
    if (row === undefined) return undefined;
    // libsql adds a `_metadata` timing property to `get` results only.
    delete row['_metadata'];
    return normaliseRow(row);
  }

  run(sql: string, params: readonly SqlValue[]): { changes: number } {
    const result = this.prepare(sql, params).run([...params]);
    return { changes: result.changes };
  }

  exec(script: string): void {
    this.connection.exec(script);
  }

  /** Compiled statements currently cached (for tests and diagnostics). */
  get cachedCount(): number {
    return this.cache.size;
  }

  private prepare(sql: string, params: readonly SqlValue[]): LibsqlDatabase.Statement {
    const prepared = this.lookup(sql);
    if (prepared.placeholders !== params.length) {
      throw new RangeError(`SQL has ${prepared.placeholders} placeholder(s) but ${params.length} parameter(s) were given: ${sql}`);
    }
    checkValues(params);
    return prepared.statement;
  }

  private lookup(sql: string): Prepared {
    const hit = this.cache.get(sql);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting makes this the most recently used entry.
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit;
    }
    const statement = this.connection.prepare(sql);
    if (statement.reader) statement.safeIntegers(true);
    const prepared = { statement, placeholders: placeholderOffsets(sql).length };
    this.cache.set(sql, prepared);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return prepared;
  }
}

function normaliseRow(row: Row): Row {
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') row[key] = normaliseInteger(value);
    else if (value instanceof ArrayBuffer || value instanceof Uint8Array) row[key] = normaliseBytes(value);
  }
  return row;
}
