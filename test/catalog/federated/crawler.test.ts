/**
 * The crawler with injected partners (issue 9 "Federated catalogue"): one partner down, one
 * slower than the timeout, one answering a malformed catalogue — each keeps its last good
 * copy, is marked failed and stale, and none of them delays or corrupts the healthy one.
 * Also: registrar directories (a dropped member leaves, an unreachable registrar's members
 * stay), self never crawled, on-demand refresh joining a running crawl, and the schedule.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFederatedCatalogue,
  createSqlFederatedCatalogueStore,
  federatedCatalogueMigrations,
  type CatalogueSource,
  type FederatedCatalogue,
  type FederatedCatalogueStore,
  type PartnerCandidate,
  type RegistrarListing,
} from '../../../src/catalog/federated/index.js';
import { SimulatedClock } from '../../../src/clock/index.js';
import { fail, ok, type Result } from '../../../src/errors/index.js';
import type { Database } from '../../../src/store/index.js';
import { catalogPage, ClockTimers, contractTemplates, tempDatabase } from './support.js';

const SELF = 'did:web:self.example';
const REGISTRAR = 'did:web:registrar.example:uk';
const OTHER_REGISTRAR = 'did:web:registrar.example:eu';
const [HEALTHY, DOWN, SLOW, GARBAGE] = ['did:web:healthy.example', 'did:web:down.example', 'did:web:slow.example', 'did:web:garbage.example'];
const MINUTE = 60_000;

type Behaviour = 'ok' | 'down' | 'slow' | 'garbage' | 'impostor';

interface Harness {
  catalogue: FederatedCatalogue;
  store: FederatedCatalogueStore;
  timers: ClockTimers;
  clock: SimulatedClock;
  behaviour: Map<string, Behaviour>;
  listings: RegistrarListing[];
  fetched: string[];
  /** Resolves when the slow partner has been asked (so its timeout is armed). */
  slowAsked: Promise<void>;
}

function member(did: string, registrar = REGISTRAR): PartnerCandidate {
  return { did, legalName: `Agency ${did}`, registrar };
}

function source(h: Omit<Harness, 'catalogue' | 'slowAsked'>, onSlow: () => void): CatalogueSource {
  return {
    async fetchPages(did): Promise<Result<unknown[]>> {
      h.fetched.push(did);
      const title = `Dataset of ${did} at ${h.clock.now()}`;
      switch (h.behaviour.get(did) ?? 'ok') {
        case 'down':
          return fail('SOV_UPSTREAM_UNAVAILABLE', `POST ${did} failed: connection refused`);
        case 'slow':
          onSlow();
          return new Promise(() => undefined);
        case 'garbage':
          return ok([{ '@context': ['https://w3id.org/dspace/2025/1/context.jsonld'], '@type': 'Catalog', dataset: 'not a list' }]);
        case 'impostor':
          return ok([catalogPage(HEALTHY, [{ id: `urn:${did}`, title }])]);
        default:
          return ok([catalogPage(did, [{ id: `urn:${did}:1`, title }]), catalogPage(did, [{ id: `urn:${did}:2`, title: 'Second page' }])]);
      }
    },
  };
}

let db: Database;

beforeEach(async () => {
  db = await tempDatabase();
  await db.migrate(federatedCatalogueMigrations);
});
afterEach(async () => db.close());

function harness(members: PartnerCandidate[] = [HEALTHY, DOWN, SLOW, GARBAGE, SELF].map((did) => member(did))): Harness {
  const clock = new SimulatedClock(Date.UTC(2026, 10, 29, 12));
  const timers = new ClockTimers(clock);
  const store = createSqlFederatedCatalogueStore(db);
  let slowAsked: () => void = () => undefined;
  const partial = { store, timers, clock, behaviour: new Map<string, Behaviour>(), listings: [{ registrar: REGISTRAR, members: ok(members) }] as RegistrarListing[], fetched: [] as string[] };
  const h = {
    ...partial,
    slowAsked: new Promise<void>((resolve) => (slowAsked = resolve)),
  } as Harness;
  h.catalogue = createFederatedCatalogue({
    selfDid: SELF,
    directory: { list: async () => h.listings },
    verifier: { verify: async (did) => (did.includes('unaccredited') ? fail('SOV_TRUST_NOT_A_MEMBER', 'no membership') : ok({ legalName: `Verified ${did}`, jurisdiction: 'UK' })) },
    source: source(partial, () => slowAsked()),
    store,
    clock,
    timer: timers,
    intervalMs: 5 * MINUTE,
    timeoutMs: 5_000,
    templates: contractTemplates(),
    onError: (error) => {
      throw error;
    },
  });
  return h;
}

