/**
 * Offerings (capability `offering`): the whole record as JSON text in `document`, plus the
 * columns the catalogue and the negotiation look it up by. `offer_id` is unique: one offer id
 * names exactly one offering.
 */
import type { Migration } from '../ports.js';

export const offeringMigrations: readonly Migration[] = [
  {
    capability: 'offering',
    version: 1,
    sql: `CREATE TABLE offering (
        id TEXT PRIMARY KEY,
        offer_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        title TEXT NOT NULL,
        classification TEXT NOT NULL,
        document TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX offering_listing ON offering (status, created_at, id);
      CREATE INDEX offering_created ON offering (created_at, id)`,
  },
];
