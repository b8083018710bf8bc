import type { ErrorSpec } from '../spec.js';

/** Codes of `src/catalog/federated`: why a partner's catalogue or a registrar's member directory could not be crawled. */
export const federatedCatalogCodes = {
  SOV_FEDCAT_PARTNER_TIMEOUT: { status: 504, title: 'A partner did not answer the catalogue crawl in time' },
  SOV_FEDCAT_CATALOG_INVALID: { status: 502, title: 'A partner answered the catalogue crawl with an invalid catalogue' },
  SOV_FEDCAT_CRAWL_FAILED: { status: 502, title: "Crawling a partner's catalogue failed unexpectedly" },
  SOV_FEDCAT_NO_DATA_SERVICE: { status: 502, title: "The partner's DID document names no DSP endpoint" },
  SOV_FEDCAT_REGISTRAR_UNAVAILABLE: { status: 502, title: "A trusted registrar's member directory could not be read" },
} as const satisfies Record<string, ErrorSpec>;
