/**
 * The federated catalogue (issue 9 "Federated catalogue"): each connector crawls, on a
 * schedule and on demand, the DSP catalogues of the members of every registrar in its trust
 * list (the registrars' member directories; each member's membership verified; its
 * `DataService` → version discovery → authenticated catalogue request), keeps the last good
 * copy of each in its store with when it was taken and how the last crawl went, and searches
 * them: full text over titles, keywords and descriptions, filters by nation, classification,
 * purpose and template/licence, with paging. Partners are crawled concurrently with a
 * per-partner timeout, and a received catalogue replaces the copy only after it passes the DSP
 * schema, so a partner that is down, slow or answers garbage never blocks or corrupts the
 * others; answers name unreachable and stale partners. Each provider shows us only the offers
 * our claims could satisfy, so the index holds nothing else.
 */
export {
  createFederatedCatalogue,
  DEFAULT_STALE_INTERVALS,
  type FederatedCatalogue,
  type FederatedCatalogueOptions,
} from './federated-catalogue.js';
export {
  createCatalogueCrawler,
  DEFAULT_CRAWL_INTERVAL_MS,
  DEFAULT_PARTNER_TIMEOUT_MS,
  type CatalogueCrawler,
  type CrawlerOptions,
  type CrawlReport,
  type PartnerCrawl,
} from './crawler.js';
export {
  searchIndex,
  partnerStatus,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type FederatedSearchQuery,
  type FederatedSearchResult,
  type FederatedSearchHit,
  type PartnerStatus,
  type SearchInput,
} from './search.js';
export { indexRecord, type IndexedDataset, type IndexedOffer } from './indexed-dataset.js';
export { policyShape, purposesOf, templateRecogniser } from './policy-facets.js';
export { tokenise } from './text-match.js';
export { acceptCatalogue } from './received-catalogue.js';
export type {
  CatalogueSource,
  CrawlStatus,
  FederatedCatalogueStore,
  PartnerCandidate,
  PartnerCatalogueRecord,
  PartnerDirectory,
  PartnerVerifier,
  RegistrarListing,
  Timer,
  VerifiedPartner,
} from './ports.js';
export { createSqlFederatedCatalogueStore, federatedCatalogueMigrations } from './sql/federated-catalogue-store.js';
export { registrarDirectory, membersUrl, type RegistrarDirectoryOptions } from './adapters/registrar-directory.js';
export { dspCatalogueSource, type DspCatalogueSourceOptions } from './adapters/dsp-catalogue-source.js';
export { membershipPartnerVerifier, type MembershipClaimsSource } from './adapters/membership-partner-verifier.js';
export { systemTimer } from './adapters/system-timer.js';
