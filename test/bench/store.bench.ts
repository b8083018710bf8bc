/**
 * Store and audit throughput on this machine: single-row commits on SQLite (synchronous=FULL,
 * the adapter's setting, against NORMAL for comparison) and Postgres, a 20k-row batch, and
 * audit appends (each its own transaction, checkpoint every 100) and verification.
 * Targets are what the connector needs with headroom: its events come at human and protocol
 * pace (tens per second), so 200 audit appends/s and 10,000 verified entries/s are plenty.
 */
import { performance } from 'node:perf_hooks';
import { SimulatedClock } from '../../src/clock/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, verifySignature } from '../../src/kms/index.js';
import { auditMigrations, createStoreAuditLog, kmsAuditSigner } from '../../src/audit/index.js';
import type { Database } from '../../src/store/index.js';
import { openTestPostgres, openTestSqlite, type TestDatabase } from '../store/test-databases.js';

const TARGET_APPENDS_PER_S = 200;
const TARGET_VERIFIED_PER_S = 10_000;

async function timed(label: string, count: number, work: () => Promise<void>, target?: number): Promise<void> {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const rate = count / seconds;
  const ratio = target === undefined ? '' : `  (${(rate / target).toFixed(1)}× target ${target}/s)`;
  console.log(`${label.padEnd(48)} ${rate.toFixed(0).padStart(8)}/s  ${(seconds * 1000).toFixed(0)} ms for ${count}${ratio}`);
}

async function commits(db: Database, label: string, count: number): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS bench (id TEXT PRIMARY KEY)');
  await timed(label, count, async () => {
    for (let i = 0; i < count; i += 1) await db.transaction((tx) => tx.run('INSERT INTO bench (id) VALUES (?)', [`${label}-${i}`]));
  });
}

async function batch(db: Database, label: string): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS bench_batch (id TEXT PRIMARY KEY, n INTEGER)');
  await timed(label, 20_000, () =>
    db.transaction(async (tx) => {
      for (let i = 0; i < 20_000; i += 1) await tx.run('INSERT INTO bench_batch (id, n) VALUES (?, ?)', [`row-${i}`, i]);
    }),
  );
}

async function auditFigures(handle: TestDatabase, dialect: string, kms: Parameters<typeof kmsAuditSigner>[0]): Promise<void> {
  await handle.db.migrate(auditMigrations);
  const clock = new SimulatedClock();
  const audit = createStoreAuditLog({ db: handle.db, clock, signer: kmsAuditSigner(kms, verifySignature) });
  const count = 2000;
  await timed(`${dialect}: audit appends (own tx each)`, count, async () => {
    for (let i = 0; i < count; i += 1) {
      clock.advance(10);
      await audit.record({ actor: 'admin:bench', type: 'transfer.state', subjects: [`t-${i}`], details: { i } });
    }
  }, TARGET_APPENDS_PER_S);
  await timed(`${dialect}: audit appends, 1000 concurrent callers`, 1000, async () => {
    await Promise.all(Array.from({ length: 1000 }, (_, i) => audit.record({ actor: 'admin:bench', type: 'transfer.state', subjects: [`c-${i}`] })));
  }, TARGET_APPENDS_PER_S);
  await timed(`${dialect}: verify`, count + 1000, async () => {
    const result = await audit.verify();
    if (!result.verified) throw new Error('bench log did not verify');
  }, TARGET_VERIFIED_PER_S);
}

export default async function bench(): Promise<void> {
  const kmsResult = await createFileKms({ path: `/tmp/sov-bench-${process.pid}/keystore.sealed`, passphrase: 'bench', clock: new SimulatedClock(), kdf: MINIMUM_KDF_PARAMS });
  if (!kmsResult.ok) throw new Error(kmsResult.detail);
  const sqlite = await openTestSqlite();
  await commits(sqlite.db, 'sqlite: 1-row commits, synchronous=FULL', 500);
  await sqlite.db.run('PRAGMA synchronous = NORMAL');
  await commits(sqlite.db, 'sqlite: 1-row commits, synchronous=NORMAL', 500);
  await sqlite.db.run('PRAGMA synchronous = FULL');
  await batch(sqlite.db, 'sqlite: 20k inserts in one transaction');
  await auditFigures(sqlite, 'sqlite', kmsResult.value);
  await sqlite.dispose();

  const postgres = await openTestPostgres();
  await commits(postgres.db, 'postgres: 1-row commits', 500);
  await batch(postgres.db, 'postgres: 20k inserts in one transaction');
  await auditFigures(postgres, 'postgres', kmsResult.value);
  await postgres.dispose();
  kmsResult.value.close();
}
