/**
 * What the SQLite adapter's group commit must never break (src/store/sqlite/group-commit.ts):
 * a write is reported done only once it is committed (and, by default, flushed to disk), each
 * transaction of a group stays atomic on its own, a write SQLite loses takes its whole group
 * down loudly, and reads outside a transaction see committed, flushed state only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Libsql from 'libsql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlitePath, type Database } from '../../src/store/index.js';
import { GroupCommitQueue } from '../../src/store/sqlite/group-commit.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-database.js';
import { openTestSqlite, type TestDatabase } from './test-databases.js';

const schema = [
  {
    capability: 'group',
    version: 1,
    sql: `CREATE TABLE item (name TEXT PRIMARY KEY);
          CREATE TABLE child (id TEXT PRIMARY KEY, item TEXT NOT NULL REFERENCES item(name))`,
  },
];

describe('SQLite group commit', () => {
  let handle: TestDatabase;
  let db: Database;
  /** A second connection to the same file: what another process would see. */
  let observer: Libsql.Database;

  const committed = (name: string): boolean => observer.prepare('SELECT 1 AS found FROM item WHERE name = ?').get([name]) !== undefined;
  const stored = async (): Promise<string[]> => (await db.all<{ name: string }>('SELECT name FROM item ORDER BY name')).map((row) => row.name);

  beforeEach(async () => {
    handle = await openTestSqlite();
    db = handle.db;
    await db.migrate(schema);
    observer = new Libsql(sqlitePath(handle.url));
  });
  afterEach(async () => {
    observer.close();
    await handle.dispose();
  });

  it('reports each of many concurrent writes done only once another connection can read it', async () => {
    const seenAtResolve: boolean[] = [];
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const name = `item-${String(i).padStart(2, '0')}`;
        if (i % 2 === 0) await db.transaction((tx) => tx.run('INSERT INTO item (name) VALUES (?)', [name]));
        else await db.run('INSERT INTO item (name) VALUES (?)', [name]);
        seenAtResolve.push(committed(name));
      }),
    );
    expect(seenAtResolve).toHaveLength(60);
    expect(seenAtResolve.every(Boolean)).toBe(true);
  });

  it('rolls back a failing transaction alone while the writes queued with it commit', async () => {
    const boom = new Error('boom');
    const outcomes = await Promise.allSettled([
      db.transaction((tx) => tx.run('INSERT INTO item (name) VALUES (?)', ['before'])),
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO item (name) VALUES (?)', ['half-done']);
        throw boom;
      }),
      db.run('INSERT INTO item (name) VALUES (?)', ['before']),
      db.run('INSERT INTO item (name) VALUES (?), (?)', ['partial', 'before']),
      db.run('INSERT INTO item (name) VALUES (?)', ['after']),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toEqual({ status: 'rejected', reason: boom });
    expect(await stored()).toEqual(['after', 'before']);
  });

  it('fails every write of a group that SQLite rolled back, and stores none of them', async () => {
    const outcomes = await Promise.allSettled([
      db.run('INSERT INTO item (name) VALUES (?)', ['lost-1']),
      db.transaction((tx) => tx.run('INSERT INTO item (name) VALUES (?)', ['lost-2'])),
      // A statement that ends the whole SQLite transaction, as an I/O error or a full disk would.
      db.transaction((tx) => tx.run('ROLLBACK')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/nothing in the group was stored/);
    expect(await stored()).toEqual([]);
    await db.run('INSERT INTO item (name) VALUES (?)', ['later']);
    expect(await stored()).toEqual(['later']);
  });

  it('fails every write of a group whose COMMIT fails', async () => {
    const outcomes = await Promise.allSettled([
      db.run('INSERT INTO item (name) VALUES (?)', ['fine']),
      db.transaction(async (tx) => {
        // A deferred foreign key is only checked at COMMIT: the group's COMMIT fails.
        await tx.run('PRAGMA defer_foreign_keys = ON');
        await tx.run('INSERT INTO child (id, item) VALUES (?, ?)', ['orphan', 'no-such-item']);
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(committed('fine')).toBe(false);
    expect(await stored()).toEqual([]);
  });

  it('answers reads outside transactions from committed state, without waiting for an open one', async () => {
    await db.run('INSERT INTO item (name) VALUES (?)', ['old']);
    let entered: () => void = () => undefined;
    let release: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const open = db.transaction(async (tx) => {
      await tx.run('DELETE FROM item WHERE name = ?', ['old']);
      await tx.run('INSERT INTO item (name) VALUES (?)', ['new']);
      entered();
      await gate;
    });
    await inside;
    expect(await stored()).toEqual(['old']);
    release();
    await open;
    expect(await stored()).toEqual(['new']);
  });

  it('keeps statements working while the compiled-statement cache evicts', async () => {
    // More distinct statements than the cache holds (256), each used again after eviction.
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 300; i += 1) {
        expect(await db.get(`SELECT ? + ${i} AS n`, [round])).toEqual({ n: round + i });
      }
    }
    await expect(db.get('SELECT ? + 0 AS n', [])).rejects.toThrow(/1 placeholder\(s\) but 0/);
  });
});

/** A WAL flush the test holds open or fails, in place of fdatasync. */
function heldFlush() {
  let mode: 'pass' | 'hold' | 'fail' = 'pass';
  let requested: () => void = () => undefined;
  let release: () => void = () => undefined;
  let flushes = 0;
  return {
    flush: async () => {
      flushes += 1;
      if (mode === 'fail') throw new Error('EIO: fdatasync failed');
      if (mode === 'pass') return;
      requested();
      await new Promise<void>((resolve) => (release = resolve));
    },
    /** From now on flushes wait for `release`; resolves when the next one is requested. */
    hold: () => {
      mode = 'hold';
      return new Promise<void>((resolve) => (requested = resolve));
    },
    release: () => {
      mode = 'pass';
      release();
    },
    failFromNowOn: () => (mode = 'fail'),
    count: () => flushes,
  };
}

describe('SQLite durable commits (synchronous: full)', () => {
  let dir: string;
  let db: Database;
  let observer: Libsql.Database;
  let wal: ReturnType<typeof heldFlush>;

  beforeEach(async () => {
    wal = heldFlush();
    dir = mkdtempSync(join(tmpdir(), 'sov-wal-sync-'));
    db = openSqlite({ path: join(dir, 'connector.db'), flushWal: wal.flush });
    await db.migrate(schema);
    observer = new Libsql(join(dir, 'connector.db'));
  });
  afterEach(async () => {
    observer.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles a write, and any read that saw it, only after the WAL flush covering it', async () => {
    expect(wal.count()).toBeGreaterThan(0);
    const requested = wal.hold();
    const settled: string[] = [];
    const write = db.run('INSERT INTO item (name) VALUES (?)', ['x']).then(() => settled.push('write'));
    await requested;
    // Committed (another connection sees it) but not yet on disk: nobody has been told.
    expect(observer.prepare('SELECT name FROM item').all([])).toEqual([{ name: 'x' }]);
    const read = db.get<{ name: string }>('SELECT name FROM item').then((row) => settled.push(`read ${row?.name}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual([]);
    wal.release();
    await Promise.all([write, read]);
    expect(settled.sort()).toEqual(['read x', 'write']);
  });

  it('fails the writes a failed flush covered, and every later one', async () => {
    wal.failFromNowOn();
    await expect(db.run('INSERT INTO item (name) VALUES (?)', ['maybe-lost'])).rejects.toThrow(/EIO/);
    await expect(db.transaction((tx) => tx.run('INSERT INTO item (name) VALUES (?)', ['later']))).rejects.toThrow(/EIO/);
    await expect(db.get('SELECT name FROM item')).rejects.toThrow(/EIO/);
  });
});

describe('SQLite group commit: when a group closes', () => {
  /** A connection that only logs: what the queue asks of SQLite. */
  function loggingConnection() {
    const log: string[] = [];
    let open = false;
    return {
      log,
      connection: {
        exec(sql: string) {
          log.push(sql.split(' ')[0]!);
          if (sql === 'BEGIN IMMEDIATE') open = true;
          if (sql === 'COMMIT') open = false;
        },
        get inTransaction() {
          return open;
        },
      },
    };
  }

  it('closes a group after maxGroupMs while writers keep coming, so answers leave during a burst', async () => {
    const { log, connection } = loggingConnection();
    let now = 0;
    const queue = new GroupCommitQueue(connection, { maxGroupMs: 5, now: () => now });
    // Each write takes 2 ms: a group holds the writes begun before 5 ms had passed.
    const committedWith: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        queue
          .write(() => {
            now += 2;
            return i;
          })
          .then(() => committedWith.push(log.filter((entry) => entry === 'COMMIT').length)),
      ),
    );
    expect(log.filter((entry) => entry === 'COMMIT')).toHaveLength(4);
    expect(committedWith).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4]);
  });

  it('keeps a group open for every waiting writer when no time bound is near, up to maxGroup', async () => {
    const { log, connection } = loggingConnection();
    const queue = new GroupCommitQueue(connection, { maxGroup: 4, maxGroupMs: 1_000, now: () => 0 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.write(() => i)));
    expect(log.filter((entry) => entry === 'COMMIT')).toHaveLength(3);
    expect(log.filter((entry) => entry === 'SAVEPOINT')).toHaveLength(10);
  });
});
