/**
 * The offer a negotiation starts from, found in the provider's own catalogue (dsp.md §4
 * "Catalog"): the consumer names the dataset and the offer `@id`, and the rules are taken
 * exactly as the provider published them, so the request is one the provider recognises.
 * Pages are walked in order up to a bound, so a huge or looping catalogue cannot hold us.
 */
import type { Catalog, Dataset } from '../../dsp/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import type { TargetedOffer } from '../../negotiation/index.js';
import type { PartnerRef, RemoteCatalogs } from './ports.js';

const MAX_PAGES = 100;

function datasetsOf(catalog: Catalog): Dataset[] {
  return [...(catalog.dataset ?? []), ...(catalog.catalog ?? []).flatMap(datasetsOf)];
}

export async function findRemoteOffer(
  catalogs: RemoteCatalogs,
  provider: PartnerRef,
  wanted: { datasetId: string; offerId: string },
): Promise<Result<{ offer: TargetedOffer; providerDid: string }>> {
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const fetched = await catalogs.fetchCatalog(provider, next);
    if (!fetched.ok) return fetched;
    const dataset = datasetsOf(fetched.value.catalog).find((candidate) => candidate['@id'] === wanted.datasetId);
    if (dataset !== undefined) {
      const offer = [dataset.hasPolicy].flat().find((candidate) => candidate['@id'] === wanted.offerId);
      if (offer === undefined) {
        return fail('SOV_NOT_FOUND', `Dataset ${wanted.datasetId} of ${fetched.value.peer.did} has no offer ${wanted.offerId}`, { ...wanted });
      }
      return ok({ offer: { ...offer, target: wanted.datasetId }, providerDid: fetched.value.peer.did });
    }
    next = fetched.value.next;
    if (next === undefined) break;
  }
  return fail('SOV_NOT_FOUND', `The provider's catalogue shows us no dataset ${wanted.datasetId}`, { ...wanted });
}
