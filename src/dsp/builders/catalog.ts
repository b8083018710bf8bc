/** Outbound catalogue requests and the CatalogError body (dsp.md §3 "Catalog", §4). */
import { dspContext } from '../context.js';
import type { CatalogError, CatalogRequestMessage, DatasetRequestMessage } from '../types.js';
import { codeAndReason, type CodeAndReason } from './shared.js';

export function catalogRequestMessage(filter?: unknown[]): CatalogRequestMessage {
  return { '@context': dspContext(), '@type': 'CatalogRequestMessage', ...(filter === undefined ? {} : { filter }) };
}

/** Over HTTPS this travels as `GET /catalog/datasets/:id`; the body form is for completeness. */
export function datasetRequestMessage(datasetId: string): DatasetRequestMessage {
  return { '@context': dspContext(), '@type': 'DatasetRequestMessage', dataset: datasetId };
}

export function catalogError(input: CodeAndReason): CatalogError {
  return { '@context': dspContext(), '@type': 'CatalogError', ...codeAndReason(input) };
}
