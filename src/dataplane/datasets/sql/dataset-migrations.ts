/**
 * Dataset records (capability `dataplane-datasets`): the whole record as JSON in `document`,
 * plus the columns it is looked up by.
 */
import type { Migration } from '../../../store/index.js';

export const datasetMigrations: readonly Migration[] = [
  {
    capability: 'dataplane-datasets',
    version: 1,
    sql: `CREATE TABLE dataplane_dataset (
        id TEXT PRIMARY KEY,
        offering_id TEXT NOT NULL,
        origin TEXT NOT NULL,
        status TEXT NOT NULL,
        transfer_id TEXT,
        document TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX dataplane_dataset_offering ON dataplane_dataset (offering_id, origin, created_at);
      CREATE INDEX dataplane_dataset_transfer ON dataplane_dataset (transfer_id)`,
  },
];
