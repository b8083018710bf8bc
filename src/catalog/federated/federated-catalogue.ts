/**
 * The federated catalogue of one connector: the crawler keeping a last good copy of each
 * partner's catalogue in the store, and search over those copies. Rows are indexed in memory
 * once per copy (a partner's `crawledAt`) and re-read from the store on every search, so a
 * search sees what any crawl (this process's or another's on the same store) last wrote.
 */
import { createCatalogueCrawler, DEFAULT_CRAWL_INTERVAL_MS, type CatalogueCrawler, type CrawlerOptions } from './crawler.js';
import { indexRecord, type IndexedDataset } from './indexed-dataset.js';
import { templateRecogniser } from './policy-facets.js';
import type { PartnerCatalogueRecord } from './ports.js';
import { partnerStatus, searchIndex, type FederatedSearchQuery, type FederatedSearchResult, type PartnerStatus } from './search.js';

export const DEFAULT_STALE_INTERVALS = 3;

export interface FederatedCatalogueOptions extends CrawlerOptions {
  /** The contract templates offers are recognised by (name + document, any parameters). */
  templates: ReadonlyArray<{ name: string; document: Record<string, unknown> }>;
  /** A copy older than this many crawl intervals is stale; default 3. */
  staleIntervals?: number;
}

export interface FederatedCatalogue extends CatalogueCrawler {
  search(query: FederatedSearchQuery): Promise<FederatedSearchResult>;
  /** Every partner in the index with the state of its copy. */
  partners(): Promise<PartnerStatus[]>;
}

export function createFederatedCatalogue(options: FederatedCatalogueOptions): FederatedCatalogue {
  const crawler = createCatalogueCrawler(options);
  const templateOf = templateRecogniser(options.templates);
  const staleAfterMs = (options.staleIntervals ?? DEFAULT_STALE_INTERVALS) * (options.intervalMs ?? DEFAULT_CRAWL_INTERVAL_MS);
  const indexed = new Map<string, { crawledAt: number | null; datasets: IndexedDataset[] }>();

  function datasetsOf(records: readonly PartnerCatalogueRecord[]): Map<string, IndexedDataset[]> {
    const current = new Map<string, IndexedDataset[]>();
    for (const record of records) {
      let entry = indexed.get(record.did);
      if (entry?.crawledAt !== record.crawledAt) {
        entry = { crawledAt: record.crawledAt, datasets: indexRecord(record, templateOf) };
        indexed.set(record.did, entry);
      }
      current.set(record.did, entry.datasets);
    }
    for (const did of [...indexed.keys()]) if (!current.has(did)) indexed.delete(did);
    return current;
  }

  return {
    ...crawler,
    async search(query) {
      const records = await options.store.list();
      return searchIndex({ records, datasets: datasetsOf(records), now: options.clock.now(), staleAfterMs }, query);
    },
    async partners() {
      const now = options.clock.now();
      return (await options.store.list()).map((record) => partnerStatus(record, now, staleAfterMs)).sort((a, b) => a.did.localeCompare(b.did));
    },
  };
}
