/**
 * Judging what a partner sent before it may replace our last good copy (dsp.md §3 "Catalog"):
 * every page must be a DSP Catalog by the protocol's schema, name the partner itself as its
 * `participantId`, and together hold a bounded number of datasets. Nested catalogues are
 * flattened; a dataset listed twice is kept once.
 */
import type { Catalog, Dataset } from '../../dsp/index.js';
import { validateDspMessage } from '../../dsp/index.js';
import { fail, ok, type Result } from '../../errors/index.js';

function datasetsOf(catalog: Catalog): Dataset[] {
  return [...(catalog.dataset ?? []), ...(catalog.catalog ?? []).flatMap(datasetsOf)];
}

export function acceptCatalogue(did: string, pages: readonly unknown[], maxDatasets: number): Result<Dataset[]> {
  const byId = new Map<string, Dataset>();
  for (const [index, page] of pages.entries()) {
    const catalog = validateDspMessage('Catalog', page);
    if (!catalog.ok) return fail('SOV_FEDCAT_CATALOG_INVALID', `page ${index + 1} of ${did}'s catalogue is not a DSP Catalog: ${catalog.detail}`, { partner: did });
    if (catalog.value.participantId !== did) {
      return fail('SOV_FEDCAT_CATALOG_INVALID', `page ${index + 1} of ${did}'s catalogue names ${catalog.value.participantId} as its participant`, { partner: did });
    }
    for (const dataset of datasetsOf(catalog.value)) byId.set(dataset['@id'], dataset);
    if (byId.size > maxDatasets) return fail('SOV_FEDCAT_CATALOG_INVALID', `${did}'s catalogue holds more than ${maxDatasets} datasets`, { partner: did });
  }
  return ok([...byId.values()]);
}
