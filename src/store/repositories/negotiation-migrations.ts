/**
 * Contract negotiations (capability `negotiation`): the whole record as JSON text in
 * `document`, plus the columns it is looked up and listed by. `counterparty_pid` is the other
 * side's pid (NULL until it is known); (counterparty_did, counterparty_pid) is unique, so a
 * repeated initial request from one peer can never create a second process. Both dialects let
 * a UNIQUE index hold many NULLs.
 */
import type { Migration } from '../ports.js';

export const negotiationMigrations: readonly Migration[] = [
  {
    capability: 'negotiation',
    version: 1,
    sql: `CREATE TABLE negotiation (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        counterparty_did TEXT NOT NULL,
        counterparty_pid TEXT,
        state TEXT,
        agreement_id TEXT,
        document TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX negotiation_counterparty ON negotiation (counterparty_did, counterparty_pid);
      CREATE UNIQUE INDEX negotiation_agreement ON negotiation (agreement_id);
      CREATE INDEX negotiation_listing ON negotiation (created_at, id);
      CREATE INDEX negotiation_state ON negotiation (state, created_at)`,
  },
];
