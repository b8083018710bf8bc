/**
 * The provider's data-plane records (capability `dataplane-transfers`): one row per outbound
 * transfer (whole record as JSON), the key-release ledger (count of uses for owner-held
 * offers, and every refusal) and the owner's agreement revocations.
 */
import type { Migration } from '../../../store/index.js';

export const transferMigrations: readonly Migration[] = [
  {
    capability: 'dataplane-transfers',
    version: 1,
    sql: `CREATE TABLE dataplane_transfer (
        transfer_id TEXT PRIMARY KEY,
        agreement_id TEXT NOT NULL,
        consumer_did TEXT NOT NULL,
        container_digest TEXT NOT NULL,
        status TEXT NOT NULL,
        document TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX dataplane_transfer_delivered ON dataplane_transfer (agreement_id, consumer_did, container_digest);
      CREATE TABLE dataplane_key_release (
        id {{autoincrement}},
        agreement_id TEXT NOT NULL,
        transfer_id TEXT NOT NULL,
        consumer_did TEXT NOT NULL,
        purpose TEXT,
        outcome TEXT NOT NULL,
        code TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX dataplane_key_release_agreement ON dataplane_key_release (agreement_id, outcome);
      CREATE TABLE dataplane_revocation (
        agreement_id TEXT PRIMARY KEY,
        revoked_at TEXT NOT NULL,
        reason TEXT NOT NULL
      )`,
  },
];
