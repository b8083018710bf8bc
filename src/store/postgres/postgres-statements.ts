/**
 * Statement execution on a pg Pool or a checked-out client, with the value conversions of
 * ports.ts: `?` numbered to `$n`, `Uint8Array` sent as bytea, `bigint` sent as text (pg
 * cannot serialise it), bytea read back as `Uint8Array`, BIGINT read as `number` while exact.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SqlValue } from '../ports.js';
import { checkValues, normaliseBytes, normaliseInteger } from '../sql/dialect.js';
import { checkParameterCount, numberPlaceholders } from '../sql/placeholders.js';

type Row = Record<string, unknown>;
type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const int8Oid = 20;
const numericOid = 1700;

/**
 * Per-pool type parsers (never the global `pg.types`, which other code may rely on). NUMERIC
 * (e.g. `SUM` of a BIGINT column) is read like SQLite reads it: integers exact, fractions as
 * a double; portable code cannot rely on exact decimals anyway.
 */
export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === int8Oid) return (text: string) => normaliseInteger(BigInt(text));
    if (oid === numericOid) return (text: string) => (/^-?\d+$/.test(text) ? normaliseInteger(BigInt(text)) : Number(text));
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export async function queryRows(target: Queryable, sql: string, params: readonly SqlValue[]): Promise<Row[]> {
  const result = await target.query(numberPlaceholders(sql), toDriverValues(sql, params));
  return result.rows.map(normaliseRow);
}

export async function queryChanges(target: Queryable, sql: string, params: readonly SqlValue[]): Promise<{ changes: number }> {
  const result = await target.query(numberPlaceholders(sql), toDriverValues(sql, params));
  return { changes: result.rowCount ?? 0 };
}

/**
 * Transaction-scoped advisory lock keyed by the first 64 bits of SHA-256(namespace, name).
 * Advisory locks are database-wide; the namespace (the schema) keeps connectors or test runs
 * that share one database in different schemas from serialising on each other.
 */
export async function advisoryLock(client: pg.PoolClient, namespace: string, name: string): Promise<void> {
  const key = createHash('sha256').update(JSON.stringify([namespace, name])).digest().readBigInt64BE(0);
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [key.toString()]);
}

function toDriverValues(sql: string, params: readonly SqlValue[]): unknown[] {
  checkParameterCount(sql, params);
  checkValues(params);
  return params.map((value) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return value;
  });
}

function normaliseRow(row: Row): Row {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Uint8Array) row[key] = normaliseBytes(value);
  }
  return row;
}
