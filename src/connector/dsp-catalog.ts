/**
 * The provider's DSP catalogue over its offerings (design.md step 2), on src/catalog: every
 * active offering is a catalogue entry, and a requester sees an offer only when it could ever
 * satisfy it given its verified claims and our jurisdiction profile. The entries are kept in
 * memory, sorted by id, loaded when the connector starts and again after an offering changes,
 * so a request does not parse
 * every offering again; the policy decision is memoised per request by (policy source,
 * classification, personal data), so offerings made from one template share one decision and
 * one compiled policy (the decider's compile cache keys on the document, which is then equal).
 */
import { isoTime, type Clock } from '../clock/index.js';
import { catalogResponse, datasetResponse, sortedById, type CatalogEntry, type CatalogIdentity, type OfferVisibility } from '../catalog/index.js';
import type { OdrlOffer, VerifiedCaller } from '../dsp/index.js';
import { ok } from '../errors/index.js';
import type { CatalogService } from '../http/dsp/index.js';
import type { PolicyDecider } from '../negotiation/index.js';
import { dspOfferOf, type Offering, type OfferingRepository } from '../offerings/index.js';

/** Failures that only the request itself can settle (purpose, duties): the offer is still shown. */
const DECIDED_AT_REQUEST = new Set(['SOV_POLICY_OPERAND_MISSING', 'SOV_POLICY_DUTY_UNFULFILLED']);

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;
const PREVIEW = 'urn:sov:catalog-preview';

export interface OfferingCatalogOptions {
  offerings: Pick<OfferingRepository, 'list'>;
  policy: PolicyDecider;
  clock: Clock;
  self: { did: string; dspBase: string };
}

/** A stand-in target per (classification, personal data): offerings of one policy then share its document. */
export function catalogTarget(offering: Pick<Offering, 'classification' | 'personalData'>): string {
  return `${PREVIEW}:${encodeURIComponent(offering.classification)}:${offering.personalData ? 'personal' : 'non-personal'}`;
}

/** The facts a `catalogTarget` stands for (the policy decider's `datasetFacts` for previews). */
export function catalogPreviewFacts(target: string): { classification: string; personalData: boolean } | undefined {
  const match = /^urn:sov:catalog-preview:([^:]+):(personal|non-personal)$/.exec(target);
  if (match === null) return undefined;
  return { classification: decodeURIComponent(match[1] ?? ''), personalData: match[2] === 'personal' };
}

interface Loaded {
  entries: readonly CatalogEntry[];
  entryById: ReadonlyMap<string, CatalogEntry>;
  byId: ReadonlyMap<string, Offering>;
}

async function loadActive(repository: Pick<OfferingRepository, 'list'>): Promise<Loaded> {
  const active: Offering[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.list({ status: 'active', limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    if (!page.ok) throw new Error(`listing offerings failed: ${page.detail}`);
    active.push(...page.value.items);
    cursor = page.value.nextCursor;
  } while (cursor !== undefined);
  const entries = active.map((o): CatalogEntry => ({
    id: o.id,
    title: o.title,
    ...(o.description === undefined ? {} : { description: o.description }),
    keywords: o.keywords,
    classification: o.classification,
    offers: [dspOfferOf(o)],
    formats: o.formats,
  }));
  return { entries: sortedById(entries), entryById: new Map(entries.map((e) => [e.id, e])), byId: new Map(active.map((o) => [o.id, o])) };
}

export function offeringCatalogService(options: OfferingCatalogOptions): CatalogService & { invalidate(): void; warm(): Promise<void> } {
  const identity: CatalogIdentity = { catalogId: `${options.self.dspBase}/catalog`, participantId: options.self.did, dspBase: options.self.dspBase };
  let loaded: Promise<Loaded> | undefined;
  const current = (): Promise<Loaded> => {
    const load = (loaded ??= loadActive(options.offerings));
    load.catch(() => {
      if (loaded === load) loaded = undefined;
    });
    return load;
  };

  function visibility(caller: VerifiedCaller, byId: ReadonlyMap<string, Offering>): OfferVisibility {
    const memo = new Map<string, Promise<boolean>>();
    const now = isoTime(options.clock);
    return (offer: OdrlOffer, entry: CatalogEntry) => {
      const offering = byId.get(entry.id);
      if (offering === undefined) return false;
      const target = catalogTarget(offering);
      const key = `${target} ${JSON.stringify(offering.policy.source)}`;
      let decided = memo.get(key);
      if (decided === undefined) {
        const preview = { ...offer, '@id': PREVIEW };
        decided = Promise.resolve(options.policy.decide(preview, caller, { stage: 'catalog', target, now })).then(
          (decision) => decision.permitted || decision.reasons.every((reason) => DECIDED_AT_REQUEST.has(reason.code)),
        );
        memo.set(key, decided);
      }
      return decided;
    };
  }

  return {
    invalidate() {
      loaded = undefined;
    },
    async warm() {
      // A failure here is reported by the next catalogue request, which loads again.
      await current().catch(() => undefined);
    },
    async catalog(caller, page) {
      const { entries, byId } = await current();
      const pageSize = Math.min(Math.max(1, page.limit ?? DEFAULT_PAGE), MAX_PAGE);
      const requestUrl = new URL(`${options.self.dspBase}/catalog/request`);
      if (page.limit !== undefined) requestUrl.searchParams.set('limit', String(pageSize));
      const response = await catalogResponse({
        identity,
        entries,
        canSee: visibility(caller, byId),
        page: { pageSize, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) },
        requestUrl: requestUrl.href,
      });
      if (!response.ok) return response;
      return ok({ catalog: response.value.body, ...(response.value.link === undefined ? {} : { link: response.value.link }) });
    },
    async dataset(caller, datasetId) {
      const { entryById, byId } = await current();
      return datasetResponse(identity, datasetId, entryById.get(datasetId), visibility(caller, byId));
    },
  };
}
