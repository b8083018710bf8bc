import { describe, expect, it } from 'vitest';
import { catalogResponse, checkCatalogRequest, datasetResponse, linkHeader, pageOf, type CatalogEntry } from '../../src/catalog/index.js';
import { catalogRequestMessage, validateDspMessage, type OdrlOffer } from '../../src/dsp/index.js';

const identity = { catalogId: 'urn:uuid:catalog-uk', participantId: 'did:web:uk.example', dspBase: 'https://uk.example/dsp' };
const REQUEST_URL = 'https://uk.example/dsp/catalog/request?pageSize=3';

const offer = (id: string, level: string): OdrlOffer => ({
  '@id': `urn:sov:offer:${id}`,
  '@type': 'Offer',
  permission: [{ action: 'use', constraint: [{ leftOperand: 'https://w3id.org/sovereign-connector/vocab#clearance', operator: 'gteq', rightOperand: level }] }],
});

function entry(n: number): CatalogEntry {
  const id = `urn:uuid:ds-${String(n).padStart(3, '0')}`;
  return {
    id,
    title: `Dataset ${n}`,
    description: 'Synthetic test data',
    keywords: ['health', 'test'],
    classification: n % 2 === 0 ? 'OFFICIAL' : 'OFFICIAL-SENSITIVE',
    offers: [{ ...offer(`${n}`, n % 2 === 0 ? 'OFFICIAL' : 'OFFICIAL-SENSITIVE'), target: id }],
    formats: ['HttpData-PULL', 'HttpData-PUSH'],
  };
}

const entries = Array.from({ length: 10 }, (_, i) => entry(i)).reverse();
/** The requester holds OFFICIAL clearance only: odd entries are hidden from it. */
const officialOnly = (o: OdrlOffer) => JSON.stringify(o).includes('"OFFICIAL"');
const everything = () => true;

describe('catalogue', () => {
  it('builds a schema-valid DSP 2025-1 Catalog with a DataService at our DSP base and offers without target', async () => {
    const result = await catalogResponse({ identity, entries, canSee: everything, page: { pageSize: 100 }, requestUrl: REQUEST_URL });
    if (!result.ok) throw new Error(result.detail);
    const { body, link } = result.value;
    expect(validateDspMessage('Catalog', body).ok).toBe(true);
    expect(body.service).toEqual([{ '@id': 'https://uk.example/dsp#dsp', '@type': 'DataService', endpointURL: 'https://uk.example/dsp' }]);
    expect(body.dataset).toHaveLength(10);
    const first = body.dataset![0]!;
    expect(first).toMatchObject({ '@id': 'urn:uuid:ds-000', 'dct:title': 'Dataset 0', 'dcat:keyword': ['health', 'test'] });
    expect(first.hasPolicy[0]).not.toHaveProperty('target');
    expect(first.distribution.map((d) => [d.format, d.accessService])).toEqual([
      ['HttpData-PULL', 'https://uk.example/dsp#dsp'],
      ['HttpData-PUSH', 'https://uk.example/dsp#dsp'],
    ]);
    expect(link).toBeUndefined();
  });

  it('shows a requester only the offers it could satisfy', async () => {
    const result = await catalogResponse({ identity, entries, canSee: officialOnly, page: { pageSize: 100 }, requestUrl: REQUEST_URL });
    const ids = result.ok ? result.value.body.dataset!.map((d) => d['@id']) : [];
    expect(ids).toEqual(['urn:uuid:ds-000', 'urn:uuid:ds-002', 'urn:uuid:ds-004', 'urn:uuid:ds-006', 'urn:uuid:ds-008']);
  });

  it('returns a valid catalogue without datasets when nothing is visible', async () => {
    const result = await catalogResponse({ identity, entries, canSee: () => false, page: { pageSize: 5 }, requestUrl: REQUEST_URL });
    expect(result.ok && result.value.body.dataset).toBeUndefined();
    expect(result.ok && validateDspMessage('Catalog', result.value.body).ok).toBe(true);
  });

  it('pages through the visible datasets forwards and backwards with Link header values', async () => {
    const visit = async (cursor?: string) => {
      const result = await catalogResponse({ identity, entries, canSee: officialOnly, page: { pageSize: 2, cursor }, requestUrl: REQUEST_URL });
      if (!result.ok) throw new Error(result.detail);
      const link = result.value.link ?? '';
      const cursorOf = (rel: string) => {
        const match = new RegExp(`<([^>]+)>; rel="${rel}"`).exec(link);
        return match ? new URL(match[1]!).searchParams.get('cursor') ?? undefined : undefined;
      };
      return { ids: (result.value.body.dataset ?? []).map((d) => d['@id'].slice(-3)), next: cursorOf('next'), previous: cursorOf('previous'), link };
    };
    const p1 = await visit();
    expect([p1.ids, p1.previous]).toEqual([['000', '002'], undefined]);
    expect(p1.link).toContain('pageSize=3');
    const p2 = await visit(p1.next);
    expect(p2.ids).toEqual(['004', '006']);
    const p3 = await visit(p2.next);
    expect([p3.ids, p3.next]).toEqual([['008'], undefined]);
    const back = await visit(p3.previous);
    expect(back.ids).toEqual(['004', '006']);
    const start = await visit(back.previous);
    expect([start.ids, start.previous]).toEqual([['000', '002'], undefined]);
  });

  it('examines only about one page of entries for the first page', async () => {
    let examined = 0;
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: `urn:x:${String(i).padStart(4, '0')}` }));
    const page = await pageOf(many, (e) => { examined += 1; return e.id; }, { pageSize: 50 });
    expect(page.ok && page.value.items).toHaveLength(50);
    expect(examined).toBe(51);
  });

  it('refuses a forged cursor and an unsupported filter', async () => {
    const forged = await catalogResponse({ identity, entries, canSee: everything, page: { pageSize: 2, cursor: 'not-a-cursor' }, requestUrl: REQUEST_URL });
    expect(forged.ok ? null : forged.code).toBe('SOV_CATALOG_BAD_CURSOR');
    expect(checkCatalogRequest(catalogRequestMessage([{ keyword: 'x' }])).ok).toBe(false);
    expect(checkCatalogRequest(catalogRequestMessage([])).ok).toBe(true);
    expect(linkHeader(REQUEST_URL, {})).toBeUndefined();
  });

  it('looks up one dataset, schema-valid, with 404 for unknown and hidden datasets alike', async () => {
    const visible = await datasetResponse(identity, 'urn:uuid:ds-002', entry(2), officialOnly);
    expect(visible.ok && validateDspMessage('Dataset', visible.value).ok).toBe(true);
    const hidden = await datasetResponse(identity, 'urn:uuid:ds-003', entry(3), officialOnly);
    const unknown = await datasetResponse(identity, 'urn:uuid:none', undefined, officialOnly);
    expect([hidden.ok ? null : hidden.code, unknown.ok ? null : unknown.code]).toEqual(['SOV_CATALOG_DATASET_NOT_FOUND', 'SOV_CATALOG_DATASET_NOT_FOUND']);
  });
});
