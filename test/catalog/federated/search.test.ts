/**
 * Search over the local index (issue 9 "Federated catalogue"): text ranking, the nation,
 * classification, purpose and template filters, stable paging, and the state of each
 * partner's copy (stale, unreachable) in every answer.
 */
import { describe, expect, it } from 'vitest';
import {
  indexRecord,
  searchIndex,
  templateRecogniser,
  type FederatedSearchQuery,
  type PartnerCatalogueRecord,
} from '../../../src/catalog/federated/index.js';
import { catalogPage, contractTemplates, templateOffer, type DatasetSpec } from './support.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const MINUTE = 60_000;
const recognise = templateRecogniser(contractTemplates());

function record(did: string, nation: string, specs: DatasetSpec[], changes: Partial<PartnerCatalogueRecord> = {}): PartnerCatalogueRecord {
  return {
    did,
    legalName: `${nation} agency`,
    nation,
    registrars: [`did:web:registrar.example:${nation.toLowerCase()}`],
    datasets: catalogPage(did, specs).dataset ?? [],
    crawledAt: NOW - MINUTE,
    lastAttemptAt: NOW - MINUTE,
    lastStatus: 'ok',
    lastError: null,
    ...changes,
  };
}

function search(records: PartnerCatalogueRecord[], query: FederatedSearchQuery) {
  const datasets = new Map(records.map((r) => [r.did, indexRecord(r, recognise)]));
  return searchIndex({ records, datasets, now: NOW, staleAfterMs: 15 * MINUTE }, query);
}

const UK = 'did:web:uk.example';
const EU = 'did:web:eu.example';
const CA = 'did:web:ca.example';

const federation = [
  record(UK, 'UK', [
    { id: 'urn:uk:admissions', title: 'Hospital admissions 2024', description: 'Weekly admissions by region', keywords: ['health'] },
    { id: 'urn:uk:beds', title: 'Bed occupancy', description: 'Hospital beds in use, admissions pending', keywords: ['health', 'capacity'] },
    { id: 'urn:uk:roads', title: 'Road traffic counts', description: 'Vehicles per hour', keywords: ['transport'], classification: 'OFFICIAL-SENSITIVE' },
  ]),
  record(EU, 'EU', [
    { id: 'urn:eu:cohort', title: 'Cancer registry cohort', description: 'Research extract of hospital records', template: 'research-anonymised' },
    { id: 'urn:eu:weather', title: 'Hospital weather station', template: 'time-limited' },
  ]),
  record(CA, 'CA', [{ id: 'urn:ca:admissions', title: 'Emergency admissions', template: 'named-nations' }]),
];

const ids = (result: ReturnType<typeof search>) => result.items.map((item) => item.dataset.id);

describe('federated search: text', () => {
  it('ranks a title match above a description-only match, exact tokens above prefixes', () => {
    const result = search(federation, { q: 'hospital admissions' });
    expect(ids(result)[0]).toBe('urn:uk:admissions');
    expect(ids(result)).toContain('urn:uk:beds');
    expect(ids(result)).not.toContain('urn:eu:weather'); // every query token must match somewhere
    const [first, second] = result.items;
    expect(first!.score).toBeGreaterThan(second!.score);
  });

  it('matches prefixes, ignores case, accents and stopwords, and finds nothing for an unknown word', () => {
    expect(ids(search(federation, { q: 'HOSP' }))).toEqual(expect.arrayContaining(['urn:uk:admissions', 'urn:uk:beds', 'urn:eu:weather']));
    expect(ids(search(federation, { q: 'the cáncer' }))).toEqual(['urn:eu:cohort']);
    expect(search(federation, { q: 'zeppelin' }).total).toBe(0);
  });

  it('keywords count: a keyword hit is found even when title and description miss', () => {
    expect(ids(search(federation, { q: 'capacity' }))).toEqual(['urn:uk:beds']);
  });

  it('an empty query lists every dataset, ordered by title', () => {
    const result = search(federation, {});
    expect(result.total).toBe(6);
    const titles = result.items.map((i) => i.dataset.title);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
  });
});

