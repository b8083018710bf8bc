import { afterEach, describe, expect, it } from 'vitest';
import { createStoreAuditLog, GENESIS_HASH, kmsAuditSigner } from '../../src/audit/index.js';
import { verifySignature } from '../../src/kms/index.js';
import { testDialects } from '../store/test-databases.js';
import { appendEntries, openAuditFixture, sampleEntry, type AuditFixture } from './audit-fixture.js';

describe.each(testDialects)('audit log on $dialect', ({ open }) => {
  let fixture: AuditFixture;
  afterEach(async () => fixture.dispose());

  const checkpointSeqs = async (): Promise<number[]> =>
    (await fixture.db.all<{ seq: number }>('SELECT seq FROM audit_checkpoint ORDER BY seq')).map((row) => row.seq);

  it('chains entries: seq from 1, each linked to the previous hash, time from the injected clock', async () => {
    fixture = await openAuditFixture(open);
    const first = await fixture.audit.record(sampleEntry(1));
    fixture.clock.advance(60_000);
    const second = await fixture.audit.record({ actor: 'admin:bob', type: 'admin.login' });
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, time: '2026-01-01T00:00:00.000Z', type: 'transfer.state' });
    expect(first.details).toEqual({ state: 'STARTED', index: 1 });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, time: '2026-01-01T00:01:00.000Z', subjects: [], digest: null, details: {} });
    expect(second.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, entries: 2, head: { seq: 2, hash: second.hash } });
  });

  it('commits the entry with the state change it records, in the caller’s transaction', async () => {
    fixture = await openAuditFixture(open);
    await fixture.db.transaction(async (tx) => {
      await tx.run('INSERT INTO agreement (id, state) VALUES (?, ?)', ['agr-1', 'FINALIZED']);
      await fixture.audit.append(tx, { actor: 'did:web:uk', type: 'negotiation.state', subjects: ['agr-1'], details: { state: 'FINALIZED' } });
    });
    expect(await fixture.db.get('SELECT state FROM agreement WHERE id = ?', ['agr-1'])).toEqual({ state: 'FINALIZED' });
    expect((await fixture.audit.tail(5)).map((entry) => entry.subjects)).toEqual([['agr-1']]);
  });

  it('leaves neither the state change nor its entry when the transaction throws after appending', async () => {
    fixture = await openAuditFixture(open);
    await appendEntries(fixture, 2);
    await expect(
      fixture.db.transaction(async (tx) => {
        await tx.run('INSERT INTO agreement (id, state) VALUES (?, ?)', ['agr-2', 'FINALIZED']);
        await fixture.audit.append(tx, sampleEntry(3));
        throw new Error('signing the agreement failed');
      }),
    ).rejects.toThrow('signing the agreement failed');
    expect(await fixture.db.get('SELECT COUNT(*) AS n FROM agreement')).toEqual({ n: 0 });
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, entries: 2 });
    expect((await fixture.audit.record(sampleEntry(4))).seq).toBe(3);
  });

  it('does not build on the head or checkpoint of a rolled-back append (the log remembers both between appends)', async () => {
    fixture = await openAuditFixture(open);
    await expect(
      fixture.db.transaction(async (tx) => {
        // Entry 1 is always checkpointed: both the head and the checkpoint roll back here.
        await fixture.audit.append(tx, sampleEntry(1));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const first = await fixture.audit.record(sampleEntry(2));
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(await checkpointSeqs()).toEqual([1]);
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, entries: 1 });
  });

  it('continues the chain another writer extended meanwhile (e.g. another process on the same database)', async () => {
    fixture = await openAuditFixture(open);
    await appendEntries(fixture, 2);
    const other = createStoreAuditLog({ db: fixture.db, clock: fixture.clock, signer: kmsAuditSigner(fixture.kms, verifySignature) });
    await other.record(sampleEntry(3));
    await other.record(sampleEntry(4));
    expect((await fixture.audit.record(sampleEntry(5))).seq).toBe(5);
    expect((await other.record(sampleEntry(6))).seq).toBe(6);
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, entries: 6 });
  });

  it('refuses an invalid entry by throwing, which rolls back the caller’s state change', async () => {
    fixture = await openAuditFixture(open);
    const attempt = fixture.db.transaction(async (tx) => {
      await tx.run('INSERT INTO agreement (id, state) VALUES (?, ?)', ['agr-3', 'FINALIZED']);
      await fixture.audit.append(tx, { actor: 'mallory', type: 'negotiation.state' });
    });
    await expect(attempt).rejects.toThrow(/DID or admin/);
    await expect(fixture.audit.record({ actor: 'admin:x', type: 'no.such.event' as 'admin.login' })).rejects.toThrow();
    expect(await fixture.db.get('SELECT COUNT(*) AS n FROM agreement')).toEqual({ n: 0 });
    expect(await fixture.audit.tail(10)).toEqual([]);
  });

  it('keeps one valid chain under 60 concurrent appenders', async () => {
    fixture = await openAuditFixture(open, { everyEntries: 10 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => fixture.audit.record(sampleEntry(i))));
    const verification = await fixture.audit.verify();
    expect(verification).toMatchObject({ verified: true, entries: 60, signedThrough: 51 });
    expect(await checkpointSeqs()).toEqual([1, 11, 21, 31, 41, 51]);
  });

  it('checkpoints at entry 1, every N entries, after T of silence, and on demand', async () => {
    fixture = await openAuditFixture(open, { everyEntries: 5, everyMs: 10 * 60_000 });
    await appendEntries(fixture, 7);
    expect(await checkpointSeqs()).toEqual([1, 6]);
    fixture.clock.advance(10 * 60_000);
    await appendEntries(fixture, 1);
    expect(await checkpointSeqs()).toEqual([1, 6, 8]);
    await appendEntries(fixture, 1);
    const forced = await fixture.audit.checkpoint();
    expect(forced).toMatchObject({ seq: 9, keyId: fixture.kms.activeSigningKey().keyId });
    expect(await fixture.audit.checkpoint()).toEqual(forced);
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, checkpoints: 4, signedThrough: 9 });
  });

  it('still verifies checkpoints signed before a signing-key rotation', async () => {
    fixture = await openAuditFixture(open, { everyEntries: 2 });
    await appendEntries(fixture, 3);
    const before = fixture.kms.activeSigningKey().keyId;
    const rotated = await fixture.kms.rotate('signing');
    await appendEntries(fixture, 2);
    const keys = await fixture.db.all<{ key_id: string }>('SELECT key_id FROM audit_checkpoint ORDER BY seq');
    expect(keys.map((row) => row.key_id)).toEqual([before, before, rotated.keyId]);
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, signedThrough: 5 });
  });

  it('shows the newest entries with tail, oldest first', async () => {
    fixture = await openAuditFixture(open);
    await appendEntries(fixture, 6);
    expect((await fixture.audit.tail(3)).map((entry) => entry.seq)).toEqual([4, 5, 6]);
    expect((await fixture.audit.tail(50)).length).toBe(6);
  });

  it('searches by type, actor, subject and time, newest first, in pages', async () => {
    fixture = await openAuditFixture(open);
    await appendEntries(fixture, 12);
    const seqs = async (query: Parameters<AuditFixture['audit']['search']>[0]): Promise<number[]> => {
      const page = await fixture.audit.search(query);
      if (!page.ok) throw new Error(page.detail);
      return page.value.entries.map((entry) => entry.seq);
    };
    expect(await seqs({ type: 'policy.decision' })).toEqual([12, 9, 6, 3]);
    expect(await seqs({ actor: 'admin:alice', subject: 'urn:uuid:agreement-1' })).toEqual([9, 5, 1]);
    expect(await seqs({ since: '2026-01-01T00:00:05Z', until: '2026-01-01T00:00:08.000Z' })).toEqual([7, 6, 5]);
    expect(await seqs({ since: '2026-01-02' })).toEqual([]);
    const first = await fixture.audit.search({ limit: 5 });
    expect(first.ok && first.value.nextCursor).toBe('8');
    const second = await fixture.audit.search({ limit: 5, cursor: '8' });
    expect(second.ok && second.value.entries.map((entry) => entry.seq)).toEqual([7, 6, 5, 4, 3]);
    const last = await fixture.audit.search({ limit: 5, cursor: '3' });
    expect(last.ok && last.value).toMatchObject({ entries: [{ seq: 2 }, { seq: 1 }] });
    expect(last.ok && 'nextCursor' in last.value).toBe(false);
  });

  it('refuses an invalid search with SOV_AUDIT_QUERY_INVALID', async () => {
    fixture = await openAuditFixture(open);
    for (const query of [{ type: 'key.lost' }, { since: 'yesterday' }, { limit: 0 }, { cursor: 'abc' }, { colour: 'red' }]) {
      const result = await fixture.audit.search(query as never);
      expect(result).toMatchObject({ ok: false, code: 'SOV_AUDIT_QUERY_INVALID' });
    }
  });
});
