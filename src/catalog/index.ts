/**
 * The DSP 2025-1 catalogue, transport-free: DCAT Catalog / Dataset / Distribution / DataService
 * built from catalogue entries (one per offering), filtered per requester so that only offers
 * it could satisfy are shown, paged with stable cursors and `Link` header values, and the
 * dataset lookup with the same visibility rule (404 for unknown or hidden).
 */
export { catalogOf, datasetOf, dataService, SOV_CLASSIFICATION, type CatalogEntry, type CatalogIdentity } from './dcat.js';
export { pageOf, linkHeader, sortedById, type Page, type PageRequest, type Select } from './paging.js';
export { catalogResponse, datasetResponse, checkCatalogRequest, type OfferVisibility, type CatalogResponseInput } from './service.js';