describe('federated search: filters', () => {
  it('nation is the partner\'s verified jurisdiction', () => {
    expect(ids(search(federation, { q: 'admissions', nation: 'ca' }))).toEqual(['urn:ca:admissions']);
    expect(search(federation, { nation: 'AU' }).total).toBe(0);
  });

  it('classification is the provider\'s label', () => {
    expect(ids(search(federation, { classification: 'official-sensitive' }))).toEqual(['urn:uk:roads']);
  });

  it('purpose keeps offers limited to that purpose and offers open to any purpose', () => {
    const research = search(federation, { purpose: 'research' });
    expect(ids(research)).toContain('urn:eu:cohort');
    expect(ids(research)).toContain('urn:uk:admissions');
    expect(research.items.find((i) => i.dataset.id === 'urn:eu:cohort')!.offers[0]!.purposes).toEqual(['research']);
    expect(ids(search(federation, { purpose: 'marketing' }))).not.toContain('urn:eu:cohort');
  });

  it('template names the contract template the offer was made from', () => {
    expect(ids(search(federation, { template: 'research-anonymised' }))).toEqual(['urn:eu:cohort']);
    expect(ids(search(federation, { template: 'named-nations' }))).toEqual(['urn:ca:admissions']);
    expect(ids(search(federation, { template: 'internal-only' }))).toEqual([]);
    expect(search(federation, { template: 'coalition-open' }).total).toBe(3);
  });

  it('filters combine, and a hit lists only the offers that pass', () => {
    const mixed = record('did:web:au.example', 'AU', [{ id: 'urn:au:mixed', title: 'Mixed offers' }]);
    mixed.datasets[0]!.hasPolicy.push(templateOffer('urn:au:mixed:research', 'research-anonymised'));
    const result = search([mixed], { template: 'research-anonymised', nation: 'AU' });
    expect(result.items[0]!.offers.map((o) => o.id)).toEqual(['urn:au:mixed:research']);
  });
});

describe('federated search: template recognition', () => {
  it('recognises every contract template from its catalogue offer, with any parameters', () => {
    for (const { name } of contractTemplates()) expect(recognise(templateOffer(`urn:${name}`, name))).toBe(name);
    expect(recognise(templateOffer('urn:x', 'research-anonymised', { k: 50, l: 5, maxSuppressionPercent: 1 }))).toBe('research-anonymised');
  });

  it('an offer of no known shape has no template', () => {
    expect(recognise({ '@id': 'urn:custom', '@type': 'Offer', permission: [{ action: 'read' }] })).toBeUndefined();
  });
});

describe('federated search: paging', () => {
  const many = record(UK, 'UK', Array.from({ length: 45 }, (_, i) => ({ id: `urn:uk:d${String(i).padStart(2, '0')}`, title: `Survey ${i}` })));

  it('pages are disjoint, in a stable order, and cover the total', () => {
    const pages = [1, 2, 3, 4].map((page) => search([many], { q: 'survey', page, pageSize: 20 }));
    expect(pages.map((p) => p.items.length)).toEqual([20, 20, 5, 0]);
    const seen = pages.flatMap(ids);
    expect(new Set(seen).size).toBe(45);
    expect(pages.every((p) => p.total === 45)).toBe(true);
    expect(ids(search([many], { q: 'survey', page: 2, pageSize: 20 }))).toEqual(ids(pages[1]!));
  });

  it('page size defaults to 20 and is capped at 100', () => {
    expect(search([many], {}).pageSize).toBe(20);
    expect(search([many], { pageSize: 1000 }).pageSize).toBe(100);
  });
});

describe('federated search: partner state', () => {
  it('names unreachable and stale partners, and still searches their last good copy', () => {
    const records = [
      federation[0]!,
      { ...federation[1]!, lastStatus: 'failed' as const, lastAttemptAt: NOW, lastError: { code: 'SOV_UPSTREAM_UNAVAILABLE', detail: 'connection refused' } },
      { ...federation[2]!, crawledAt: NOW - 60 * MINUTE, lastAttemptAt: NOW - 60 * MINUTE },
    ];
    const result = search(records, { q: 'cohort' });
    expect(ids(result)).toEqual(['urn:eu:cohort']);
    expect(result.items[0]!.stale).toBe(true);
    expect(result.unreachable.map((p) => [p.did, p.error?.code])).toEqual([[EU, 'SOV_UPSTREAM_UNAVAILABLE']]);
    expect(result.stale).toEqual([CA, EU]);
    expect(result.partners.find((p) => p.did === UK)).toMatchObject({ status: 'ok', stale: false, nation: 'UK', datasets: 3 });
  });

  it('at equal scores a fresh copy ranks before a stale one', () => {
    const fresh = record('did:web:b.example', 'UK', [{ id: 'urn:b', title: 'Same title' }]);
    const old = record('did:web:a.example', 'EU', [{ id: 'urn:a', title: 'Same title' }], { crawledAt: NOW - 60 * MINUTE });
    expect(ids(search([old, fresh], { q: 'same title' }))).toEqual(['urn:b', 'urn:a']);
  });
});
