/**
 * Transfer processes (capability `transfer`): the record as JSON text plus lookup columns,
 * with the same unique (counterparty_did, counterparty_pid) pair as negotiations, so a repeated
 * TransferRequestMessage (dsp.md §6: idempotent per consumerPid) finds the first process.
 * `started` is 1 once the process has reached STARTED (it stays 1): with REQUESTED ones, those
 * are the transfers a count-limited agreement has used.
 */
import type { Migration } from '../ports.js';

export const transferMigrations: readonly Migration[] = [
  {
    capability: 'transfer',
    version: 1,
    sql: `CREATE TABLE transfer_process (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        counterparty_did TEXT NOT NULL,
        counterparty_pid TEXT,
        state TEXT,
        agreement_id TEXT NOT NULL,
        started INTEGER NOT NULL,
        document TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX transfer_counterparty ON transfer_process (counterparty_did, counterparty_pid);
      CREATE INDEX transfer_agreement ON transfer_process (agreement_id, state);
      CREATE INDEX transfer_listing ON transfer_process (created_at, id);
      CREATE INDEX transfer_state ON transfer_process (state, created_at)`,
  },
];
