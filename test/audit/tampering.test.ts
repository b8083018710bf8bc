/**
 * An attacker with write access to the database edits the audit tables directly with SQL;
 * `verify()` must notice and name the first bad entry (issue 5 "Tests").
 * The fixture log: 10 entries, checkpoints at 1, 5 and 9 (every 4 entries).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, type AuditRecord } from '../../src/audit/index.js';
import type { SqlExecutor } from '../../src/store/index.js';
import { testDialects } from '../store/test-databases.js';
import { appendEntries, openAuditFixture, sampleEntry, type AuditFixture } from './audit-fixture.js';

interface Row {
  seq: number;
  time: string;
  actor: string;
  type: string;
  subjects: string;
  digest: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const record = (row: Row): AuditRecord => ({ ...row, prevHash: row.prev_hash });

async function entry(db: SqlExecutor, seq: number): Promise<Row> {
  const row = await db.get<Row>('SELECT * FROM audit_entry WHERE seq = ?', [seq]);
  if (row === undefined) throw new Error(`no entry ${seq}`);
  return row;
}

/** Moves entries with seq >= from up by one, leaving a hole at `from`. */
async function shiftUp(db: SqlExecutor, from: number): Promise<void> {
  await db.run('UPDATE audit_entry SET seq = -(seq + 1) WHERE seq >= ?', [from]);
  await db.run('UPDATE audit_entry SET seq = -seq WHERE seq < 0');
}

/** A well-formed entry (correct link and hash) inserted by the attacker. */
async function insertForged(db: SqlExecutor, seq: number, prevHash: string): Promise<string> {
  const forged = { seq, time: '2026-01-01T00:00:05.500Z', actor: 'admin:mallory', type: 'key.released', subjects: '[]', digest: null, details: '{}', prevHash };
  const hash = entryHash(forged);
  await db.run('INSERT INTO audit_entry (seq, time, actor, type, subjects, digest, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    ...Object.values(forged),
    hash,
  ] as never);
  return hash;
}

describe.each(testDialects)('audit tampering on $dialect', ({ open }) => {
  let fixture: AuditFixture;
  let db: SqlExecutor;

  beforeEach(async () => {
    fixture = await openAuditFixture(open, { everyEntries: 4 });
    db = fixture.db;
    await appendEntries(fixture, 10);
  });
  afterEach(async () => fixture.dispose());

  const firstProblem = async (): Promise<unknown> => {
    const verification = await fixture.audit.verify();
    expect(verification.verified).toBe(false);
    return verification.firstProblem;
  };

  it('verifies the untouched log, signed through the last checkpoint', async () => {
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, entries: 10, checkpoints: 3, signedThrough: 9, problems: [] });
  });

  it('detects a changed field', async () => {
    await db.run("UPDATE audit_entry SET details = '{\"index\":3,\"state\":\"DENIED\"}' WHERE seq = 3");
    expect(await firstProblem()).toMatchObject({ seq: 3, kind: 'entry-altered' });
  });

  it('detects a changed field whose hash was recomputed: the next entry no longer links', async () => {
    const row = await entry(db, 3);
    const changed = { ...record(row), actor: 'admin:mallory' };
    await db.run('UPDATE audit_entry SET actor = ?, hash = ? WHERE seq = 3', [changed.actor, entryHash(changed)]);
    expect(await firstProblem()).toMatchObject({ seq: 4, kind: 'chain-broken' });
  });

  it('detects a removed entry', async () => {
    await db.run('DELETE FROM audit_entry WHERE seq = 6');
    expect(await firstProblem()).toMatchObject({ seq: 6, kind: 'entry-missing' });
    expect((await fixture.audit.verify()).signedThrough).toBe(5);
  });

  it('detects an inserted entry, even a well-formed one', async () => {
    await shiftUp(db, 6);
    await insertForged(db, 6, (await entry(db, 5)).hash);
    const verification = await fixture.audit.verify();
    expect(verification.firstProblem?.seq).toBe(7);
    expect(verification.problems.map((p) => `${p.seq} ${p.kind}`)).toEqual(['7 chain-broken', '7 entry-altered', '8 entry-altered', '9 entry-altered', '9 checkpoint-mismatch', '10 entry-altered', '11 entry-altered']);
  });

  it('detects two swapped entries', async () => {
    await db.run('UPDATE audit_entry SET seq = -1 WHERE seq = 3');
    await db.run('UPDATE audit_entry SET seq = 3 WHERE seq = 4');
    await db.run('UPDATE audit_entry SET seq = 4 WHERE seq = -1');
    const verification = await fixture.audit.verify();
    expect(verification.firstProblem?.seq).toBe(3);
    expect(verification.problems.filter((p) => p.seq === 3).map((p) => p.kind).sort()).toEqual(['chain-broken', 'entry-altered']);
  });

  it('detects truncation of the tail back past a checkpoint', async () => {
    await db.run('DELETE FROM audit_entry WHERE seq >= 8');
    expect(await firstProblem()).toMatchObject({ seq: 8, kind: 'log-truncated' });
  });

  it('detects a forged checkpoint signature', async () => {
    const forged = (await fixture.kms.sign(new TextEncoder().encode('something else'))).signature;
    await db.run('UPDATE audit_checkpoint SET signature = ? WHERE seq = 5', [forged]);
    expect(await firstProblem()).toMatchObject({ seq: 5, kind: 'checkpoint-signature-invalid' });
  });

  it('detects a checkpoint naming a key the kms does not hold', async () => {
    await db.run("UPDATE audit_checkpoint SET key_id = 'sig-mallory' WHERE seq = 9");
    expect(await firstProblem()).toMatchObject({ seq: 9, kind: 'checkpoint-signature-invalid' });
  });

  it('detects a rewritten history whose chain and checkpoint heads were recomputed', async () => {
    let prevHash = (await entry(db, 2)).hash;
    for (let seq = 3; seq <= 10; seq += 1) {
      const rewritten = { ...record(await entry(db, seq)), prevHash, ...(seq === 3 ? { actor: 'admin:mallory' } : {}) };
      prevHash = entryHash(rewritten);
      await db.run('UPDATE audit_entry SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?', [rewritten.actor, rewritten.prevHash, prevHash, seq]);
      await db.run('UPDATE audit_checkpoint SET head_hash = ? WHERE seq = ?', [prevHash, seq]);
    }
    const verification = await fixture.audit.verify();
    expect(verification).toMatchObject({ verified: false, signedThrough: 1, firstProblem: { seq: 5, kind: 'checkpoint-signature-invalid' } });
  });

  it('detects a checkpoint whose entry was replaced without touching the checkpoint', async () => {
    await db.run('DELETE FROM audit_entry WHERE seq >= 9');
    await insertForged(db, 9, (await entry(db, 8)).hash);
    expect(await firstProblem()).toMatchObject({ seq: 9, kind: 'checkpoint-mismatch' });
  });

  it('appending after a detected problem does not hide it', async () => {
    await db.run('DELETE FROM audit_entry WHERE seq = 2');
    await fixture.audit.record(sampleEntry(11));
    expect(await firstProblem()).toMatchObject({ seq: 2, kind: 'entry-missing' });
  });
});
