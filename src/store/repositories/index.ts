/**
 * SQL repositories on the `Database` port (portable SQL, both dialects): the negotiation
 * and transfer repositories and the outbox store of issue 6 "Persistence" (every state change plus its
 * outbound messages and its audit hook in one transaction, optimistic versioning), and the
 * offering repository. Each comes with its migration list; the composition root runs them all
 * once with `db.migrate([...])` (see `repositoryMigrations`).
 */
import type { Migration } from '../ports.js';
import { negotiationMigrations } from './negotiation-migrations.js';
import { offeringMigrations } from './offering-migrations.js';
import { outboxMigrations } from './outbox-migrations.js';
import { transferMigrations } from './transfer-migrations.js';

export { outboxMigrations, negotiationMigrations, transferMigrations, offeringMigrations };
export { insertOutboxEntries, sqlOutboxStore } from './sql-outbox-store.js';
export { createSqlNegotiationRepository, type SqlNegotiationRepository, type SqlNegotiationRepositoryOptions } from './sql-negotiation-repository.js';
export { createSqlTransferRepository, type SqlTransferRepository, type SqlTransferRepositoryOptions, type TransferChange } from './sql-transfer-repository.js';
export { createSqlOfferingRepository, type SqlOfferingRepositoryOptions } from './sql-offering-repository.js';
export type { CommitHook } from './versioned-commit.js';
export type { ListQuery, ListPage } from './listing.js';

/** Every migration of this folder, in the order the composition root should run them. */
export const repositoryMigrations: readonly Migration[] = [
  ...outboxMigrations,
  ...negotiationMigrations,
  ...transferMigrations,
  ...offeringMigrations,
];
