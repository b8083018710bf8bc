/**
 * DSP 2025-1 DCAT shapes from catalogue entries (dsp.md §3 "Catalog"): one DataService whose
 * `endpointURL` is our DSP base, a Dataset per entry with its ODRL offers (never a `target`:
 * the Dataset is the target) and one Distribution per format served by that DataService.
 * Metadata uses terms the DSP context can express in compacted form (`dct:`, `dcat:`
 * prefixes), plus our vocabulary's classification as a full IRI, since we emit only the DSP
 * context (dsp.md §9).
 */
import { dspContext, type Catalog, type DataService, type Dataset, type OdrlOffer } from '../dsp/index.js';

export const SOV_CLASSIFICATION = 'https://w3id.org/sovereign-connector/vocab#classification';

/** What the catalogue needs to know about one offering. */
export interface CatalogEntry {
  /** The dataset IRI (DCAT Dataset `@id`, the offer's target). */
  id: string;
  title: string;
  description?: string;
  keywords?: string[];
  classification?: string;
  /** The ODRL offers of this dataset (at least one); any `target` is dropped. */
  offers: OdrlOffer[];
  /** Distribution formats, e.g. `HttpData-PULL` (at least one). */
  formats: string[];
}

export interface CatalogIdentity {
  /** The catalogue's `@id`. */
  catalogId: string;
  /** Our DID: the Catalog's `participantId`. */
  participantId: string;
  /** Our DSP base URL: the DataService `endpointURL`. */
  dspBase: string;
  /** The DataService `@id`; defaults to `<dspBase>#dsp`. */
  serviceId?: string;
}

export function dataService(identity: CatalogIdentity): DataService {
  return { '@id': identity.serviceId ?? `${identity.dspBase}#dsp`, '@type': 'DataService', endpointURL: identity.dspBase };
}

function withoutTarget(offer: OdrlOffer): OdrlOffer {
  const copy: OdrlOffer = { ...offer, '@type': 'Offer' };
  delete copy.target;
  return copy;
}

/** The Dataset for `entry`, its distributions served by `service`. */
export function datasetOf(entry: CatalogEntry, service: DataService): Dataset {
  return {
    '@id': entry.id,
    '@type': 'Dataset',
    'dct:title': entry.title,
    ...(entry.description === undefined ? {} : { 'dct:description': entry.description }),
    ...(entry.keywords === undefined || entry.keywords.length === 0 ? {} : { 'dcat:keyword': entry.keywords }),
    ...(entry.classification === undefined ? {} : { [SOV_CLASSIFICATION]: entry.classification }),
    hasPolicy: entry.offers.map(withoutTarget),
    distribution: entry.formats.map((format) => ({ '@type': 'Distribution' as const, format, accessService: service['@id'] })),
  };
}

/** The root Catalog; `dataset` is left out when empty (the schema wants ≥ 1 when present). */
export function catalogOf(identity: CatalogIdentity, datasets: Dataset[]): Catalog & { '@context': string[]; participantId: string } {
  return {
    '@context': dspContext(),
    '@id': identity.catalogId,
    '@type': 'Catalog',
    participantId: identity.participantId,
    service: [dataService(identity)],
    ...(datasets.length === 0 ? {} : { dataset: datasets }),
  };
}
