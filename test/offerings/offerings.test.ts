/**
 * Offerings on the SQL repository (SQLite and Postgres) with the real template catalogue and
 * policy engine: create / update / retire with validation, versioning and the audit hook in
 * the same transaction, listing, and the negotiation's OfferCatalog view.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock, type IdGenerator } from '../../src/clock/index.js';
import {
  createOffering,
  createOfferingPolicyResolver,
  offeringOfferCatalog,
  retireOffering,
  updateOffering,
  type OfferingChange,
  type OfferingDeps,
} from '../../src/offerings/index.js';
import { createPolicyEngine, loadContractTemplates, loadPolicyVocabulary } from '../../src/policy/index.js';
import type { Database } from '../../src/store/index.js';
import { createSqlOfferingRepository, offeringMigrations } from '../../src/store/repositories/index.js';
import { testDialects, type TestDatabase } from '../store/test-databases.js';

const vocabulary = loadPolicyVocabulary();
const templates = loadContractTemplates();
if (!vocabulary.ok || !templates.ok) throw new Error('policy fixtures missing');
const policies = createOfferingPolicyResolver({ templates: templates.value, engine: createPolicyEngine({ vocabulary: vocabulary.value }) });

function counterIds(prefix: string): IdGenerator {
  let n = 0;
  return { urn: () => `urn:uuid:${prefix}-${++n}` };
}

const census = {
  id: 'urn:uuid:dataset-census',
  title: 'Census 2026 extract',
  keywords: ['census'],
  policy: { template: 'research-anonymised', params: { k: 10, l: 3, maxSuppressionPercent: 5 } },
  classification: 'OFFICIAL',
  personalData: true,
  dataSource: { type: 'file', reference: 'data/census.csv' },
  anonymisation: { declarationRef: 'data/census.declaration.json' },
};

describe.each(testDialects)('offerings ($dialect)', ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let deps: OfferingDeps;
  let audited: OfferingChange[];
  let clock: SimulatedClock;

  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    await db.migrate(offeringMigrations);
    audited = [];
    clock = new SimulatedClock();
    const repository = createSqlOfferingRepository({ db, onCommit: async (_tx, change) => void audited.push(change) });
    deps = { repository, policies, clock, ids: counterIds('o') };
  });
  afterEach(async () => handle.dispose());

  it('creates an offering from a template, resolving the full policy, and audits it', async () => {
    const created = await createOffering(deps, census, { actor: 'admin:alice' });
    expect(created).toMatchObject({ ok: true, value: { id: census.id, offerId: 'urn:uuid:o-1', status: 'active', version: 1, formats: ['HttpData-PULL', 'HttpData-PUSH'] } });
    const stored = await deps.repository.get(census.id);
    expect(stored?.policy.document).toMatchObject({ '@type': 'Offer', permission: [{ action: 'use' }] });
    expect(JSON.stringify(stored?.policy.document)).not.toContain('{{');
    expect(audited).toMatchObject([{ kind: 'created', actor: 'admin:alice', expectedVersion: null, offering: { id: census.id } }]);
  });

  it('refuses invalid input, naming every field at fault, and stores nothing', async () => {
    const result = await createOffering(deps, { ...census, title: '', classification: undefined, extra: 1 });
    expect(result).toMatchObject({ ok: false, code: 'SOV_OFFERING_INVALID' });
    expect(!result.ok && result.detail).toMatch(/title/);
    expect(!result.ok && result.detail).toMatch(/classification/);
    expect(!result.ok && result.detail).toMatch(/extra/);
    expect(await deps.repository.get(census.id)).toBeUndefined();
  });

  it('refuses a policy that cannot be built or is not understood', async () => {
    const badParams = await createOffering(deps, { ...census, policy: { template: 'research-anonymised', params: { k: 1 } } });
    expect(badParams).toMatchObject({ ok: false, code: 'SOV_OFFERING_POLICY_INVALID' });
    const unknownTemplate = await createOffering(deps, { ...census, policy: { template: 'no-such-template' } });
    expect(unknownTemplate).toMatchObject({ ok: false, code: 'SOV_OFFERING_POLICY_INVALID' });
    const misspelt = { '@context': 'http://www.w3.org/ns/odrl.jsonld', '@type': 'Offer', uid: 'urn:x', permission: [{ action: 'use', constriant: [] }] };
    const inline = await createOffering(deps, { ...census, policy: { odrl: misspelt } });
    expect(inline).toMatchObject({ ok: false, code: 'SOV_OFFERING_POLICY_INVALID' });
    expect(!inline.ok && inline.detail).toContain('constriant');
  });

  it('refuses a second offering with the same id with SOV_OFFERING_CONFLICT', async () => {
    await createOffering(deps, census);
    expect(await createOffering(deps, census)).toMatchObject({ ok: false, code: 'SOV_OFFERING_CONFLICT' });
  });

  it('updates metadata under the same offer, and a new policy under a new offer id', async () => {
    await createOffering(deps, census);
    clock.advance(1_000);
    const renamed = await updateOffering(deps, census.id, { title: 'Census 2026 (v2)', expectedVersion: 1 }, { actor: 'admin:bob' });
    expect(renamed).toMatchObject({ ok: true, value: { title: 'Census 2026 (v2)', offerId: 'urn:uuid:o-1', version: 2, updatedAt: '2026-01-01T00:00:01.000Z' } });
    const repriced = await updateOffering(deps, census.id, { policy: { template: 'coalition-open' } });
    expect(repriced).toMatchObject({ ok: true, value: { offerId: 'urn:uuid:o-2', version: 3 } });
    expect(audited.map((change) => [change.kind, change.expectedVersion])).toEqual([['created', null], ['updated', 1], ['updated', 2]]);
  });

  it('refuses an update from a stale version, an empty update and an unknown offering', async () => {
    await createOffering(deps, census);
    await updateOffering(deps, census.id, { title: 'First' });
    expect(await updateOffering(deps, census.id, { title: 'Second', expectedVersion: 1 })).toMatchObject({ ok: false, code: 'SOV_OFFERING_CONFLICT' });
    expect(await updateOffering(deps, census.id, { expectedVersion: 2 })).toMatchObject({ ok: false, code: 'SOV_OFFERING_INVALID' });
    expect(await updateOffering(deps, 'urn:uuid:nope', { title: 'x' })).toMatchObject({ ok: false, code: 'SOV_OFFERING_NOT_FOUND' });
    expect((await deps.repository.get(census.id))?.title).toBe('First');
  });

  it('lets exactly one of two concurrent commits from the same version win', async () => {
    await createOffering(deps, census);
    const current = (await deps.repository.get(census.id))!;
    const commits = await Promise.all(
      ['a', 'b'].map((title) => deps.repository.commit({ kind: 'updated', offering: { ...current, title, version: 2 }, expectedVersion: 1 })),
    );
    expect(commits.filter((result) => result.ok)).toHaveLength(1);
    expect(commits.find((result) => !result.ok)).toMatchObject({ code: 'SOV_OFFERING_CONFLICT' });
  });

  it('retires an offering: it leaves the OfferCatalog and accepts no further change', async () => {
    await createOffering(deps, census);
    const catalog = offeringOfferCatalog(deps.repository);
    const found = await catalog.findOffer('urn:uuid:o-1');
    expect(found).toMatchObject({ target: census.id, offer: { '@id': 'urn:uuid:o-1', '@type': 'Offer', permission: [{ action: 'use' }] } });
    expect(found?.offer).not.toHaveProperty('target');
    expect(await catalog.findOffer('urn:uuid:unknown')).toBeUndefined();
    expect(await retireOffering(deps, census.id, { actor: 'admin:alice' })).toMatchObject({ ok: true, value: { status: 'retired', retiredAt: '2026-01-01T00:00:00.000Z', version: 2 } });
    expect(await catalog.findOffer('urn:uuid:o-1')).toBeUndefined();
    expect(await updateOffering(deps, census.id, { title: 'again' })).toMatchObject({ ok: false, code: 'SOV_OFFERING_RETIRED' });
    expect(await retireOffering(deps, census.id)).toMatchObject({ ok: false, code: 'SOV_OFFERING_RETIRED' });
    expect(audited.map((change) => change.kind)).toEqual(['created', 'retired']);
  });

  it('lists newest first, by status, page by page', async () => {
    for (let i = 0; i < 3; i++) {
      await createOffering(deps, { ...census, id: `urn:uuid:ds-${i}` });
      clock.advance(1_000);
    }
    await retireOffering(deps, 'urn:uuid:ds-1');
    const active = await deps.repository.list({ status: 'active' });
    expect(active.ok && active.value.items.map((o) => o.id)).toEqual(['urn:uuid:ds-2', 'urn:uuid:ds-0']);
    const first = await deps.repository.list({ limit: 2 });
    expect(first.ok && first.value.items.map((o) => o.id)).toEqual(['urn:uuid:ds-2', 'urn:uuid:ds-1']);
    const rest = first.ok ? await deps.repository.list({ limit: 2, cursor: first.value.nextCursor }) : first;
    expect(rest.ok && rest.value).toEqual({ items: [expect.objectContaining({ id: 'urn:uuid:ds-0' })] });
  });
});
