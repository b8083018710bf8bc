/**
 * The privacy-budget ledger (capability `anonymise-budget`): ε spent per agreement and how many
 * queries spent it. DOUBLE PRECISION is a real (8-byte float) on both SQLite and Postgres.
 */
import type { Migration } from '../../store/index.js';

export const privacyBudgetMigrations: readonly Migration[] = [
  {
    capability: 'anonymise-budget',
    version: 1,
    sql: `CREATE TABLE anonymise_privacy_budget (
        agreement_id TEXT PRIMARY KEY,
        spent DOUBLE PRECISION NOT NULL,
        queries INTEGER NOT NULL
      )`,
  },
];
