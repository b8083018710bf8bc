/**
 * The OfferingRepository port (src/offerings/ports.ts) on the relational store, with the same
 * commit as the protocol repositories: row with optimistic versioning plus the `onCommit` hook
 * (the audit entry of the change) in one transaction.
 */
import { fail } from '../../errors/index.js';
import type { Offering, OfferingChange, OfferingRepository } from '../../offerings/index.js';
import type { Database } from '../ports.js';
import { listPage } from './listing.js';
import { commitVersioned, type CommitHook } from './versioned-commit.js';

export interface SqlOfferingRepositoryOptions {
  db: Database;
  /** Runs inside every commit's transaction (e.g. `audit.append(tx, …)`); throwing rolls back. */
  onCommit?: CommitHook<OfferingChange>;
}

export function createSqlOfferingRepository(options: SqlOfferingRepositoryOptions): OfferingRepository {
  const { db, onCommit } = options;
  const one = async (where: string, value: string): Promise<Offering | undefined> => {
    const row = await db.get<{ document: string }>(`SELECT document FROM offering WHERE ${where} = ?`, [value]);
    return row === undefined ? undefined : (JSON.parse(row.document) as Offering);
  };
  return {
    get: (id) => one('id', id),
    findByOfferId: (offerId) => one('offer_id', offerId),
    list: (query = {}) => {
      const { status, ...rest } = query;
      return listPage<Offering>(db, 'offering', status === undefined ? rest : { ...rest, state: status }, 'status');
    },
    commit: (change) => {
      const { offering } = change;
      return commitVersioned(db, {
        table: 'offering',
        id: offering.id,
        expectedVersion: change.expectedVersion,
        columns: {
          offer_id: offering.offerId,
          status: offering.status,
          title: offering.title,
          classification: offering.classification,
          document: JSON.stringify(offering),
          version: offering.version,
          created_at: offering.createdAt,
          updated_at: offering.updatedAt,
        },
        outbox: [],
        change,
        hook: onCommit,
        conflict: () => fail('SOV_OFFERING_CONFLICT', `Offering ${offering.id} already exists or was changed concurrently`, { id: offering.id }),
      });
    },
  };
}
