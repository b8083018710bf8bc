/**
 * Synchronous statement execution on one libsql connection, with the value conversions of
 * ports.ts: parameters checked and passed as one array (libsql reads a lone Uint8Array or
 * null argument as named parameters and may abort the process), integers read as exact
 * `bigint` then narrowed, blobs returned as `Uint8Array`.
 */
import type LibsqlDatabase from 'libsql';
import type { SqlValue } from '../ports.js';
import { normaliseBytes, normaliseInteger, checkValues } from '../sql/dialect.js';
import { checkParameterCount } from '../sql/placeholders.js';

type Row = Record<string, unknown>;

export class SqliteStatements {
  constructor(private readonly connection: LibsqlDatabase.Database) {}

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

  private prepare(sql: string, params: readonly SqlValue[]): LibsqlDatabase.Statement {
    checkParameterCount(sql, params);
    checkValues(params);
    const statement = this.connection.prepare(sql);
    if (statement.reader) statement.safeIntegers(true);
    return statement;
  }
}

function normaliseRow(row: Row): Row {
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') row[key] = normaliseInteger(value);
    else if (value instanceof ArrayBuffer || value instanceof Uint8Array) row[key] = normaliseBytes(value);
  }
  return row;
}
