/**
 * Opens throw-away databases for tests, one of each dialect: SQLite in a fresh temporary
 * directory, Postgres in a fresh schema of `TEST_DATABASE_URL` (CI sets it; the default is
 * the server this machine runs) so runs never collide. Postgres is required: when the server
 * is unreachable, opening fails and so does the suite — it is never skipped.
 * Other capabilities' repository tests can use `testDialects` with `describe.each`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/store/index.js';

export const postgresTestUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  db: Database;
  /** Where to reopen the same database (e.g. from a child process). */
  url: string;
  schema?: string;
  /** Closes the database and deletes its file or schema. */
  dispose(): Promise<void>;
}

/**
 * `synchronous=NORMAL`: a throw-away file needs no durability against power loss, and skipping
 * the fsync per commit keeps the suites fast on a shared machine. WAL keeps it crash-safe for
 * a killed process, which the audit crash test relies on. The default (FULL) is tested in
 * sqlite.test.ts.
 */
export async function openTestSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'sov-store-'));
  const url = `file:${join(dir, 'connector.db')}`;
  const db = await openDatabase(url, { synchronous: 'normal', detectNestedUse: true });
  return {
    db,
    url,
    dispose: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openTestPostgres(): Promise<TestDatabase> {
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase(postgresTestUrl, { schema, detectNestedUse: true });
  return {
    db,
    url: postgresTestUrl,
    schema,
    dispose: async () => {
      await db.run(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  };
}

export const testDialects: ReadonlyArray<{ dialect: 'sqlite' | 'postgres'; open: () => Promise<TestDatabase> }> = [
  { dialect: 'sqlite', open: openTestSqlite },
  { dialect: 'postgres', open: openTestPostgres },
];