describe('crawler: failing partners', () => {
  it('down, slow and garbage partners keep their last good copy, are marked, and do not hold up the healthy one', async () => {
    const h = harness();
    const first = await h.catalogue.refresh();
    expect(first.partners.map((p) => [p.did, p.status, p.datasets])).toEqual(
      [DOWN, GARBAGE, HEALTHY, SLOW].map((did) => [did, 'ok', 2]),
    );
    const goodAt = h.clock.now();

    h.clock.advance(MINUTE);
    h.behaviour.set(DOWN, 'down').set(SLOW, 'slow').set(GARBAGE, 'garbage');
    const second = h.catalogue.refresh();
    await h.slowAsked;
    // The healthy partner's new copy is stored while the slow one is still pending.
    await vi.waitFor(async () => expect((await h.store.get(HEALTHY))?.crawledAt).toBe(goodAt + MINUTE));
    expect(h.timers.delays()).toEqual([5_000]);
    h.timers.advance(5_000);
    const report = await second;

    expect(Object.fromEntries(report.partners.map((p) => [p.did, p.error?.code ?? p.status]))).toEqual({
      [HEALTHY]: 'ok',
      [DOWN]: 'SOV_UPSTREAM_UNAVAILABLE',
      [SLOW]: 'SOV_FEDCAT_PARTNER_TIMEOUT',
      [GARBAGE]: 'SOV_FEDCAT_CATALOG_INVALID',
    });
    for (const did of [DOWN, SLOW, GARBAGE]) {
      const kept = await h.store.get(did);
      expect(kept).toMatchObject({ crawledAt: goodAt, lastStatus: 'failed', nation: 'UK' });
      expect(kept?.datasets.map((d) => d['@id'])).toEqual([`urn:${did}:1`, `urn:${did}:2`]);
    }

    const result = await h.catalogue.search({ q: 'dataset' });
    expect(result.unreachable.map((p) => p.did).sort()).toEqual([DOWN, GARBAGE, SLOW]);
    expect(result.stale.sort()).toEqual([DOWN, GARBAGE, SLOW]);
    expect(result.items.find((i) => i.partner.did === HEALTHY)).toMatchObject({ stale: false });
    expect(result.items.find((i) => i.partner.did === DOWN)).toMatchObject({ stale: true });
    expect(result.items.find((i) => i.partner.did === HEALTHY)?.dataset.title).toBe(`Dataset of ${HEALTHY} at ${goodAt + MINUTE}`);
  });

  it('a partner serving another participant\'s catalogue is refused; one never crawled has no copy', async () => {
    const h = harness([member('did:web:impostor.example'), member('did:web:unaccredited.example')]);
    h.behaviour.set('did:web:impostor.example', 'impostor');
    const report = await h.catalogue.refresh();
    expect(report.partners.map((p) => p.error?.code)).toEqual(['SOV_FEDCAT_CATALOG_INVALID', 'SOV_TRUST_NOT_A_MEMBER']);
    expect(h.fetched).toEqual(['did:web:impostor.example']); // an unverified member is never asked for its catalogue
    const result = await h.catalogue.search({});
    expect(result.total).toBe(0);
    expect(result.partners.map((p) => [p.status, p.crawledAt, p.nation])).toEqual([['failed', null, null], ['failed', null, null]]);
  });

  it('a copy turns stale after three intervals without a good crawl', async () => {
    const h = harness([member(HEALTHY)]);
    await h.catalogue.refresh();
    h.clock.advance(15 * MINUTE);
    expect((await h.catalogue.partners())[0]?.stale).toBe(false);
    h.clock.advance(1);
    expect((await h.catalogue.partners())[0]?.stale).toBe(true);
  });
});

describe('crawler: who is crawled', () => {
  it('never crawls itself; drops a member its registrar no longer lists; keeps those of an unreachable registrar', async () => {
    const h = harness([member(HEALTHY), member(SELF), member(DOWN, OTHER_REGISTRAR)]);
    h.listings.push({ registrar: OTHER_REGISTRAR, members: ok([member(DOWN, OTHER_REGISTRAR)]) });
    h.listings[0] = { registrar: REGISTRAR, members: ok([member(HEALTHY), member(SELF)]) };
    await h.catalogue.refresh();
    expect(h.fetched.sort()).toEqual([DOWN, HEALTHY]);

    h.listings[0] = { registrar: REGISTRAR, members: ok([]) };
    h.listings[1] = { registrar: OTHER_REGISTRAR, members: fail('SOV_FEDCAT_REGISTRAR_UNAVAILABLE', 'registrar down') };
    h.fetched.length = 0;
    const report = await h.catalogue.refresh();
    expect(report.removed).toEqual([HEALTHY]);
    expect(report.registrars).toEqual([
      { did: REGISTRAR, reached: true },
      { did: OTHER_REGISTRAR, reached: false, error: { code: 'SOV_FEDCAT_REGISTRAR_UNAVAILABLE', detail: 'registrar down' } },
    ]);
    expect(h.fetched).toEqual([DOWN]);
    expect((await h.catalogue.partners()).map((p) => p.did)).toEqual([DOWN]);
  });
});

describe('crawler: on demand and on schedule', () => {
  it('a refresh during a crawl joins it', async () => {
    const h = harness([member(HEALTHY)]);
    const [a, b] = [h.catalogue.refresh(), h.catalogue.refresh()];
    expect(a).toBe(b);
    await a;
    expect(h.fetched).toEqual([HEALTHY]);
  });

  it('crawls after the initial delay, then every interval, until stopped', async () => {
    const h = harness([member(HEALTHY)]);
    h.catalogue.start();
    expect(h.timers.delays()).toEqual([15_000]);
    h.timers.advance(15_000);
    await vi.waitFor(() => expect(h.timers.delays()).toEqual([5 * MINUTE]));
    expect(h.fetched).toEqual([HEALTHY]);
    h.timers.advance(5 * MINUTE);
    await vi.waitFor(() => expect(h.timers.delays()).toEqual([5 * MINUTE]));
    expect(h.fetched).toEqual([HEALTHY, HEALTHY]);
    await h.catalogue.stop();
    expect(h.timers.delays()).toEqual([]);
  });
});
