import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, sqlitePath } from '../../src/store/index.js';
import { describeDatabaseContract } from './database.contract.js';
import { openTestSqlite } from './test-databases.js';

describe('SQLite adapter', () => {
  describeDatabaseContract(openTestSqlite);

  it('opens in WAL mode with foreign keys, a busy timeout and durable commits by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sov-pragmas-'));
    const db = await openDatabase(`file:${join(dir, 'connector.db')}`);
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    // FULL durability is NORMAL plus the adapter's own WAL fsync per commit (sqlite-group-commit.test.ts).
    expect(await db.get('PRAGMA synchronous')).toEqual({ synchronous: 1 });
    await db.run('CREATE TABLE durable (k TEXT)');
    await db.transaction((tx) => tx.run('INSERT INTO durable (k) VALUES (?)', ['flushed']));
    expect(await db.get('PRAGMA busy_timeout')).toEqual({ timeout: 5000 });
    await db.close();
    const relaxed = await openDatabase(`file:${join(dir, 'scratch.db')}`, { synchronous: 'normal' });
    expect(await relaxed.get('PRAGMA synchronous')).toEqual({ synchronous: 1 });
    await relaxed.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps committed data across close and reopen of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sov-reopen-'));
    const url = `file:${join(dir, 'nested', 'connector.db')}`;
    const first = await openDatabase(url);
    await first.migrate([{ capability: 't', version: 1, sql: 'CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)' }]);
    await first.transaction((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', ['a', 'b']));
    await first.close();
    const second = await openDatabase(url);
    expect(await second.all('SELECT k, v FROM kv')).toEqual([{ k: 'a', v: 'b' }]);
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads file URLs and paths, and refuses other URL schemes', () => {
    expect(sqlitePath('file:/var/lib/sov/connector.db')).toBe('/var/lib/sov/connector.db');
    expect(sqlitePath('file:///var/lib/sov/connector.db')).toBe('/var/lib/sov/connector.db');
    expect(sqlitePath('file:data/connector.db')).toBe('data/connector.db');
    expect(sqlitePath('/tmp/x.db')).toBe('/tmp/x.db');
    expect(() => sqlitePath('mysql://host/db')).toThrow(/SOV_STORE_URL_UNSUPPORTED/);
  });
});
