/**
 * Search over the local index of partners' catalogues: text (text-match.ts), filters by the
 * partner's nation, the dataset's classification, and per offer by purpose and by contract
 * template or licence, ranked and paged. Every answer also says how current each partner's
 * copy is: which partners could not be reached at the last crawl and whose copy is stale.
 * What is searched is what each provider chose to show this connector: only the offers our
 * verified claims could satisfy (dsp.md §3), so results never hold an offer we could not use.
 */
import type { IndexedDataset, IndexedOffer } from './indexed-dataset.js';
import type { PartnerCatalogueRecord } from './ports.js';
import { queryTokens, textScore } from './text-match.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface FederatedSearchQuery {
  q?: string;
  /** The partner's nation (its verified jurisdiction), e.g. `UK`. */
  nation?: string;
  /** The provider's classification label, e.g. `OFFICIAL`. */
  classification?: string;
  /** Keeps offers usable for this purpose: limited to it, or not limited at all. */
  purpose?: string;
  /** Contract template name, or a licence IRI the offer names. */
  template?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface PartnerStatus {
  did: string;
  legalName: string;
  nation: string | null;
  status: 'ok' | 'failed';
  /** The copy is older than the stale limit, or the last crawl failed, or there is no copy. */
  stale: boolean;
  crawledAt: string | null;
  lastAttemptAt: string;
  datasets: number;
  error?: { code: string; detail: string };
}

export interface FederatedSearchHit {
  partner: { did: string; legalName: string; nation: string | null };
  dataset: Omit<IndexedDataset, 'partnerDid' | 'offers' | 'text'>;
  offers: IndexedOffer[];
  score: number;
  crawledAt: string;
  stale: boolean;
}

export interface FederatedSearchResult {
  items: FederatedSearchHit[];
  total: number;
  page: number;
  pageSize: number;
  /** Every partner in the index with the state of its copy. */
  partners: PartnerStatus[];
  /** Partners whose last crawl failed (their last good copy, if any, is still searched). */
  unreachable: PartnerStatus[];
  /** DIDs of partners whose copy is stale. */
  stale: string[];
}

export interface SearchInput {
  records: readonly PartnerCatalogueRecord[];
  /** The indexed datasets of `records` (by partner DID). */
  datasets: ReadonlyMap<string, readonly IndexedDataset[]>;
  now: number;
  /** A copy older than this is stale (ms). */
  staleAfterMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const same = (a: string | null | undefined, b: string): boolean => a !== null && a !== undefined && a.toLowerCase() === b.toLowerCase();

export function partnerStatus(record: PartnerCatalogueRecord, now: number, staleAfterMs: number): PartnerStatus {
  const stale = record.lastStatus === 'failed' || record.crawledAt === null || now - record.crawledAt > staleAfterMs;
  return {
    did: record.did,
    legalName: record.legalName,
    nation: record.nation,
    status: record.lastStatus,
    stale,
    crawledAt: record.crawledAt === null ? null : iso(record.crawledAt),
    lastAttemptAt: iso(record.lastAttemptAt),
    datasets: record.datasets.length,
    ...(record.lastError === null ? {} : { error: record.lastError }),
  };
}

function offerMatches(offer: IndexedOffer, query: FederatedSearchQuery): boolean {
  if (query.purpose !== undefined && offer.purposes.length > 0 && !offer.purposes.some((p) => same(p, query.purpose as string))) return false;
  if (query.template !== undefined && !same(offer.template, query.template) && !same(offer.licence, query.template)) return false;
  return true;
}

function hitOf(dataset: IndexedDataset, query: FederatedSearchQuery, tokens: string[], partner: PartnerStatus): FederatedSearchHit | undefined {
  if (query.classification !== undefined && !same(dataset.classification, query.classification)) return undefined;
  const offers = dataset.offers.filter((offer) => offerMatches(offer, query));
  if (offers.length === 0) return undefined;
  const score = textScore(tokens, dataset.text);
  if (score === undefined) return undefined;
  const { partnerDid: _partner, offers: _all, text: _text, ...metadata } = dataset;
  return {
    partner: { did: partner.did, legalName: partner.legalName, nation: partner.nation },
    dataset: metadata,
    offers,
    score,
    crawledAt: partner.crawledAt ?? '',
    stale: partner.stale,
  };
}

/** Best score first; at equal scores fresh copies first, then by title, partner and id, so paging is stable. */
function byRank(a: FederatedSearchHit, b: FederatedSearchHit): number {
  return (
    b.score - a.score ||
    Number(a.stale) - Number(b.stale) ||
    a.dataset.title.localeCompare(b.dataset.title) ||
    a.partner.did.localeCompare(b.partner.did) ||
    a.dataset.id.localeCompare(b.dataset.id)
  );
}

export function searchIndex(input: SearchInput, query: FederatedSearchQuery): FederatedSearchResult {
  const partners = input.records.map((record) => partnerStatus(record, input.now, input.staleAfterMs)).sort((a, b) => a.did.localeCompare(b.did));
  const tokens = queryTokens(query.q ?? '');
  const hits: FederatedSearchHit[] = [];
  for (const partner of partners) {
    if (query.nation !== undefined && !same(partner.nation, query.nation)) continue;
    for (const dataset of input.datasets.get(partner.did) ?? []) {
      const hit = hitOf(dataset, query, tokens, partner);
      if (hit !== undefined) hits.push(hit);
    }
  }
  hits.sort(byRank);
  const pageSize = Math.min(Math.max(1, query.pageSize ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const page = Math.max(1, query.page ?? 1);
  return {
    items: hits.slice((page - 1) * pageSize, page * pageSize),
    total: hits.length,
    page,
    pageSize,
    partners,
    unreachable: partners.filter((p) => p.status === 'failed'),
    stale: partners.filter((p) => p.stale).map((p) => p.did),
  };
}
