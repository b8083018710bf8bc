/**
 * The provider's DSP catalogue over its offerings (dsp.md §3 "Catalog"; design.md step 2): a
 * DCAT Catalog whose datasets are the active offerings, each with its ODRL offer and one
 * distribution per format served by our DSP DataService — only those the caller could ever
 * satisfy given its verified claims and our jurisdiction profile. Pages are filled by reading
 * the offering list a slice at a time (only as many as still missing), so the first page of a
 * large catalogue costs about one page of policy decisions, not one per offering.
 */
import { isoTime, type Clock } from '../clock/index.js';
import { dspContext, type Catalog, type DataService, type Dataset, type VerifiedCaller } from '../dsp/index.js';
import { fail, ok } from '../errors/index.js';
import type { CatalogService } from '../http/dsp/index.js';
import type { PolicyDecider } from '../negotiation/index.js';
import { dspOfferOf, type Offering, type OfferingRepository } from '../offerings/index.js';

/** Failures that only the request itself can settle (purpose, duties): the offer is still shown. */
const DECIDED_AT_REQUEST = new Set(['SOV_POLICY_OPERAND_MISSING', 'SOV_POLICY_DUTY_UNFULFILLED']);

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

export interface OfferingCatalogOptions {
  offerings: Pick<OfferingRepository, 'get' | 'list'>;
  /**
   * Decides the offering's policy for the caller. Offerings of one template with the same
   * parameters and classification share a policy document, so the decider's compile cache hits.
   */
  policy: PolicyDecider;
  clock: Clock;
  self: { did: string; dspBase: string };
}

/** A stand-in target per (classification, personal data): the policy document is then shared. */
export function catalogTarget(offering: Pick<Offering, 'classification' | 'personalData'>): string {
  return `urn:sov:catalog-preview:${encodeURIComponent(offering.classification)}:${offering.personalData ? 'personal' : 'non-personal'}`;
}

/** The facts a `catalogTarget` stands for (the policy decider's `datasetFacts` for previews). */
export function catalogPreviewFacts(target: string): { classification: string; personalData: boolean } | undefined {
  const match = /^urn:sov:catalog-preview:([^:]+):(personal|non-personal)$/.exec(target);
  if (match === null) return undefined;
  return { classification: decodeURIComponent(match[1] ?? ''), personalData: match[2] === 'personal' };
}

export function offeringCatalogService(options: OfferingCatalogOptions): CatalogService {
  const service: DataService = { '@id': `${options.self.did}#dsp`, '@type': 'DataService', endpointURL: options.self.dspBase };

  /** Visibility per caller and policy kind, memoised within one request. */
  function visibility(caller: VerifiedCaller) {
    const memo = new Map<string, Promise<boolean>>();
    const now = isoTime(options.clock);
    return (offering: Offering): Promise<boolean> => {
      const target = catalogTarget(offering);
      const key = `${target} ${JSON.stringify(offering.policy.source)}`;
      let decided = memo.get(key);
      if (decided === undefined) {
        const { '@id': _id, ...rules } = dspOfferOf(offering);
        decided = Promise.resolve(options.policy.decide({ ...rules, '@id': 'urn:sov:catalog-preview' }, caller, { stage: 'catalog', target, now })).then(
          (decision) => decision.permitted || decision.reasons.every((reason) => DECIDED_AT_REQUEST.has(reason.code)),
        );
        memo.set(key, decided);
      }
      return decided;
    };
  }

  function datasetOf(offering: Offering): Dataset {
    return {
      '@id': offering.id,
      '@type': 'Dataset',
      title: offering.title,
      ...(offering.description === undefined ? {} : { description: offering.description }),
      ...(offering.keywords.length === 0 ? {} : { keyword: offering.keywords }),
      hasPolicy: [dspOfferOf(offering)],
      distribution: offering.formats.map((format) => ({ '@type': 'Distribution', format, accessService: service['@id'] })),
    };
  }

  return {
    async catalog(caller, page) {
      const wanted = Math.min(Math.max(1, page.limit ?? DEFAULT_PAGE), MAX_PAGE);
      const visible = visibility(caller);
      const datasets: Dataset[] = [];
      let cursor = page.cursor;
      do {
        const slice = await options.offerings.list({ status: 'active', limit: wanted - datasets.length, ...(cursor === undefined ? {} : { cursor }) });
        if (!slice.ok) return fail('SOV_CATALOG_BAD_CURSOR', `The paging cursor is not one this catalogue issued: ${slice.detail}`);
        const shown = await Promise.all(slice.value.items.map(visible));
        datasets.push(...slice.value.items.filter((_, i) => shown[i]).map(datasetOf));
        cursor = slice.value.nextCursor;
      } while (cursor !== undefined && datasets.length < wanted);
      const catalog: Catalog & { '@context': string[] } = {
        '@context': dspContext(),
        '@id': `${options.self.dspBase}/catalog`,
        '@type': 'Catalog',
        participantId: options.self.did,
        ...(datasets.length === 0 ? {} : { dataset: datasets }),
        service: [service],
      };
      return ok(cursor === undefined ? { catalog } : { catalog, nextCursor: cursor });
    },
    async dataset(caller, datasetId) {
      const offering = await options.offerings.get(datasetId);
      const shown = offering !== undefined && offering.status === 'active' && (await visibility(caller)(offering));
      if (!shown) return fail('SOV_CATALOG_DATASET_NOT_FOUND', `No dataset ${datasetId} in this catalogue`, { datasetId });
      return ok({ '@context': dspContext(), ...datasetOf(offering) });
    },
  };
}
