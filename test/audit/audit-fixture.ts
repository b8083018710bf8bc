/**
 * An audit log on a throw-away database of either dialect, signed by a real file kms (minimum
 * Argon2 cost) and timed by a SimulatedClock. `entries` appends a scripted history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../src/clock/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, verifySignature, type FileKms } from '../../src/kms/index.js';
import { auditMigrations, createStoreAuditLog, kmsAuditSigner, type AuditEntryInput, type CheckpointPolicy, type StoreAuditLog } from '../../src/audit/index.js';
import type { TestDatabase } from '../store/test-databases.js';

export const KEYSTORE_PASSPHRASE = 'audit test passphrase';

export interface AuditFixture extends TestDatabase {
  audit: StoreAuditLog;
  kms: FileKms;
  keystorePath: string;
  clock: SimulatedClock;
}

export async function openAuditFixture(open: () => Promise<TestDatabase>, checkpoints: Partial<CheckpointPolicy> = {}): Promise<AuditFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'sov-audit-'));
  const keystorePath = join(dir, 'keystore.sealed');
  const clock = new SimulatedClock();
  const opened = await createFileKms({ path: keystorePath, passphrase: KEYSTORE_PASSPHRASE, clock, kdf: MINIMUM_KDF_PARAMS });
  if (!opened.ok) throw new Error(opened.detail);
  const kms = opened.value;
  const database = await open();
  await database.db.migrate([...auditMigrations, businessTable]);
  const audit = createStoreAuditLog({ db: database.db, clock, signer: kmsAuditSigner(kms, verifySignature), checkpoints });
  return {
    ...database,
    audit,
    kms,
    keystorePath,
    clock,
    dispose: async () => {
      kms.close();
      await database.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A stand-in for another capability's state (e.g. negotiations) changed with its audit entry. */
export const businessTable = { capability: 'audit-test', version: 1, sql: 'CREATE TABLE agreement (id TEXT PRIMARY KEY, state TEXT NOT NULL)' };

export function sampleEntry(index: number): AuditEntryInput {
  return {
    actor: index % 2 === 0 ? 'did:web:127.0.0.1%3A8443:ca' : 'admin:alice',
    type: index % 3 === 0 ? 'policy.decision' : 'transfer.state',
    subjects: [`urn:uuid:agreement-${index % 4}`, `urn:uuid:transfer-${index}`],
    digest: `sha256:${index.toString(16).padStart(64, '0')}`,
    details: { state: 'STARTED', index },
  };
}

/** Appends `count` entries, one transaction each, the clock moving a second between them. */
export async function appendEntries(fixture: AuditFixture, count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    fixture.clock.advance(1000);
    await fixture.audit.record(sampleEntry(i));
  }
}
