/**
 * Catalogue endpoints (dsp.md §4 "Catalog"): `POST /catalog/request` answers a
 * CatalogRequestMessage with a DCAT Catalog of the datasets this caller may see, one page at a
 * time (paging through the `Link` header, rel="next", as §4 allows); `GET
 * /catalog/datasets/:id` answers one Dataset. A dataset the caller may not see is answered
 * exactly like an unknown one (404 + CatalogError, §7). Filters are not supported (→ 400).
 */
import express, { type Router } from 'express';
import type { Catalog, Dataset, VerifiedCaller } from '../../dsp/index.js';
import { checkCatalogRequest } from '../../catalog/index.js';
import type { Result } from '../../errors/index.js';
import { dspError } from '../dsp-error.js';
import { authenticated, caller, messageOf, validated, type AuthenticateDspCaller } from './pipeline.js';

export interface CatalogPageRequest {
  /** The `cursor` of a previous answer's `Link` URL. */
  cursor?: string;
  /** Datasets per page. */
  limit?: number;
}

/** The provider's catalogue as this caller sees it (policy-filtered). */
export interface CatalogService {
  /** One page; `link` is the `Link` header value (rel="next"/"previous") when there are more. */
  catalog(caller: VerifiedCaller, page: CatalogPageRequest): Promise<Result<{ catalog: Catalog & { '@context': string[] }; link?: string }>>;
  dataset(caller: VerifiedCaller, datasetId: string): Promise<Result<Dataset & { '@context': string[] }>>;
}

export interface CatalogRoutesOptions {
  catalog: CatalogService;
  authenticate: AuthenticateDspCaller;
}

const ERROR = 'CatalogError' as const;

function pageRequest(query: Record<string, unknown>): CatalogPageRequest {
  const { cursor, limit } = query;
  const parsed = typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : undefined;
  return { ...(typeof cursor === 'string' ? { cursor } : {}), ...(parsed === undefined ? {} : { limit: parsed }) };
}

export function catalogRoutes(options: CatalogRoutesOptions): Router {
  const router = express.Router();
  const auth = authenticated(options.authenticate, ERROR);

  router.post('/request', auth, validated('CatalogRequestMessage', ERROR), async (req, res) => {
    const acceptable = checkCatalogRequest(messageOf(res, 'CatalogRequestMessage'));
    if (!acceptable.ok) return dspError(res, acceptable, { type: ERROR });
    const result = await options.catalog.catalog(caller(res), pageRequest(req.query as Record<string, unknown>));
    if (!result.ok) return dspError(res, result, { type: ERROR });
    if (result.value.link !== undefined) res.set('Link', result.value.link);
    res.set('Cache-Control', 'no-store').json(result.value.catalog);
  });

  router.get('/datasets/:id', auth, async (req, res) => {
    const result = await options.catalog.dataset(caller(res), req.params['id'] as string);
    if (!result.ok) return dspError(res, result, { type: ERROR });
    res.set('Cache-Control', 'no-store').json(result.value);
  });
  return router;
}
