import { afterEach, describe, expect, it } from 'vitest';
import { auditMigrations } from '../../src/audit/index.js';
import { testDialects, type TestDatabase } from '../store/test-databases.js';

describe.each(testDialects)('audit subject index migration on $dialect', ({ dialect, open }) => {
  let database: TestDatabase;
  afterEach(async () => database.dispose());

  it('moves the subject rows of an existing log into the primary-key-only table', async () => {
    database = await open();
    const { db } = database;
    await db.migrate(auditMigrations.filter((migration) => migration.version === 1));
    await db.run('INSERT INTO audit_subject (subject, seq) VALUES (?, ?), (?, ?), (?, ?)', ['agr-1', 1, 'agr-1', 2, 'neg-1', 2]);
    await db.migrate(auditMigrations);
    expect(await db.all('SELECT subject, seq FROM audit_subject ORDER BY subject, seq')).toEqual([
      { subject: 'agr-1', seq: 1 },
      { subject: 'agr-1', seq: 2 },
      { subject: 'neg-1', seq: 2 },
    ]);
    await expect(db.run('INSERT INTO audit_subject (subject, seq) VALUES (?, ?)', ['agr-1', 2])).rejects.toThrow();
    if (dialect === 'sqlite') {
      const table = await db.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit_subject'`);
      expect(table?.sql).toMatch(/WITHOUT ROWID$/);
    }
  });
});
