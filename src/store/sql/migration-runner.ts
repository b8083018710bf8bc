/**
 * Applies migrations (ports.ts `Database.migrate`): each in its own transaction, recorded in
 * `schema_migrations(capability, version)`, skipped when already recorded, so re-running is a
 * no-op and two processes migrating at once (Postgres) serialise on a transaction lock.
 */
import type { Migration, Transaction } from '../ports.js';
import { renderDdl, type Dialect } from './dialect.js';

/** A transaction that can also run a multi-statement DDL script (adapter-internal). */
export interface ScriptTransaction extends Transaction {
  exec(script: string): Promise<void>;
}

export interface MigrationTarget {
  dialect: Dialect;
  runScriptTransaction<T>(fn: (tx: ScriptTransaction) => Promise<T>): Promise<T>;
}

const lockName = 'schema_migrations';

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  capability TEXT NOT NULL,
  version INTEGER NOT NULL,
  applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (capability, version)
)`;

export async function applyMigrations(target: MigrationTarget, migrations: readonly Migration[]): Promise<void> {
  checkOrder(migrations);
  await target.runScriptTransaction(async (tx) => {
    await tx.lock(lockName);
    await tx.exec(createTable);
  });
  for (const migration of migrations) {
    await target.runScriptTransaction((tx) => applyOne(tx, target.dialect, migration));
  }
}

async function applyOne(tx: ScriptTransaction, dialect: Dialect, migration: Migration): Promise<void> {
  await tx.lock(lockName);
  const applied = await tx.get('SELECT 1 AS applied FROM schema_migrations WHERE capability = ? AND version = ?', [
    migration.capability,
    migration.version,
  ]);
  if (applied !== undefined) return;
  await tx.exec(renderDdl(migration.sql, dialect));
  await tx.run('INSERT INTO schema_migrations (capability, version) VALUES (?, ?)', [migration.capability, migration.version]);
}

/** Versions are positive integers, strictly ascending per capability in list order (a bug otherwise). */
function checkOrder(migrations: readonly Migration[]): void {
  const last = new Map<string, number>();
  for (const { capability, version } of migrations) {
    if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`Migration ${capability} v${version}: version must be a positive integer`);
    const previous = last.get(capability) ?? 0;
    if (version <= previous) throw new RangeError(`Migration ${capability} v${version} listed after v${previous}: list versions in ascending order`);
    last.set(capability, version);
  }
}
