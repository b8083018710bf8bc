/**
 * One searchable row per dataset of a partner's last good copy: the DCAT metadata read from
 * the terms our catalogue and DSP's context use (`dct:title`, `dct:description`,
 * `dcat:keyword`, the `sov:` classification, also in their plain or full-IRI forms), the
 * offers with their purposes and recognised template, and the tokens the text search reads.
 */
import type { Dataset, OdrlOffer } from '../../dsp/index.js';
import { SOV_CLASSIFICATION } from '../dcat.js';
import { localName, purposesOf } from './policy-facets.js';
import type { PartnerCatalogueRecord } from './ports.js';
import { searchableText, type SearchableText } from './text-match.js';

export interface IndexedOffer {
  id: string;
  /** The contract template it was made from, when recognised; null otherwise. */
  template: string | null;
  /** The licence IRI it names (`dct:license`), if any. */
  licence: string | null;
  /** The purposes its permissions are limited to; empty: any purpose. */
  purposes: string[];
  /** The ODRL offer as the partner showed it (negotiate with its `@id` and the dataset id). */
  policy: OdrlOffer;
}

export interface IndexedDataset {
  partnerDid: string;
  id: string;
  title: string;
  description?: string;
  keywords: string[];
  classification?: string;
  formats: string[];
  offers: IndexedOffer[];
  text: SearchableText;
}

const TERMS = {
  title: ['dct:title', 'dcterms:title', 'title', 'http://purl.org/dc/terms/title'],
  description: ['dct:description', 'dcterms:description', 'description', 'http://purl.org/dc/terms/description'],
  keyword: ['dcat:keyword', 'keyword', 'http://www.w3.org/ns/dcat#keyword'],
  classification: [SOV_CLASSIFICATION, 'sov:classification'],
  licence: ['dct:license', 'dcterms:license', 'license', 'http://purl.org/dc/terms/license'],
} as const;

/** Plain strings of a JSON-LD value: a string, `{ "@value" }`, `{ "@id" }`, or an array of those. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) {
    const inner = (value as Record<string, unknown>)['@value'] ?? (value as Record<string, unknown>)['@id'];
    return typeof inner === 'string' ? [inner] : [];
  }
  return [];
}

function term(node: Record<string, unknown>, names: readonly string[]): string[] {
  for (const name of names) {
    const found = strings(node[name]);
    if (found.length > 0) return found;
  }
  return [];
}

function indexedOffer(offer: OdrlOffer, templateOf: (offer: OdrlOffer) => string | undefined): IndexedOffer {
  return {
    id: offer['@id'],
    template: templateOf(offer) ?? null,
    licence: term(offer as Record<string, unknown>, TERMS.licence)[0] ?? null,
    purposes: purposesOf(offer),
    policy: offer,
  };
}

function indexedDataset(partnerDid: string, dataset: Dataset, templateOf: (offer: OdrlOffer) => string | undefined): IndexedDataset {
  const title = term(dataset, TERMS.title)[0] ?? localName(dataset['@id']);
  const description = term(dataset, TERMS.description).join(' ');
  const keywords = term(dataset, TERMS.keyword);
  const classification = term(dataset, TERMS.classification)[0];
  return {
    partnerDid,
    id: dataset['@id'],
    title,
    ...(description === '' ? {} : { description }),
    keywords,
    ...(classification === undefined ? {} : { classification }),
    formats: [...new Set(dataset.distribution.flatMap((d) => strings(d.format)))],
    offers: [dataset.hasPolicy].flat().map((offer) => indexedOffer(offer, templateOf)),
    text: searchableText({ title, keywords, ...(description === '' ? {} : { description }) }),
  };
}

export function indexRecord(record: PartnerCatalogueRecord, templateOf: (offer: OdrlOffer) => string | undefined): IndexedDataset[] {
  return record.datasets.map((dataset) => indexedDataset(record.did, dataset, templateOf));
}
