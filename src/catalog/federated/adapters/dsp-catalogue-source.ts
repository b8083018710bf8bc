/**
 * The CatalogueSource over this connector's DSP client: the partner's DSP endpoint from the
 * `DataService` entry of its DID document, its DSP 2025-1 base by version discovery at that
 * host (dsp.md §2), then every catalogue page with our caller token, following the
 * `Link rel="next"` of each (§4), up to a page limit so a partner cannot keep us paging forever.
 */
import type { Catalog } from '../../../dsp/index.js';
import { fail, ok, type Result } from '../../../errors/index.js';
import { serviceEndpoint, type DidDocument } from '../../../identity/index.js';
import type { CatalogueSource } from '../ports.js';

export interface DspCatalogueSourceOptions {
  resolveDid(did: string): Promise<Result<DidDocument>>;
  /** The connector's DSP client (`connector.dsp.fetchCatalog`). */
  fetchCatalog(target: { did: string; url: string }, next?: string): Promise<Result<{ catalog: Catalog; next?: string }>>;
  /** Default 50. */
  maxPages?: number;
}

export function dspCatalogueSource(options: DspCatalogueSourceOptions): CatalogueSource {
  const maxPages = options.maxPages ?? 50;
  return {
    async fetchPages(did) {
      const document = await options.resolveDid(did);
      if (!document.ok) return document;
      const endpoint = serviceEndpoint(document.value, 'DataService');
      if (endpoint === undefined) return fail('SOV_FEDCAT_NO_DATA_SERVICE', `the DID document of ${did} names no DataService endpoint`, { partner: did });
      const pages: unknown[] = [];
      let next: string | undefined;
      do {
        const page = await options.fetchCatalog({ did, url: endpoint }, next);
        if (!page.ok) return page;
        pages.push(page.value.catalog);
        next = page.value.next;
      } while (next !== undefined && pages.length < maxPages);
      if (next !== undefined) return fail('SOV_FEDCAT_CATALOG_INVALID', `${did}'s catalogue has more than ${maxPages} pages`, { partner: did });
      return ok(pages);
    },
  };
}
