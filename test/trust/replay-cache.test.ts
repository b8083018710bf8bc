import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { openDatabase } from '../../src/store/index.js';
import { createSqlReplayCache, replayCacheMigrations } from '../../src/trust/index.js';

describe('persisted replay cache', () => {
  it('refuses a token id seen before, also after the connector restarts', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sovc-replay-')), 'connector.db');
    const clock = new SimulatedClock();
    const first = await openDatabase(path);
    await first.migrate(replayCacheMigrations);
    const cache = createSqlReplayCache(first, clock);
    expect(await cache.remember('did:web:a', 'urn:uuid:1', clock.now() + 60_000)).toBe(true);
    expect(await cache.remember('did:web:a', 'urn:uuid:1', clock.now() + 60_000)).toBe(false);
    expect(await cache.remember('did:web:b', 'urn:uuid:1', clock.now() + 60_000)).toBe(true);
    await first.close();

    const reopened = await openDatabase(path);
    await reopened.migrate(replayCacheMigrations);
    const afterRestart = createSqlReplayCache(reopened, clock);
    expect(await afterRestart.remember('did:web:a', 'urn:uuid:1', clock.now() + 60_000)).toBe(false);
    await reopened.close();
  });

  it('accepts concurrent first uses of distinct ids and exactly one of a duplicated id', async () => {
    const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'sovc-replay-')), 'c.db'));
    await db.migrate(replayCacheMigrations);
    const cache = createSqlReplayCache(db, new SimulatedClock());
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => cache.remember('did:web:a', `urn:uuid:${i % 20}`, 1e15)));
    expect(results.filter(Boolean)).toHaveLength(20);
    await db.close();
  });

  it('still refuses token ids remembered before the table was rebuilt by its second migration', async () => {
    const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'sovc-replay-')), 'm.db'));
    const clock = new SimulatedClock();
    await db.migrate(replayCacheMigrations.filter((migration) => migration.version === 1));
    expect(await createSqlReplayCache(db, clock).remember('did:web:a', 'urn:uuid:1', clock.now() + 60_000)).toBe(true);
    await db.migrate(replayCacheMigrations);
    const cache = createSqlReplayCache(db, clock);
    expect(await cache.remember('did:web:a', 'urn:uuid:1', clock.now() + 60_000)).toBe(false);
    expect(await cache.remember('did:web:a', 'urn:uuid:2', clock.now() + 60_000)).toBe(true);
    expect(await db.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'trust_replay'`)).toMatchObject({ sql: expect.stringMatching(/WITHOUT ROWID$/) as unknown });
    await db.close();
  });
});
