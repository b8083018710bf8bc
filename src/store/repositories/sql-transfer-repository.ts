/**
 * The TransferRepository port (src/transfer/ports.ts) on the relational store: the same
 * pattern as the negotiation repository (whole record as JSON text, derived lookup columns,
 * one-transaction commit with optimistic versioning, outbox rows and the `onCommit` hook).
 */
import type { Result } from '../../errors/index.js';
import type { TransferProcess, TransferRepository } from '../../transfer/index.js';
import type { Database } from '../ports.js';
import type { ListPage, ListQuery } from './listing.js';
import { counterpartyPidOf, processRecords, type ProcessTable } from './process-records.js';
import type { CommitHook } from './versioned-commit.js';

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

const TRANSFER_TABLE: ProcessTable<TransferProcess> = {
  name: 'transfer_process',
  columnsOf: (record) => ({
    role: record.role,
    counterparty_did: record.counterpartyDid,
    counterparty_pid: counterpartyPidOf(record),
    state: record.state ?? null,
    agreement_id: record.agreementId,
    started: record.state !== undefined && STARTED_STATES.has(record.state) ? 1 : 0,
    document: JSON.stringify(record),
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }),
  sticky: ['started'],
  conflict: 'SOV_TRANSFER_CONFLICT',
  noun: 'transfer',
};

export function createSqlTransferRepository(options: SqlTransferRepositoryOptions): SqlTransferRepository {
  const { db } = options;
  const records = processRecords<TransferProcess, TransferChange>(db, TRANSFER_TABLE, options.onCommit);
  return {
    get: records.get,
    findByCounterpartyPid: records.findByCounterpartyPid,
    async countByAgreement(agreementId) {
      const row = await db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM transfer_process WHERE agreement_id = ? AND (started = 1 OR state = 'REQUESTED')`,
        [agreementId],
      );
      return Number(row?.n ?? 0);
    },
    commit: records.commit,
    outboxEntrySent: records.outboxEntrySent,
    list: records.list,
  };
}
