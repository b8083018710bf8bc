/**
 * The store of last good copies on SQLite and Postgres: a save replaces the partner's row
 * whole (upsert), rows round-trip exactly (datasets as JSON, epoch-ms times, nulls), and a
 * removed partner is gone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSqlFederatedCatalogueStore,
  federatedCatalogueMigrations,
  type FederatedCatalogueStore,
  type PartnerCatalogueRecord,
} from '../../../src/catalog/federated/index.js';
import { testDialects, type TestDatabase } from '../../store/test-databases.js';
import { catalogPage } from './support.js';

const DID = 'did:web:eu.example';

function record(changes: Partial<PartnerCatalogueRecord> = {}): PartnerCatalogueRecord {
  return {
    did: DID,
    legalName: 'Agence européenne (démo)',
    nation: 'EU',
    registrars: ['did:web:registrar.example:eu', 'did:web:registrar.example:de'],
    datasets: catalogPage(DID, [{ id: 'urn:eu:1', title: 'Données hospitalières', keywords: ['santé'] }]).dataset ?? [],
    crawledAt: Date.UTC(2026, 10, 29, 12),
    lastAttemptAt: Date.UTC(2026, 10, 29, 12),
    lastStatus: 'ok',
    lastError: null,
    ...changes,
  };
}

describe.each(testDialects)('federated catalogue store ($dialect)', ({ open }) => {
  let handle: TestDatabase;
  let store: FederatedCatalogueStore;

  beforeEach(async () => {
    handle = await open();
    await handle.db.migrate(federatedCatalogueMigrations);
    store = createSqlFederatedCatalogueStore(handle.db);
  });
  afterEach(async () => handle.dispose());

  it('round-trips a record exactly, and a failed crawl without a copy keeps its nulls', async () => {
    await store.save(record());
    expect(await store.get(DID)).toEqual(record());
    const never = record({ did: 'did:web:ca.example', nation: null, datasets: [], crawledAt: null, lastStatus: 'failed', lastError: { code: 'SOV_UPSTREAM_UNAVAILABLE', detail: 'refused' } });
    await store.save(never);
    expect(await store.get('did:web:ca.example')).toEqual(never);
    expect((await store.list()).map((r) => r.did)).toEqual(['did:web:ca.example', DID]);
  });

  it('a save replaces the row; remove deletes it', async () => {
    await store.save(record());
    const failed = record({ lastAttemptAt: Date.UTC(2026, 10, 29, 13), lastStatus: 'failed', lastError: { code: 'SOV_FEDCAT_PARTNER_TIMEOUT', detail: 'slow' } });
    await store.save(failed);
    expect(await store.list()).toEqual([failed]);
    await store.remove(DID);
    expect(await store.get(DID)).toBeUndefined();
  });
});
