/**
 * The outbox table (capability `outbox`). Bodies are JSON text; `seq` orders the entries of
 * one process (delivered in order); times are epoch ms so due/lease comparisons are numeric on
 * both dialects. `status` is `pending`, `delivered` or `failed`.
 */
import type { Migration } from '../ports.js';

export const outboxMigrations: readonly Migration[] = [
  {
    capability: 'outbox',
    version: 1,
    sql: `CREATE TABLE outbox_entry (
        seq {{autoincrement}},
        id TEXT NOT NULL UNIQUE,
        process TEXT NOT NULL,
        local_pid TEXT NOT NULL,
        message TEXT NOT NULL,
        url TEXT NOT NULL,
        recipient TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at {{bigint}} NOT NULL,
        lease_token TEXT,
        lease_until {{bigint}},
        last_error TEXT,
        settled_at {{bigint}}
      );
      CREATE INDEX outbox_entry_due ON outbox_entry (status, next_attempt_at);
      CREATE INDEX outbox_entry_process ON outbox_entry (process, local_pid, status, seq)`,
  },
];
