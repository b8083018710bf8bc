/**
 * Dialect placeholders in migration DDL (ports.ts `Migration.sql`) and value conversions
 * shared by both adapters, so repositories see the same JavaScript types on either.
 */
import type { SqlValue } from '../ports.js';

export type Dialect = 'sqlite' | 'postgres';

const ddlTypes: Record<Dialect, Record<string, string>> = {
  sqlite: {
    blob: 'BLOB',
    bigint: 'INTEGER',
    autoincrement: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    withoutRowid: 'WITHOUT ROWID',
  },
  postgres: {
    blob: 'BYTEA',
    bigint: 'BIGINT',
    autoincrement: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    withoutRowid: '',
  },
};

/** Replaces `{{blob}}`, `{{bigint}}`, `{{autoincrement}}`, `{{withoutRowid}}`; an unknown `{{name}}` is a bug. */
export function renderDdl(sql: string, dialect: Dialect): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const type = ddlTypes[dialect][name];
    if (type === undefined) throw new Error(`Unknown DDL placeholder {{${name}}}`);
    return type;
  });
}

/** Integers as `number` while exact, `bigint` beyond 2^53 (ports.ts). */
export function normaliseInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** A plain Uint8Array view (drivers return Buffer or ArrayBuffer) so equality checks hold. */
export function normaliseBytes(value: ArrayBuffer | Uint8Array): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Rejects values outside `SqlValue` before they reach a driver: libsql aborts the whole
 * process on a boolean, and `undefined` silently becomes NULL in one driver and an error in
 * the other.
 */
export function checkValues(params: readonly SqlValue[]): void {
  params.forEach((value, index) => {
    const ok =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'bigint' ||
      value instanceof Uint8Array;
    if (!ok) throw new TypeError(`SQL parameter ${index + 1} has unsupported type ${typeof value}`);
  });
}
