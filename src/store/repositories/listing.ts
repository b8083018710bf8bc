/**
 * Paging for the management API's lists: newest first by (created_at, id), with a cursor that
 * is the last row's pair, so pages stay stable while new records arrive.
 */
import { fail, ok, type Result } from '../../errors/index.js';
import type { SqlExecutor, SqlValue } from '../ports.js';

export interface ListQuery {
  /** Only records in this state. */
  state?: string;
  /** Only records with this counterparty DID. */
  counterpartyDid?: string;
  /** At most this many (1..500, default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface ListPage<T> {
  items: T[];
  nextCursor?: string;
}

const MAX_LIMIT = 500;

export interface ListingClause {
  where: string;
  params: SqlValue[];
  limit: number;
}

/** WHERE clause and parameters for `query`, and the page size; a malformed cursor is SOV_BAD_REQUEST. */
export function listingClause(query: ListQuery, stateColumn = 'state'): Result<ListingClause> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 50)), MAX_LIMIT);
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, ...values: SqlValue[]): void => {
    conditions.push(condition);
    params.push(...values);
  };
  if (query.state !== undefined) add(`${stateColumn} = ?`, query.state);
  if (query.counterpartyDid !== undefined) add('counterparty_did = ?', query.counterpartyDid);
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor);
    if (cursor === undefined) return fail('SOV_BAD_REQUEST', 'The paging cursor is malformed; pass the nextCursor of the previous page');
    add('(created_at < ? OR (created_at = ? AND id < ?))', cursor.createdAt, cursor.createdAt, cursor.id);
  }
  return ok({ where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params, limit });
}

export function pageOf<T>(rows: Array<{ created_at: string; id: string; document: string }>, limit: number): ListPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const page: ListPage<T> = { items: items.map((row) => JSON.parse(row.document) as T) };
  if (rows.length > limit && last !== undefined) page.nextCursor = Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url');
  return page;
}

/**
 * One page of the JSON documents of `table` (a repository's own table name, never input),
 * newest first, filtered and continued by `query`.
 */
export async function listPage<T>(db: SqlExecutor, table: string, query: ListQuery, stateColumn = 'state'): Promise<Result<ListPage<T>>> {
  const clause = listingClause(query, stateColumn);
  if (!clause.ok) return clause;
  const { where, params, limit } = clause.value;
  const rows = await db.all<{ id: string; created_at: string; document: string }>(
    `SELECT id, created_at, document FROM ${table} ${where} ORDER BY created_at DESC, id DESC LIMIT ?`,
    [...params, limit + 1],
  );
  return ok(pageOf<T>(rows, limit));
}

function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') return { createdAt: value[0], id: value[1] };
  } catch {
    return undefined;
  }
  return undefined;
}
