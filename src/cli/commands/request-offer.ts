/**
 * Finding the offer `sovc request` negotiates: the provider's DSP catalogue fetched through our
 * own connector (`POST /api/catalog/fetch`, page after page) and the dataset's first offer, as
 * the provider chose to show it to us (offers our claims could never satisfy are hidden).
 */
import { DomainError, fail } from '../../errors/index.js';
import type { ManagementRequest } from '../management-client.js';

export interface FoundOffer {
  providerDid: string;
  offerId: string;
  datasetId: string;
}

interface CatalogPage {
  peer: { did: string; dspBase: string };
  catalog: { dataset?: Array<{ '@id': string; hasPolicy?: Array<{ '@id': string }> | { '@id': string } }> };
  next?: string;
}

const MAX_PAGES = 200;

export async function findOffer(request: ManagementRequest, provider: { did: string } | { url: string }, datasetId: string): Promise<FoundOffer> {
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await request<CatalogPage>('POST', '/catalog/fetch', { ...provider, ...(next === undefined ? {} : { cursor: next }) });
    const dataset = (answer.catalog.dataset ?? []).find((candidate) => candidate['@id'] === datasetId);
    const offer = dataset === undefined ? undefined : [dataset.hasPolicy ?? []].flat()[0];
    if (offer !== undefined) return { providerDid: answer.peer.did, offerId: offer['@id'], datasetId };
    if (dataset !== undefined || answer.next === undefined) break;
    next = answer.next;
  }
  throw new DomainError(fail('SOV_NOT_FOUND', `${'did' in provider ? provider.did : provider.url} offers no dataset ${datasetId} to us (it is not in its catalogue, or no offer of it is open to our connector)`));
}
