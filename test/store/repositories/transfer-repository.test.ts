/**
 * The TransferRepository contract (src/transfer/ports.ts) against the SQL adapter on SQLite and
 * Postgres: lookups, optimistic versioning, the unique counterparty pair, outbox rows and the
 * commit hook in one transaction, concurrent commits, and the agreement's transfer count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferState } from '../../../src/dsp/index.js';
import type { Database } from '../../../src/store/index.js';
import { createSqlTransferRepository, outboxMigrations, sqlOutboxStore, transferMigrations, type SqlTransferRepository } from '../../../src/store/repositories/index.js';
import type { TransferProcess } from '../../../src/transfer/index.js';
import { testDialects, type TestDatabase } from '../test-databases.js';
import { outboxEntry, PEER } from './fixtures.js';

function transfer(id: string, overrides: Partial<TransferProcess> = {}): TransferProcess {
  return {
    id,
    role: 'provider',
    providerPid: id,
    consumerPid: `urn:uuid:consumer-of-${id}`,
    state: 'REQUESTED',
    counterpartyDid: PEER,
    counterpartyAddress: 'https://ca.example/dsp/callback',
    agreementId: 'urn:uuid:agreement-1',
    datasetId: 'urn:uuid:dataset-1',
    format: 'HttpData-PULL',
    received: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

describe.each(testDialects)('SQL transfer repository ($dialect)', ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let repo: SqlTransferRepository;
  let failHook = false;

  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    await db.migrate([...outboxMigrations, ...transferMigrations]);
    failHook = false;
    repo = createSqlTransferRepository({
      db,
      onCommit: async () => {
        if (failHook) throw new Error('audit append failed');
      },
    });
  });
  afterEach(async () => handle.dispose());

  const outboxCount = async () => Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_entry'))?.n);
  const move = async (record: TransferProcess, state: TransferState) => {
    const next = { ...record, state, version: record.version + 1 };
    const result = await repo.commit({ record: next, expectedVersion: record.version, outbox: [] });
    if (!result.ok) throw new Error(result.detail);
    return next;
  };

  it('stores, finds by id and by counterparty pid, and refuses a stale update with SOV_TRANSFER_CONFLICT', async () => {
    const v1 = transfer('urn:uuid:t-1');
    expect((await repo.commit({ record: v1, expectedVersion: null, outbox: [outboxEntry('urn:uuid:o-1', v1.id)] })).ok).toBe(true);
    expect(await repo.get(v1.id)).toEqual(v1);
    expect(await repo.findByCounterpartyPid(PEER, 'urn:uuid:consumer-of-urn:uuid:t-1')).toEqual(v1);
    const v2 = await move(v1, 'STARTED');
    const stale = await repo.commit({ record: { ...v1, state: 'TERMINATED', version: 2 }, expectedVersion: 1, outbox: [outboxEntry('urn:uuid:o-2', v1.id)] });
    expect(stale).toMatchObject({ ok: false, code: 'SOV_TRANSFER_CONFLICT' });
    expect(await repo.get(v1.id)).toEqual(v2);
    expect(await outboxCount()).toBe(1);
  });

  it('refuses a second process for the same consumer pid (a repeated request) with SOV_TRANSFER_CONFLICT', async () => {
    await repo.commit({ record: transfer('urn:uuid:t-1'), expectedVersion: null, outbox: [] });
    const repeat = await repo.commit({ record: transfer('urn:uuid:t-2', { consumerPid: 'urn:uuid:consumer-of-urn:uuid:t-1' }), expectedVersion: null, outbox: [] });
    expect(repeat).toMatchObject({ ok: false, code: 'SOV_TRANSFER_CONFLICT' });
    expect(await repo.get('urn:uuid:t-2')).toBeUndefined();
  });

  it('says an outbox entry was sent once the worker leased it, not while it waits', async () => {
    await repo.commit({ record: transfer('urn:uuid:t-1'), expectedVersion: null, outbox: [outboxEntry('urn:uuid:o-1', 'urn:uuid:t-1')] });
    expect(await repo.outboxEntrySent('urn:uuid:o-1')).toBe(false);
    await sqlOutboxStore(db).lease({ now: Date.parse('2026-01-01T00:00:01Z'), leaseUntil: Date.parse('2026-01-01T00:01:00Z'), leaseToken: 'w/1', limit: 1 });
    expect(await repo.outboxEntrySent('urn:uuid:o-1')).toBe(true);
  });

  it('rolls back the record and its outbox when the commit hook throws', async () => {
    failHook = true;
    await expect(repo.commit({ record: transfer('urn:uuid:t-1'), expectedVersion: null, outbox: [outboxEntry('urn:uuid:o-1', 'urn:uuid:t-1')] })).rejects.toThrow(/audit/);
    expect(await repo.get('urn:uuid:t-1')).toBeUndefined();
    expect(await outboxCount()).toBe(0);
  });

  it('counts the transfers an agreement has used: requested ones, and any that ever started', async () => {
    const requested = transfer('urn:uuid:t-1');
    const refused = transfer('urn:uuid:t-2');
    const started = transfer('urn:uuid:t-3');
    const other = transfer('urn:uuid:t-4', { agreementId: 'urn:uuid:agreement-2' });
    for (const record of [requested, refused, started, other]) await repo.commit({ record, expectedVersion: null, outbox: [] });
    expect(await repo.countByAgreement('urn:uuid:agreement-1')).toBe(3);
    await move(refused, 'TERMINATED');
    expect(await repo.countByAgreement('urn:uuid:agreement-1')).toBe(2);
    // Started, then suspended and terminated: it used the agreement, and stays counted.
    const s2 = await move(started, 'STARTED');
    const s3 = await move(s2, 'SUSPENDED');
    await move(s3, 'TERMINATED');
    expect(await repo.countByAgreement('urn:uuid:agreement-1')).toBe(2);
    expect(await repo.countByAgreement('urn:uuid:agreement-2')).toBe(1);
    expect(await repo.countByAgreement('urn:uuid:unknown')).toBe(0);
  });

  it('stores 200 concurrent commits of distinct transfers', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => repo.commit({ record: transfer(`urn:uuid:t-${i}`), expectedVersion: null, outbox: [outboxEntry(`urn:uuid:o-${i}`, `urn:uuid:t-${i}`)] })),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await repo.countByAgreement('urn:uuid:agreement-1')).toBe(200);
    expect(await outboxCount()).toBe(200);
    const page = await repo.list({ limit: 500 });
    expect(page.ok && page.value.items).toHaveLength(200);
  });
});
