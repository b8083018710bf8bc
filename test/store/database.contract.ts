/**
 * The contract every `Database` adapter honours (conventions §9): the same tests run against
 * SQLite (sqlite.test.ts) and Postgres (postgres.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { isUniqueViolation, type Database, type Migration } from '../../src/store/index.js';
import type { TestDatabase } from './test-databases.js';

const itemsV1: Migration = {
  capability: 'contract',
  version: 1,
  sql: `CREATE TABLE item (
      id {{autoincrement}},
      name TEXT NOT NULL UNIQUE,
      amount {{bigint}},
      ratio REAL,
      payload {{blob}}
    );
    CREATE TABLE counter (name TEXT PRIMARY KEY, n {{bigint}} NOT NULL);
    CREATE TABLE child (id TEXT PRIMARY KEY, item_id {{bigint}} NOT NULL REFERENCES item(id))`,
};

export function describeDatabaseContract(open: () => Promise<TestDatabase>): void {
  let handle: TestDatabase;
  let db: Database;

  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    await db.migrate([itemsV1]);
  });
  afterEach(async () => handle.dispose());

  const names = async (): Promise<string[]> =>
    (await db.all<{ name: string }>('SELECT name FROM item ORDER BY name')).map((row) => row.name);

  describe('statements', () => {
    it('inserts, reads, updates and deletes rows, reporting changed-row counts', async () => {
      expect(await db.run('INSERT INTO item (name, amount) VALUES (?, ?), (?, ?)', ['a', 1, 'b', 2])).toEqual({ changes: 2 });
      expect(await db.get('SELECT name, amount FROM item WHERE name = ?', ['a'])).toEqual({ name: 'a', amount: 1 });
      expect(await db.get('SELECT name FROM item WHERE name = ?', ['missing'])).toBeUndefined();
      expect(await db.run('UPDATE item SET amount = amount + ? WHERE amount >= ?', [10, 1])).toEqual({ changes: 2 });
      expect(await db.all('SELECT amount FROM item ORDER BY amount')).toEqual([{ amount: 11 }, { amount: 12 }]);
      expect(await db.run('DELETE FROM item WHERE name = ?', ['a'])).toEqual({ changes: 1 });
      expect(await names()).toEqual(['b']);
    });

    it('returns generated ids with INSERT … RETURNING', async () => {
      const first = await db.get<{ id: number }>('INSERT INTO item (name) VALUES (?) RETURNING id', ['x']);
      const second = await db.get<{ id: number }>('INSERT INTO item (name) VALUES (?) RETURNING id', ['y']);
      expect(typeof first?.id).toBe('number');
      expect(second?.id).toBeGreaterThan(first?.id ?? Infinity);
    });

    it('round-trips every value type with the same JavaScript types on both dialects', async () => {
      const blob = new Uint8Array(randomBytes(65_536));
      const big = 2n ** 62n + 7n;
      await db.run('INSERT INTO item (name, amount, ratio, payload) VALUES (?, ?, ?, ?)', ['ünï ✓ "q"', big, 0.25, blob]);
      await db.run('INSERT INTO item (name, amount, ratio, payload) VALUES (?, ?, ?, ?)', ['empty', 42, null, new Uint8Array(0)]);
      const rows = await db.all('SELECT name, amount, ratio, payload FROM item ORDER BY id');
      expect(rows).toEqual([
        { name: 'ünï ✓ "q"', amount: big, ratio: 0.25, payload: blob },
        { name: 'empty', amount: 42, ratio: null, payload: new Uint8Array(0) },
      ]);
      expect(rows[0]?.['payload']).toBeInstanceOf(Uint8Array);
      expect(await db.get('SELECT COUNT(*) AS n FROM item')).toEqual({ n: 2 });
    });

    it('treats ? inside string literals and comments as text, not placeholders', async () => {
      expect(await db.get("SELECT 'why?' AS q, ? AS p /* or? */", ['yes'])).toEqual({ q: 'why?', p: 'yes' });
    });

    it('rejects misuse before it reaches the driver', async () => {
      await expect(db.get('SELECT ? AS a', [])).rejects.toThrow(/1 placeholder\(s\) but 0/);
      await expect(db.run('INSERT INTO item (name) VALUES (?)', [true as unknown as string])).rejects.toThrow(TypeError);
      await expect(db.run('INSERT INTO item (name) VALUES (?)', [undefined as unknown as string])).rejects.toThrow(TypeError);
    });

    it('enforces foreign keys', async () => {
      await expect(db.run('INSERT INTO child (id, item_id) VALUES (?, ?)', ['c', 999])).rejects.toThrow();
    });
  });

  describe('unique violations', () => {
    it('are recognisable with isUniqueViolation, and other errors are not', async () => {
      await db.run('INSERT INTO item (name) VALUES (?)', ['dup']);
      const duplicate = await db.run('INSERT INTO item (name) VALUES (?)', ['dup']).catch((error: unknown) => error);
      expect(isUniqueViolation(duplicate)).toBe(true);
      const notNull = await db.run('INSERT INTO item (name) VALUES (?)', [null]).catch((error: unknown) => error);
      expect(notNull).toBeInstanceOf(Error);
      expect(isUniqueViolation(notNull)).toBe(false);
      const primaryKey = await db.run('INSERT INTO counter (name, n) VALUES (?, 0), (?, 0)', ['k', 'k']).catch((error: unknown) => error);
      expect(isUniqueViolation(primaryKey)).toBe(true);
    });
  });

  describe('transactions', () => {
    it('commits when the callback resolves and returns its value', async () => {
      const value = await db.transaction(async (tx) => {
        await tx.run('INSERT INTO item (name) VALUES (?)', ['one']);
        await tx.run('INSERT INTO item (name) VALUES (?)', ['two']);
        return (await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM item'))?.n;
      });
      expect(value).toBe(2);
      expect(await names()).toEqual(['one', 'two']);
    });

    it('rolls back everything and rethrows the same error when the callback throws', async () => {
      const boom = new Error('boom');
      await expect(
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO item (name) VALUES (?)', ['ghost']);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await names()).toEqual([]);
    });

    it('runs 100 concurrent increment transactions to exactly 100', async () => {
      await db.run('INSERT INTO counter (name, n) VALUES (?, 0)', ['atomic']);
      await Promise.all(
        Array.from({ length: 100 }, () => db.transaction((tx) => tx.run('UPDATE counter SET n = n + 1 WHERE name = ?', ['atomic']))),
      );
      expect(await db.get('SELECT n FROM counter WHERE name = ?', ['atomic'])).toEqual({ n: 100 });
    });

    it('serialises read-then-write transactions that take the same lock', async () => {
      await db.run('INSERT INTO counter (name, n) VALUES (?, 0)', ['locked']);
      const increment = (): Promise<void> =>
        db.transaction(async (tx) => {
          await tx.lock('counter:locked');
          const row = await tx.get<{ n: number }>('SELECT n FROM counter WHERE name = ?', ['locked']);
          await tx.run('UPDATE counter SET n = ? WHERE name = ?', [(row?.n ?? 0) + 1, 'locked']);
        });
      await Promise.all(Array.from({ length: 50 }, increment));
      expect(await db.get('SELECT n FROM counter WHERE name = ?', ['locked'])).toEqual({ n: 50 });
    });

    it('never lets a statement issued outside a transaction become part of it', async () => {
      let enter: () => void = () => undefined;
      let leave: () => void = () => undefined;
      const entered = new Promise<void>((resolve) => (enter = resolve));
      const gate = new Promise<void>((resolve) => (leave = resolve));
      const failing = db.transaction(async (tx) => {
        await tx.run('INSERT INTO item (name) VALUES (?)', ['inner']);
        enter();
        await gate;
        throw new Error('abort');
      });
      await entered;
      const outside = db.run('INSERT INTO item (name) VALUES (?)', ['outer']);
      leave();
      await expect(failing).rejects.toThrow('abort');
      await outside;
      expect(await names()).toEqual(['outer']);
    });

    it('throws when the database itself is used inside its own transaction, or tx after it ended', async () => {
      await expect(db.transaction(() => db.get('SELECT 1 AS one'))).rejects.toThrow(/use the `tx` argument/);
      await expect(db.transaction(() => db.transaction(async () => 1))).rejects.toThrow(/use the `tx` argument/);
      let leaked: { run: (sql: string) => Promise<unknown> } | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked?.run('DELETE FROM item')).rejects.toThrow(/after its transaction ended/);
    });

    it('stores a large batch in one transaction', async () => {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 3000; i += 1) await tx.run('INSERT INTO item (name, amount) VALUES (?, ?)', [`item-${i}`, i]);
      });
      expect(await db.get('SELECT COUNT(*) AS n, SUM(amount) AS total FROM item')).toEqual({ n: 3000, total: (2999 * 3000) / 2 });
    });
  });

  describe('migrations', () => {
    const v2: Migration = { capability: 'contract', version: 2, sql: 'ALTER TABLE item ADD COLUMN note TEXT' };

    it('applies each migration once; re-running the list is a no-op that keeps data', async () => {
      await db.run('INSERT INTO item (name) VALUES (?)', ['kept']);
      await db.migrate([itemsV1, v2]);
      await db.migrate([itemsV1, v2]);
      await db.run('UPDATE item SET note = ? WHERE name = ?', ['hello', 'kept']);
      expect(await db.all('SELECT name, note FROM item')).toEqual([{ name: 'kept', note: 'hello' }]);
      expect(await db.all("SELECT version FROM schema_migrations WHERE capability = 'contract' ORDER BY version")).toEqual([
        { version: 1 },
        { version: 2 },
      ]);
    });

    it('rolls back a failing migration whole and records nothing for it', async () => {
      const broken: Migration = { capability: 'contract', version: 2, sql: 'CREATE TABLE half (id TEXT); CREATE TABLE item (id TEXT)' };
      await expect(db.migrate([itemsV1, broken])).rejects.toThrow();
      await expect(db.get('SELECT COUNT(*) AS n FROM half')).rejects.toThrow();
      expect(await db.get("SELECT COUNT(*) AS n FROM schema_migrations WHERE capability = 'contract'")).toEqual({ n: 1 });
    });

    it('keeps versions per capability and refuses a list out of order', async () => {
      await db.migrate([{ capability: 'other', version: 1, sql: 'CREATE TABLE other_thing (id TEXT PRIMARY KEY)' }]);
      expect(await db.get("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 1")).toEqual({ n: 2 });
      await expect(db.migrate([v2, itemsV1])).rejects.toThrow(/ascending/);
      await expect(db.migrate([{ capability: 'x', version: 0, sql: 'SELECT 1' }])).rejects.toThrow(/positive/);
    });

    it('runs concurrent migrate calls without applying anything twice', async () => {
      await Promise.all([db.migrate([itemsV1, v2]), db.migrate([itemsV1, v2])]);
      expect(await db.get("SELECT COUNT(*) AS n FROM schema_migrations WHERE capability = 'contract'")).toEqual({ n: 2 });
    });
  });
}
