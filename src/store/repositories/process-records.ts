/**
 * What the negotiation and transfer repositories share, since both store a DSP process record
 * the same way: the record whole as JSON text in `document`, looked up by our pid or by the
 * counterparty's, committed with `commitVersioned` (optimistic versioning, outbox rows and the
 * `onCommit` hook in one transaction) and listed with `listPage`. Each repository keeps its own
 * table, derived columns, conflict code and extra look-ups.
 */
import { fail, type ErrorCode, type Result } from '../../errors/index.js';
import type { AcknowledgedEntry, OutboxEntry, Role } from '../../dsp/index.js';
import type { Database, SqlValue } from '../ports.js';
import { listPage, type ListPage, type ListQuery } from './listing.js';
import { outboxEntrySent } from './sql-outbox-store.js';
import { commitVersioned, type CommitHook } from './versioned-commit.js';

/** A process's table and what is particular to its protocol. */
export interface ProcessTable<R> {
  name: string;
  /** Every column but `id`, derived from the record on every commit (`version` included). */
  columnsOf(record: R): Readonly<Record<string, SqlValue>>;
  /** 0/1 columns that, once 1, stay 1 on update (see `VersionedWrite.sticky`). */
  sticky?: readonly string[];
  /** The failure of a lost commit race or a duplicate key, and the record's name in its detail. */
  conflict: ErrorCode;
  noun: string;
}

export interface ProcessChange<R> {
  record: R;
  expectedVersion: number | null;
  outbox: readonly OutboxEntry[];
  acknowledged?: AcknowledgedEntry;
}

export interface ProcessRecords<R, Change> {
  /** The record of the row `where` selects, parsed afresh (the ports' "deep copies"). */
  find(where: string, params: string[]): Promise<R | undefined>;
  get(id: string): Promise<R | undefined>;
  findByCounterpartyPid(counterpartyDid: string, pid: string): Promise<R | undefined>;
  commit(change: Change): Promise<Result<void>>;
  /** Whether our outbox entry `id` has left the queue at least once (the ports' `outboxEntrySent`). */
  outboxEntrySent(id: string): Promise<boolean>;
  /** Newest first; filters by state and counterparty; a bad cursor is SOV_BAD_REQUEST. */
  list(query?: ListQuery): Promise<Result<ListPage<R>>>;
}

/** Set at creation and never changed by the protocol: an update does not rewrite them. */
const FIXED_COLUMNS = ['role', 'counterparty_did', 'created_at'];

export function processRecords<R extends { id: string }, Change extends ProcessChange<R>>(
  db: Database,
  table: ProcessTable<R>,
  onCommit: CommitHook<Change> | undefined,
): ProcessRecords<R, Change> {
  const select = `SELECT document FROM ${table.name} WHERE `;
  const find = async (where: string, params: string[]): Promise<R | undefined> => {
    const row = await db.get<{ document: string }>(select + where, params);
    return row === undefined ? undefined : (JSON.parse(row.document) as R);
  };
  return {
    find,
    get: (id) => find('id = ?', [id]),
    findByCounterpartyPid: (counterpartyDid, pid) => find('counterparty_did = ? AND counterparty_pid = ?', [counterpartyDid, pid]),
    commit: (change) =>
      commitVersioned(db, {
        table: table.name,
        id: change.record.id,
        expectedVersion: change.expectedVersion,
        columns: table.columnsOf(change.record),
        fixed: FIXED_COLUMNS,
        sticky: table.sticky,
        outbox: change.outbox,
        acknowledged: change.acknowledged,
        change,
        hook: onCommit,
        conflict: () =>
          fail(table.conflict, `${table.noun} ${change.record.id} changed concurrently or already exists`, {
            id: change.record.id,
            expectedVersion: change.expectedVersion,
          }),
      }),
    outboxEntrySent: (id) => outboxEntrySent(db, id),
    list: (query = {}) => listPage<R>(db, table.name, query),
  };
}

/** The pid the counterparty gave the process: the consumer's when we are the provider, and back. */
export function counterpartyPidOf(record: { role: Role; providerPid?: string; consumerPid?: string }): string | null {
  return (record.role === 'provider' ? record.consumerPid : record.providerPid) ?? null;
}
