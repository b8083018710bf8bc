import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, verifySignature } from '../../src/kms/index.js';
import { auditMigrations, createStoreAuditLog, kmsAuditSigner } from '../../src/audit/index.js';
import { openDatabase } from '../../src/store/index.js';
import { auditSearch, auditTail, auditVerify, register, type AuditIo } from '../../src/cli/commands/audit.js';
import { sampleEntry } from './audit-fixture.js';

const passphrase = 'cli test passphrase';

/** A connector data directory as the connector leaves it: connector.db and keystore.sealed. */
async function dataDirWithLog(entries: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sov-audit-cli-'));
  const clock = new SimulatedClock();
  const kms = await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase, clock, kdf: MINIMUM_KDF_PARAMS });
  if (!kms.ok) throw new Error(kms.detail);
  const db = await openDatabase(join(dir, 'connector.db'));
  await db.migrate(auditMigrations);
  const audit = createStoreAuditLog({ db, clock, signer: kmsAuditSigner(kms.value, verifySignature), checkpoints: { everyEntries: 2 } });
  for (let i = 1; i <= entries; i += 1) {
    clock.advance(1000);
    await audit.record(sampleEntry(i));
  }
  await db.close();
  kms.value.close();
  return dir;
}

describe('sovc audit', () => {
  let dir: string;
  let printed: string[];
  let io: AuditIo;

  beforeEach(async () => {
    dir = await dataDirWithLog(5);
    printed = [];
    io = { env: { SOVC_KEYSTORE_PASSPHRASE: passphrase }, out: (text) => printed.push(text) };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verify reports a sound log with its signed extent', async () => {
    await auditVerify({ dataDir: dir }, io);
    expect(printed.join('\n')).toBe('audit log verified: 5 entries, 3 checkpoints, signed through entry 5');
  });

  it('verify fails with SOV_AUDIT_CHAIN_BROKEN naming the first bad entry, and prints every problem', async () => {
    const db = await openDatabase(join(dir, 'connector.db'));
    await db.run("UPDATE audit_entry SET actor = 'admin:mallory' WHERE seq = 2");
    await db.close();
    await expect(auditVerify({ dataDir: dir }, io)).rejects.toThrow(/SOV_AUDIT_CHAIN_BROKEN: first bad entry 2 \(entry-altered\)/);
    expect(printed.join('\n')).toContain('entry 2: entry-altered');
  });

  it('verify --json prints the verification as JSON', async () => {
    await auditVerify({ dataDir: dir, json: true }, io);
    expect(JSON.parse(printed.join('\n'))).toMatchObject({ verified: true, entries: 5, signedThrough: 5 });
  });

  it('verify needs the keystore passphrase', async () => {
    await expect(auditVerify({ dataDir: dir }, { ...io, env: {} })).rejects.toThrow(/SOV_KMS_PASSPHRASE_MISSING/);
  });

  it('tail prints the newest entries as a table', async () => {
    await auditTail(2, { dataDir: dir }, io);
    const lines = printed.join('\n').split('\n');
    expect(lines[0]).toMatch(/^SEQ\s+TIME\s+ACTOR\s+TYPE\s+SUBJECTS\s+DETAILS$/);
    expect(lines[1]).toMatch(/^-+(\s+-+)+$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/)[0])).toEqual(['4', '5']);
  });

  it('search filters, pages and refuses a bad date', async () => {
    await auditSearch({ actor: 'admin:alice', limit: 2 }, { dataDir: dir, json: true }, io);
    expect(JSON.parse(printed.join('\n'))).toMatchObject({ entries: [{ seq: 5 }, { seq: 3 }], nextCursor: '3' });
    await expect(auditSearch({ since: 'last tuesday' }, { dataDir: dir }, io)).rejects.toThrow(/SOV_AUDIT_QUERY_INVALID/);
  });

  it('says when there is no database rather than creating one', async () => {
    await expect(auditTail(5, { dataDir: join(dir, 'elsewhere') }, io)).rejects.toThrow(/SOV_NOT_FOUND/);
  });

  it('is wired into the command line with its options', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const program = new Command('sovc').exitOverride();
    register(program);
    await program.parseAsync(['audit', 'search', '--data-dir', dir, '--type', 'policy.decision', '--json'], { from: 'user' });
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject({ entries: [{ seq: 3, type: 'policy.decision' }] });
    log.mockRestore();
  });
});
