/**
 * The NegotiationRepository port (src/negotiation/ports.ts) on the relational store. The record
 * is stored whole as JSON text; the indexed columns are derived from it on every commit, so
 * they can never disagree with the document (role, counterparty and creation time, which no
 * protocol step changes, on insert only). Reads parse the text, so callers always get fresh
 * objects (the port's "deep copies").
 */
import { fail, type Result } from '../../errors/index.js';
import type { ContractNegotiation, NegotiationChange, NegotiationRepository } from '../../negotiation/index.js';
import type { Database } from '../ports.js';
import { listPage, type ListPage, type ListQuery } from './listing.js';
import { commitVersioned, type CommitHook } from './versioned-commit.js';

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

interface DocumentRow {
  document: string;
}

export function createSqlNegotiationRepository(options: SqlNegotiationRepositoryOptions): SqlNegotiationRepository {
  const { db, onCommit } = options;
  const one = async (where: string, params: string[]): Promise<ContractNegotiation | undefined> => {
    const row = await db.get<DocumentRow>(`SELECT document FROM negotiation WHERE ${where}`, params);
    return row === undefined ? undefined : (JSON.parse(row.document) as ContractNegotiation);
  };
  return {
    get: (id) => one('id = ?', [id]),
    findByCounterpartyPid: (counterpartyDid, pid) => one('counterparty_did = ? AND counterparty_pid = ?', [counterpartyDid, pid]),
    findByAgreementId: (agreementId) => one('agreement_id = ?', [agreementId]),
    commit: (change) =>
      commitVersioned(db, {
        table: 'negotiation',
        id: change.record.id,
        expectedVersion: change.expectedVersion,
        columns: columnsOf(change.record),
        fixed: FIXED_COLUMNS,
        outbox: change.outbox,
        acknowledged: change.acknowledged,
        change,
        hook: onCommit,
        conflict: () =>
          fail('SOV_NEG_CONFLICT', `negotiation ${change.record.id} changed concurrently or already exists`, {
            id: change.record.id,
            expectedVersion: change.expectedVersion,
          }),
      }),
    list: (query = {}) => listPage<ContractNegotiation>(db, 'negotiation', query),
  };
}

/** Set at creation and never changed by the protocol: an update does not rewrite them. */
const FIXED_COLUMNS = ['role', 'counterparty_did', 'created_at'];

function columnsOf(record: ContractNegotiation) {
  const counterpartyPid = record.role === 'provider' ? record.consumerPid : record.providerPid;
  return {
    role: record.role,
    counterparty_did: record.counterpartyDid,
    counterparty_pid: counterpartyPid ?? null,
    state: record.state ?? null,
    agreement_id: record.agreement?.['@id'] ?? null,
    document: JSON.stringify(record),
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
