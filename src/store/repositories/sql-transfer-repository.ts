/**
 * The TransferRepository port (src/transfer/ports.ts) on the relational store: the same
 * pattern as the negotiation repository (whole record as JSON text, derived lookup columns,
 * one-transaction commit with optimistic versioning, outbox rows and the `onCommit` hook).
 */
import { fail, type Result } from '../../errors/index.js';
import type { TransferProcess, TransferRepository } from '../../transfer/index.js';
import type { Database } from '../ports.js';
import { listPage, type ListPage, type ListQuery } from './listing.js';
import { commitVersioned, type CommitHook } from './versioned-commit.js';

export type TransferChange = Parameters<TransferRepository['commit']>[0];

export interface SqlTransferRepositoryOptions {
  db: Database;
  /** Runs inside every commit's transaction (e.g. the audit entry); throwing rolls back. */
  onCommit?: CommitHook<TransferChange>;
}

export interface SqlTransferRepository extends TransferRepository {
  /** Newest first; filters by state and counterparty; a bad cursor is SOV_BAD_REQUEST. */
  list(query?: ListQuery): Promise<Result<ListPage<TransferProcess>>>;
}

const STARTED_STATES = new Set(['STARTED', 'SUSPENDED', 'COMPLETED']);

export function createSqlTransferRepository(options: SqlTransferRepositoryOptions): SqlTransferRepository {
  const { db, onCommit } = options;
  const one = async (where: string, params: string[]): Promise<TransferProcess | undefined> => {
    const row = await db.get<{ document: string }>(`SELECT document FROM transfer_process WHERE ${where}`, params);
    return row === undefined ? undefined : (JSON.parse(row.document) as TransferProcess);
  };
  return {
    get: (id) => one('id = ?', [id]),
    findByCounterpartyPid: (counterpartyDid, pid) => one('counterparty_did = ? AND counterparty_pid = ?', [counterpartyDid, pid]),
    async countByAgreement(agreementId) {
      const row = await db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM transfer_process WHERE agreement_id = ? AND (started = 1 OR state = 'REQUESTED')`,
        [agreementId],
      );
      return Number(row?.n ?? 0);
    },
    commit: (change) =>
      commitVersioned(db, {
        table: 'transfer_process',
        id: change.record.id,
        expectedVersion: change.expectedVersion,
        columns: columnsOf(change.record),
        fixed: FIXED_COLUMNS,
        sticky: ['started'],
        outbox: change.outbox,
        acknowledged: change.acknowledged,
        change,
        hook: onCommit,
        conflict: () =>
          fail('SOV_TRANSFER_CONFLICT', `transfer ${change.record.id} changed concurrently or already exists`, {
            id: change.record.id,
            expectedVersion: change.expectedVersion,
          }),
      }),
    list: (query = {}) => listPage<TransferProcess>(db, 'transfer_process', query),
  };
}

/** Set at creation and never changed by the protocol: an update does not rewrite them. */
const FIXED_COLUMNS = ['role', 'counterparty_did', 'created_at'];

function columnsOf(record: TransferProcess) {
  const counterpartyPid = record.role === 'provider' ? record.consumerPid : record.providerPid;
  return {
    role: record.role,
    counterparty_did: record.counterpartyDid,
    counterparty_pid: counterpartyPid ?? null,
    state: record.state ?? null,
    agreement_id: record.agreementId,
    started: record.state !== undefined && STARTED_STATES.has(record.state) ? 1 : 0,
    document: JSON.stringify(record),
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
