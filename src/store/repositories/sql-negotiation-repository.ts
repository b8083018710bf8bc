/**
 * The NegotiationRepository port (src/negotiation/ports.ts) on the relational store. The record
 * is stored whole as JSON text; the indexed columns are derived from it on every commit, so
 * they can never disagree with the document (role, counterparty and creation time, which no
 * protocol step changes, on insert only). Reads parse the text, so callers always get fresh
 * objects (the port's "deep copies").
 */
import type { Result } from '../../errors/index.js';
import type { ContractNegotiation, NegotiationChange, NegotiationRepository } from '../../negotiation/index.js';
import type { Database } from '../ports.js';
import type { ListPage, ListQuery } from './listing.js';
import { counterpartyPidOf, processRecords, type ProcessTable } from './process-records.js';
import type { CommitHook } from './versioned-commit.js';

export interface SqlNegotiationRepositoryOptions {
  db: Database;
  /**
   * Runs inside every commit's transaction, after the record and its outbox rows are written:
   * the composition root appends the audit entry of the state change here, so both commit or
   * neither does. Throwing rolls the commit back (and the error propagates).
   */
  onCommit?: CommitHook<NegotiationChange>;
}

/** The port plus what the management API lists. */
export interface SqlNegotiationRepository extends NegotiationRepository {
  /** Newest first; filters by state and counterparty; a bad cursor is SOV_BAD_REQUEST. */
  list(query?: ListQuery): Promise<Result<ListPage<ContractNegotiation>>>;
}

const NEGOTIATION_TABLE: ProcessTable<ContractNegotiation> = {
  name: 'negotiation',
  columnsOf: (record) => ({
    role: record.role,
    counterparty_did: record.counterpartyDid,
    counterparty_pid: counterpartyPidOf(record),
    state: record.state ?? null,
    agreement_id: record.agreement?.['@id'] ?? null,
    document: JSON.stringify(record),
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }),
  conflict: 'SOV_NEG_CONFLICT',
  noun: 'negotiation',
};

export function createSqlNegotiationRepository(options: SqlNegotiationRepositoryOptions): SqlNegotiationRepository {
  const records = processRecords<ContractNegotiation, NegotiationChange>(options.db, NEGOTIATION_TABLE, options.onCommit);
  return {
    get: records.get,
    findByCounterpartyPid: records.findByCounterpartyPid,
    findByAgreementId: (agreementId) => records.find('agreement_id = ?', [agreementId]),
    commit: records.commit,
    outboxEntrySent: records.outboxEntrySent,
    list: records.list,
  };
}
