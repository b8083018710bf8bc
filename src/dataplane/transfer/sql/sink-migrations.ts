/**
 * The consumer's push sinks (capability `dataplane-sinks`): one row per sink (whole record as
 * JSON), found by id on every push call and by our transfer id when the transfer ends.
 */
import type { Migration } from '../../../store/index.js';

export const sinkMigrations: readonly Migration[] = [
  {
    capability: 'dataplane-sinks',
    version: 1,
    sql: `CREATE TABLE dataplane_sink (
        sink_id TEXT PRIMARY KEY,
        transfer_id TEXT,
        status TEXT NOT NULL,
        document TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX dataplane_sink_transfer ON dataplane_sink (transfer_id)`,
  },
];
