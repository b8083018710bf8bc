/**
 * The NegotiationRepository contract (src/negotiation/ports.ts), run against the SQL adapter on
 * SQLite and on Postgres (conventions §9): lookups, deep copies, optimistic versioning, the
 * unique counterparty pair, outbox rows and the commit hook in the same transaction, and
 * concurrent commits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Transaction } from '../../../src/store/index.js';
import {
  createSqlNegotiationRepository,
  negotiationMigrations,
  outboxMigrations,
  sqlOutboxStore,
  type SqlNegotiationRepository,
} from '../../../src/store/repositories/index.js';
import type { NegotiationChange } from '../../../src/negotiation/index.js';
import { testDialects, type TestDatabase } from '../test-databases.js';
import { negotiation, outboxEntry, PEER } from './fixtures.js';

describe.each(testDialects)('SQL negotiation repository ($dialect)', ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let repo: SqlNegotiationRepository;
  let hookCalls: NegotiationChange[];
  let failHook: boolean;

  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    await db.migrate([...outboxMigrations, ...negotiationMigrations]);
    await db.run('CREATE TABLE change_log (id TEXT NOT NULL, version INTEGER NOT NULL)');
    hookCalls = [];
    failHook = false;
    repo = createSqlNegotiationRepository({
      db,
      onCommit: async (tx: Transaction, change) => {
        await tx.run('INSERT INTO change_log (id, version) VALUES (?, ?)', [change.record.id, change.record.version]);
        hookCalls.push(change);
        if (failHook) throw new Error('audit append failed');
      },
    });
  });
  afterEach(async () => handle.dispose());

  const outboxIds = async () => (await db.all<{ id: string }>('SELECT id FROM outbox_entry ORDER BY seq')).map((row) => row.id);
  const changeLog = async () => db.all('SELECT id, version FROM change_log ORDER BY id, version');

  it('stores a record and finds it by id, counterparty pid and agreement id, as fresh copies', async () => {
    const record = negotiation('urn:uuid:p-1', { agreement: { '@id': 'urn:uuid:agr-1', '@type': 'Agreement', target: 'urn:uuid:dataset-1', assigner: 'did:web:uk.example', assignee: PEER } });
    expect(await repo.commit({ record, expectedVersion: null, outbox: [] })).toEqual({ ok: true, value: undefined });
    const stored = await repo.get('urn:uuid:p-1');
    expect(stored).toEqual(record);
    stored!.offer.permission!.push({ action: 'sell' });
    expect(await repo.get('urn:uuid:p-1')).toEqual(record);
    expect(await repo.findByCounterpartyPid(PEER, 'urn:uuid:consumer-of-urn:uuid:p-1')).toEqual(record);
    expect(await repo.findByCounterpartyPid('did:web:other.example', 'urn:uuid:consumer-of-urn:uuid:p-1')).toBeUndefined();
    expect(await repo.findByCounterpartyPid(PEER, 'urn:uuid:p-1')).toBeUndefined();
    expect(await repo.findByAgreementId('urn:uuid:agr-1')).toEqual(record);
    expect(await repo.findByAgreementId('urn:uuid:agr-2')).toBeUndefined();
    expect(await repo.get('urn:uuid:missing')).toBeUndefined();
  });

  it('looks a consumer-side record up by the provider pid, once it is known', async () => {
    const pending = negotiation('urn:uuid:c-1', { role: 'consumer', consumerPid: 'urn:uuid:c-1', providerPid: undefined, state: undefined });
    await repo.commit({ record: pending, expectedVersion: null, outbox: [] });
    expect(await repo.findByCounterpartyPid(PEER, 'urn:uuid:p-9')).toBeUndefined();
    const acknowledged = { ...pending, providerPid: 'urn:uuid:p-9', state: 'REQUESTED' as const, version: 2 };
    expect((await repo.commit({ record: acknowledged, expectedVersion: 1, outbox: [] })).ok).toBe(true);
    expect(await repo.findByCounterpartyPid(PEER, 'urn:uuid:p-9')).toEqual(acknowledged);
  });

  it('updates only from the version read: a stale commit is SOV_NEG_CONFLICT and writes nothing', async () => {
    const v1 = negotiation('urn:uuid:p-1');
    await repo.commit({ record: v1, expectedVersion: null, outbox: [] });
    const v2 = { ...v1, state: 'AGREED' as const, version: 2 };
    expect((await repo.commit({ record: v2, expectedVersion: 1, outbox: [outboxEntry('urn:uuid:o-1', v1.id)] })).ok).toBe(true);
    const stale = { ...v1, state: 'TERMINATED' as const, version: 2 };
    const refused = await repo.commit({ record: stale, expectedVersion: 1, outbox: [outboxEntry('urn:uuid:o-2', v1.id)] });
    expect(refused).toMatchObject({ ok: false, code: 'SOV_NEG_CONFLICT' });
    expect(await repo.get(v1.id)).toEqual(v2);
    expect(await outboxIds()).toEqual(['urn:uuid:o-1']);
    expect(await changeLog()).toEqual([{ id: v1.id, version: 1 }, { id: v1.id, version: 2 }]);
  });

  it('refuses a duplicate insert (same id, or same counterparty pid pair) with SOV_NEG_CONFLICT', async () => {
    await repo.commit({ record: negotiation('urn:uuid:p-1'), expectedVersion: null, outbox: [] });
    const sameId = await repo.commit({ record: negotiation('urn:uuid:p-1', { consumerPid: 'urn:uuid:other' }), expectedVersion: null, outbox: [outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1')] });
    expect(sameId).toMatchObject({ ok: false, code: 'SOV_NEG_CONFLICT' });
    // The same consumer's initial request delivered twice must not create a second process.
    const samePair = await repo.commit({ record: negotiation('urn:uuid:p-2', { consumerPid: 'urn:uuid:consumer-of-urn:uuid:p-1' }), expectedVersion: null, outbox: [] });
    expect(samePair).toMatchObject({ ok: false, code: 'SOV_NEG_CONFLICT' });
    expect(await repo.get('urn:uuid:p-2')).toBeUndefined();
    expect(await outboxIds()).toEqual([]);
    // Another peer may use the same pid: uniqueness is per counterparty.
    const otherPeer = negotiation('urn:uuid:p-3', { counterpartyDid: 'did:web:au.example', consumerPid: 'urn:uuid:consumer-of-urn:uuid:p-1' });
    expect((await repo.commit({ record: otherPeer, expectedVersion: null, outbox: [] })).ok).toBe(true);
  });

  it('stores the outbox entries with the record, as they were queued', async () => {
    const entry = outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1');
    await repo.commit({ record: negotiation('urn:uuid:p-1'), expectedVersion: null, outbox: [entry, outboxEntry('urn:uuid:o-2', 'urn:uuid:p-1')] });
    const row = await db.get<{ body: string; status: string; attempts: number; next_attempt_at: number }>(
      'SELECT body, status, attempts, next_attempt_at FROM outbox_entry WHERE id = ?',
      ['urn:uuid:o-1'],
    );
    expect({ ...row, body: JSON.parse(row!.body) }).toEqual({ body: entry.body, status: 'pending', attempts: 0, next_attempt_at: Date.parse(entry.createdAt) });
    expect(await outboxIds()).toEqual(['urn:uuid:o-1', 'urn:uuid:o-2']);
  });

  it('marks the acknowledged outbox entry delivered in the commit that records it, and not on a conflict', async () => {
    const v1 = negotiation('urn:uuid:p-1', { state: 'REQUESTED' });
    await repo.commit({ record: v1, expectedVersion: null, outbox: [outboxEntry('urn:uuid:o-1', v1.id), outboxEntry('urn:uuid:o-2', v1.id)] });
    const status = async (id: string) => db.get<{ status: string; settled_at: number | null; lease_token: string | null }>('SELECT status, settled_at, lease_token FROM outbox_entry WHERE id = ?', [id]);
    await db.run(`UPDATE outbox_entry SET lease_token = 'w/1', lease_until = 5 WHERE id = 'urn:uuid:o-1'`);
    const stale = await repo.commit({ record: { ...v1, version: 3 }, expectedVersion: 2, outbox: [], acknowledged: { outboxId: 'urn:uuid:o-1', at: 1_000 } });
    expect(stale.ok).toBe(false);
    expect(await status('urn:uuid:o-1')).toEqual({ status: 'pending', settled_at: null, lease_token: 'w/1' });
    const acknowledged = await repo.commit({ record: { ...v1, state: 'AGREED', version: 2 }, expectedVersion: 1, outbox: [], acknowledged: { outboxId: 'urn:uuid:o-1', at: 1_000 } });
    expect(acknowledged.ok).toBe(true);
    expect(await status('urn:uuid:o-1')).toEqual({ status: 'delivered', settled_at: 1_000, lease_token: null });
    expect(await status('urn:uuid:o-2')).toEqual({ status: 'pending', settled_at: null, lease_token: null });
    // An entry already settled (e.g. given up) keeps its settlement.
    await db.run(`UPDATE outbox_entry SET status = 'failed', settled_at = 7 WHERE id = 'urn:uuid:o-2'`);
    await repo.commit({ record: { ...v1, version: 3 }, expectedVersion: 2, outbox: [], acknowledged: { outboxId: 'urn:uuid:o-2', at: 2_000 } });
    expect(await status('urn:uuid:o-2')).toEqual({ status: 'failed', settled_at: 7, lease_token: null });
  });

  it('says an outbox entry was sent once the worker leased it or it was settled, not while it waits', async () => {
    await repo.commit({ record: negotiation('urn:uuid:p-1'), expectedVersion: null, outbox: [outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'), outboxEntry('urn:uuid:o-2', 'urn:uuid:p-1')] });
    expect(await repo.outboxEntrySent('urn:uuid:o-1')).toBe(false);
    expect(await repo.outboxEntrySent('urn:uuid:missing')).toBe(false);
    const [leased] = await sqlOutboxStore(db).lease({ now: Date.parse('2026-01-01T00:00:01Z'), leaseUntil: Date.parse('2026-01-01T00:01:00Z'), leaseToken: 'w/1', limit: 1 });
    expect(leased?.entry.id).toBe('urn:uuid:o-1');
    expect(await repo.outboxEntrySent('urn:uuid:o-1')).toBe(true);
    expect(await repo.outboxEntrySent('urn:uuid:o-2')).toBe(false);
    await repo.commit({ record: { ...negotiation('urn:uuid:p-1'), version: 2 }, expectedVersion: 1, outbox: [], acknowledged: { outboxId: 'urn:uuid:o-2', at: 1_000 } });
    expect(await repo.outboxEntrySent('urn:uuid:o-2')).toBe(true);
  });

  it('rolls the record and its outbox back when the commit hook throws', async () => {
    failHook = true;
    await expect(repo.commit({ record: negotiation('urn:uuid:p-1'), expectedVersion: null, outbox: [outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1')] })).rejects.toThrow(
      /audit append failed/,
    );
    expect(hookCalls).toHaveLength(1);
    expect(await repo.get('urn:uuid:p-1')).toBeUndefined();
    expect(await outboxIds()).toEqual([]);
    expect(await changeLog()).toEqual([]);
  });

  it('stores 200 concurrent commits of distinct negotiations, each with its outbox entry', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `urn:uuid:p-${i}`);
    const results = await Promise.all(ids.map((id) => repo.commit({ record: negotiation(id), expectedVersion: null, outbox: [outboxEntry(`${id}-out`, id)] })));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await db.get('SELECT COUNT(*) AS n FROM negotiation')).toEqual({ n: 200 });
    expect((await outboxIds()).sort()).toEqual(ids.map((id) => `${id}-out`).sort());
    expect(await changeLog()).toHaveLength(200);
  });

  it('lets exactly one of several concurrent updates from the same version win', async () => {
    const v1 = negotiation('urn:uuid:p-1');
    await repo.commit({ record: v1, expectedVersion: null, outbox: [] });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => repo.commit({ record: { ...v1, state: 'AGREED', version: 2, updatedAt: `writer-${i}` }, expectedVersion: 1, outbox: [outboxEntry(`urn:uuid:o-${i}`, v1.id)] })),
    );
    expect(attempts.filter((result) => result.ok)).toHaveLength(1);
    expect(attempts.filter((result) => !result.ok).every((result) => !result.ok && result.code === 'SOV_NEG_CONFLICT')).toBe(true);
    const winner = attempts.findIndex((result) => result.ok);
    expect((await repo.get(v1.id))?.updatedAt).toBe(`writer-${winner}`);
    expect(await outboxIds()).toEqual([`urn:uuid:o-${winner}`]);
  });

  it('lists newest first with filters and a stable cursor', async () => {
    for (let i = 0; i < 5; i++) {
      const state = i % 2 === 0 ? 'REQUESTED' : 'FINALIZED';
      await repo.commit({ record: negotiation(`urn:uuid:p-${i}`, { state, createdAt: `2026-01-0${i + 1}T00:00:00.000Z` }), expectedVersion: null, outbox: [] });
    }
    const first = await repo.list({ limit: 2 });
    expect(first.ok && first.value.items.map((r) => r.id)).toEqual(['urn:uuid:p-4', 'urn:uuid:p-3']);
    const second = first.ok ? await repo.list({ limit: 2, cursor: first.value.nextCursor }) : first;
    expect(second.ok && second.value.items.map((r) => r.id)).toEqual(['urn:uuid:p-2', 'urn:uuid:p-1']);
    const requested = await repo.list({ state: 'REQUESTED' });
    expect(requested.ok && requested.value.items.map((r) => r.id)).toEqual(['urn:uuid:p-4', 'urn:uuid:p-2', 'urn:uuid:p-0']);
    expect(requested.ok && requested.value.nextCursor).toBeUndefined();
    expect(await repo.list({ cursor: 'not-a-cursor' })).toMatchObject({ ok: false, code: 'SOV_BAD_REQUEST' });
  });
});
