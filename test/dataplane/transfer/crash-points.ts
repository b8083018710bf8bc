/**
 * Crash points for recovery tests: a connector's database throws at one chosen statement, as
 * if the process died there — `before` it runs (nothing of it is stored) or right `after` it
 * committed (it is stored, nothing after it happens). What the disk holds is then exactly what
 * a crash at that step leaves; a test may restart the connector on it (`restartParty`).
 */
import type { Database, SqlValue } from '../../../src/store/index.js';

export type StatementMatch = (sql: string, params: readonly SqlValue[]) => boolean;

/** The next statement `match` selects throws, once; answers whether it has been reached. */
export function crashAt(db: Database, match: StatementMatch, when: 'before' | 'after'): { reached(): boolean } {
  const run = db.run.bind(db);
  let reached = false;
  db.run = async (sql, params = []) => {
    if (reached || !match(sql, params)) return run(sql, params);
    reached = true;
    if (when === 'after') await run(sql, params);
    throw new Error(`crash point: ${when} ${sql.trim().split(/\s+/).slice(0, 3).join(' ')}`);
  };
  return { reached: () => reached };
}

/** A push sink saved with `status` (bound to a transfer when `bound`). */
export function sinkSaved(status: 'open' | 'stored' | 'received' | 'closed', bound = true): StatementMatch {
  return (sql, params) => sql.includes('INTO dataplane_sink') && params[2] === status && (params[1] !== null) === bound;
}
