/**
 * Answering catalogue requests (dsp.md §3–4, §7): the provider shows a requester only the
 * offers it could satisfy (the `canSee` callback, e.g. the policy engine at stage `catalog`),
 * a dataset only when at least one of its offers is visible, and 404 for a dataset that is
 * unknown or hidden alike, so nobody learns what they may not see.
 */
import { dspContext, type CatalogRequestMessage, type Dataset, type OdrlOffer } from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { catalogOf, dataService, datasetOf, type CatalogEntry, type CatalogIdentity } from './dcat.js';
import { linkHeader, pageOf, sortedById, type PageRequest } from './paging.js';

/** May this requester see (could they ever satisfy) this offer of this entry? */
export type OfferVisibility = (offer: OdrlOffer, entry: CatalogEntry) => boolean | Promise<boolean>;

/** We implement no catalogue filter language: a non-empty `filter` is refused with 400 (dsp.md §3). */
export function checkCatalogRequest(message: CatalogRequestMessage): Result<void> {
  if (message.filter !== undefined && message.filter.length > 0) {
    return fail('SOV_CATALOG_FILTER_UNSUPPORTED', 'This catalogue does not support filters; request it without `filter`', { filter: message.filter });
  }
  return ok(undefined);
}

async function visibleEntry(entry: CatalogEntry, canSee: OfferVisibility): Promise<CatalogEntry | undefined> {
  const offers: OdrlOffer[] = [];
  for (const offer of entry.offers) if (await canSee(offer, entry)) offers.push(offer);
  return offers.length === 0 || entry.formats.length === 0 ? undefined : { ...entry, offers };
}

export interface CatalogResponseInput {
  identity: CatalogIdentity;
  entries: readonly CatalogEntry[];
  canSee: OfferVisibility;
  page: PageRequest;
  /** Absolute URL of this catalogue request, for the `Link` header. */
  requestUrl: string;
}

/** The Catalog body for one page, with the `Link` header value when there are more pages. */
export async function catalogResponse(input: CatalogResponseInput) {
  const service = dataService(input.identity);
  const select = async (entry: CatalogEntry) => {
    const visible = await visibleEntry(entry, input.canSee);
    return visible && datasetOf(visible, service);
  };
  const page = await pageOf(sortedById(input.entries), select, input.page);
  if (!page.ok) return page;
  return ok({ body: catalogOf(input.identity, page.value.items), link: linkHeader(input.requestUrl, page.value) });
}

/** `GET /catalog/datasets/:id`: the root Dataset, or 404 when unknown or hidden. */
export async function datasetResponse(
  identity: CatalogIdentity,
  datasetId: string,
  entry: CatalogEntry | undefined,
  canSee: OfferVisibility,
): Promise<Result<Dataset & { '@context': string[] }>> {
  const visible = entry?.id === datasetId ? await visibleEntry(entry, canSee) : undefined;
  if (!visible) return fail('SOV_CATALOG_DATASET_NOT_FOUND', `No dataset ${datasetId} in this catalogue`, { dataset: datasetId });
  return ok({ '@context': dspContext(), ...datasetOf(visible, dataService(identity)) });
}
