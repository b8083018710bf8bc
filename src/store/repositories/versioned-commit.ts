/**
 * The commit both protocol repositories share (issue 6 "Persistence": every state change is one
 * transaction): the record row — inserted, or updated only if its stored version is the one the
 * caller read (optimistic concurrency) — its outbox entries, the outbox entry whose
 * acknowledgement it records (marked delivered), and the caller's `onCommit` hook
 * (e.g. the audit entry of the change), all in ONE transaction. A version mismatch or a
 * duplicate key (id, counterparty pid pair, agreement id, outbox id) rolls everything back and
 * is returned as the protocol's conflict failure; any other error is a bug or an outage and throws.
 */
import type { AcknowledgedEntry, OutboxEntry } from '../../dsp/index.js';
import type { Failure, Result } from '../../errors/index.js';
import { ok } from '../../errors/index.js';
import type { Database, SqlValue, Transaction } from '../ports.js';
import { isUniqueViolation } from '../unique-violation.js';
import { insertOutboxEntries, settleAcknowledged } from './sql-outbox-store.js';

/** Runs inside the commit transaction after the record and its outbox rows are written. */
export type CommitHook<Change> = (tx: Transaction, change: Change) => Promise<void>;

export interface VersionedWrite<Change> {
  table: string;
  id: string;
  /** null: insert; otherwise the version the caller read. */
  expectedVersion: number | null;
  /** Every column but `id`, `version` included. */
  columns: Readonly<Record<string, SqlValue>>;
  /** 0/1 columns among `columns` that, once 1, stay 1 on update (e.g. "was ever started"). */
  sticky?: readonly string[];
  /**
   * Columns among `columns` a record never changes (its role, counterparty, creation time):
   * written on insert only, so an update leaves their indexes alone.
   */
  fixed?: readonly string[];
  outbox: readonly OutboxEntry[];
  /** Our outbox entry whose acknowledgement this change records: marked delivered here. */
  acknowledged?: AcknowledgedEntry | undefined;
  change: Change;
  hook: CommitHook<Change> | undefined;
  conflict: () => Failure;
}

class VersionConflict extends Error {}

export async function commitVersioned<Change>(db: Database, write: VersionedWrite<Change>): Promise<Result<void>> {
  try {
    await db.transaction(async (tx) => {
      if (write.expectedVersion === null) await insertRow(tx, write);
      else if (!(await updateRow(tx, write, write.expectedVersion))) throw new VersionConflict();
      await insertOutboxEntries(tx, write.outbox);
      if (write.acknowledged !== undefined) await settleAcknowledged(tx, write.acknowledged);
      if (write.hook !== undefined) await write.hook(tx, write.change);
    });
    return ok(undefined);
  } catch (error) {
    // Thrown out of the transaction (never caught inside): on Postgres a failed statement
    // poisons the transaction, so the rollback must happen before we answer.
    if (error instanceof VersionConflict || isUniqueViolation(error)) return write.conflict();
    throw error;
  }
}

async function insertRow<Change>(tx: Transaction, write: VersionedWrite<Change>): Promise<void> {
  const names = ['id', ...Object.keys(write.columns)];
  const marks = names.map(() => '?').join(', ');
  await tx.run(`INSERT INTO ${write.table} (${names.join(', ')}) VALUES (${marks})`, [write.id, ...Object.values(write.columns)]);
}

async function updateRow<Change>(tx: Transaction, write: VersionedWrite<Change>, expected: number): Promise<boolean> {
  const sticky = new Set(write.sticky ?? []);
  const fixed = new Set(write.fixed ?? []);
  const names = Object.keys(write.columns).filter((name) => !fixed.has(name));
  const assignments = names.map((name) => (sticky.has(name) ? `${name} = CASE WHEN ${name} = 1 THEN 1 ELSE ? END` : `${name} = ?`)).join(', ');
  const sql = `UPDATE ${write.table} SET ${assignments} WHERE id = ? AND version = ?`;
  const { changes } = await tx.run(sql, [...names.map((name) => write.columns[name] as SqlValue), write.id, expected]);
  return changes === 1;
}
