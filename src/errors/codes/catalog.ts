import type { ErrorSpec } from '../spec.js';

/** Catalogue (src/catalog): DSP catalogue requests, dataset lookup, paging. */
export const catalogCodes = {
  SOV_CATALOG_DATASET_NOT_FOUND: { status: 404, title: 'No such dataset in the catalogue' },
  SOV_CATALOG_FILTER_UNSUPPORTED: { status: 400, title: 'Catalogue filters are not supported' },
  SOV_CATALOG_BAD_CURSOR: { status: 400, title: 'The paging cursor is malformed' },
} as const satisfies Record<string, ErrorSpec>;
