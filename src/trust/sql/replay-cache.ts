/**
 * The replay cache kept in the connector's store, so a restart does not reopen the window
 * for a captured token (identity.md §7.3). Expired entries are pruned as new ones arrive,
 * which keeps the table bounded by the number of tokens seen within one lifetime.
 */
import type { Clock } from '../../clock/index.js';
import type { Database, Migration } from '../../store/index.js';
import { isUniqueViolation } from '../../store/index.js';
import type { ReplayCache } from '../replay-cache.js';

export const replayCacheMigrations: Migration[] = [
  {
    capability: 'trust-replay',
    version: 1,
    sql: `CREATE TABLE trust_replay (
            issuer TEXT NOT NULL,
            jti TEXT NOT NULL,
            keep_until {{bigint}} NOT NULL,
            PRIMARY KEY (issuer, jti));
          CREATE INDEX trust_replay_keep_until ON trust_replay (keep_until)`,
  },
  {
    // Every authenticated request inserts a row: keyed by its primary key alone (SQLite
    // WITHOUT ROWID), it writes two b-trees (the key, keep_until) instead of three.
    capability: 'trust-replay',
    version: 2,
    sql: `CREATE TABLE trust_replay_by_key (
            issuer TEXT NOT NULL,
            jti TEXT NOT NULL,
            keep_until {{bigint}} NOT NULL,
            PRIMARY KEY (issuer, jti)){{withoutRowid}};
          INSERT INTO trust_replay_by_key (issuer, jti, keep_until) SELECT issuer, jti, keep_until FROM trust_replay;
          DROP TABLE trust_replay;
          ALTER TABLE trust_replay_by_key RENAME TO trust_replay;
          CREATE INDEX trust_replay_by_keep_until ON trust_replay (keep_until)`,
  },
];

/** Prune at most every this many inserts: cheap, and bounded whatever the traffic. */
const PRUNE_EVERY = 256;

export function createSqlReplayCache(db: Database, clock: Clock): ReplayCache {
  let insertsSincePrune = 0;
  return {
    async remember(issuer, jti, keepUntilMs) {
      if (++insertsSincePrune >= PRUNE_EVERY) {
        insertsSincePrune = 0;
        await db.run('DELETE FROM trust_replay WHERE keep_until < ?', [clock.now()]);
      }
      try {
        await db.run('INSERT INTO trust_replay (issuer, jti, keep_until) VALUES (?, ?, ?)', [issuer, jti, Math.ceil(keepUntilMs)]);
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
  };
}
