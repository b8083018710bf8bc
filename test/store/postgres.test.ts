import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { describeDatabaseContract } from './database.contract.js';
import { openTestPostgres, postgresTestUrl } from './test-databases.js';

// Runs against TEST_DATABASE_URL (CI starts the server). An unreachable server fails the
// suite in beforeEach: Postgres support is never silently skipped.
describe(`Postgres adapter (${postgresTestUrl})`, () => {
  describeDatabaseContract(openTestPostgres);

  it('isolates each test run in its own schema', async () => {
    const a = await openTestPostgres();
    const b = await openTestPostgres();
    await a.db.run('CREATE TABLE only_in_a (id TEXT)');
    await expect(b.db.get('SELECT COUNT(*) AS n FROM only_in_a')).rejects.toThrow(/does not exist/);
    await a.dispose();
    await b.dispose();
  });

  it('fails fast with SOV_STORE_UNAVAILABLE when the server cannot be reached', async () => {
    await expect(openDatabase('postgres://postgres@127.0.0.1:1/test')).rejects.toThrow(/SOV_STORE_UNAVAILABLE/);
  });
});
